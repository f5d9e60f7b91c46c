"""The anonymised research export: k-anonymity on the exported rows, nothing identifying in the file,
consent, a supervisor's teams, refusals that say why, the release record and the audit, the page and API."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import AccessLogEntry, Applicant, ChangeRecord
from jobs.models import FollowUp
from reports import rules
from reports.models import ResearchRelease
from reports.services.research import REFUSED, research_export_create
from tests.jobs.factories import today
from tests.learning.factories import AssessmentFactory
from tests.reports.factories import card_number, cohort, mark_job_ready, place, research_consent

# The rows are SQL (subqueries, JSON lookups into the change history): they must agree on both databases.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def sheets(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(BytesIO(content), read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
    }


def data_rows(content: bytes) -> list[dict]:
    rows = sheets(content)["Data"]
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def assert_k_anonymous(rows: list[dict], k: int) -> None:
    classes = Counter(tuple(row[key] for key in rules.QUASI_IDENTIFIERS) for row in rows)
    assert classes, "no rows"
    assert min(classes.values()) >= k, classes


@pytest.fixture
def people(supervisor, caseworker, team, teammate):
    """Eleven consenting people of the supervisor's team: 6 Syrians, 2 Afghans, 3 Iranians, otherwise
    alike; and three who must not be exported (no consent, an expired one, a revoked one)."""
    found = {
        "syrians": cohort(team, 6, by=caseworker, nationality="SY"),
        "afghans": cohort(team, 2, by=caseworker, nationality="AF"),
        "iranians": cohort(team, 3, by=caseworker, nationality="IR"),
        "no consent": cohort(team, 1, by=caseworker, consent=False),
        "expired": cohort(team, 1, by=caseworker, consent=False),
        "revoked": cohort(team, 1, by=caseworker, consent=False),
    }
    research_consent(found["expired"][0], by=caseworker, expires=today() - timedelta(days=1))
    research_consent(found["revoked"][0], by=caseworker, revoked=today())
    return found


# --- Rules ------------------------------------------------------------------------------------------------


def test_birth_years_go_in_five_year_bands_and_dates_in_months():
    assert rules.birth_year_band(1990) == "1990-1994"
    assert rules.birth_year_band(1994) == "1990-1994"
    assert rules.birth_year_band(1995) == "1995-1999"
    assert rules.birth_year_band(None) == rules.UNKNOWN
    assert rules.month_of(date(2025, 4, 10)) == "2025-04"
    assert rules.month_of(None) == ""


def test_gender_and_prefecture_are_coded_never_free_text():
    assert rules.gender_code("Female") == "female"
    assert rules.gender_code("男性") == "male"
    assert rules.gender_code("I describe it my own way") == "other_or_not_stated"
    assert rules.prefecture_code("東京都") == "Tokyo"
    assert rules.prefecture_code("Room 3, 1-2-3 Shinjuku") == rules.UNKNOWN


def test_retention_counts_people_still_within_the_window_as_not_yet():
    start = date(2026, 10, 1)
    on = date(2026, 12, 6)
    assert rules.retention(start=start, months=3, outcome="", ended_on=None, today=on) == "not_yet"
    assert rules.retention(start=start, months=3, outcome="retained", ended_on=None, today=on) == "yes"
    assert rules.retention(start=date(2026, 1, 1), months=3, outcome="", ended_on=None, today=on) == "unknown"
    assert rules.retention(start=start, months=3, outcome="", ended_on=date(2026, 11, 1), today=on) == "no"
    assert rules.retention(start=None, months=3, outcome="", ended_on=None, today=on) == ""


def test_retention_follows_the_reports_rule_for_a_job_that_ended_after_the_mark():
    """As jobs.selectors.outcomes counts it: a job that ended on or after the mark was held at the mark,
    whatever the later follow-up says; one that ended before it was not."""
    start, on = date(2026, 1, 1), date(2026, 12, 1)
    after, before = date(2026, 5, 1), date(2026, 3, 1)
    assert rules.retention(start=start, months=3, outcome="", ended_on=after, today=on) == "yes"
    assert rules.retention(start=start, months=3, outcome="left", ended_on=after, today=on) == "yes"
    assert rules.retention(start=start, months=3, outcome="left", ended_on=before, today=on) == "no"
    assert rules.retention(start=start, months=3, outcome="left", ended_on=None, today=on) == "no"


def test_generalising_replaces_only_the_small_classes_values():
    base = dict.fromkeys(rules.QUASI_IDENTIFIERS, "x")
    rows = [{**base, "nationality": "SY"} for _ in range(5)] + [
        {**base, "nationality": "AF"} for _ in range(5)
    ]
    rows += [{**base, "nationality": "IR", "prefecture": "Osaka"}]
    result = rules.generalise_to_k(rows, 5)
    # The Iranian's nationality alone cannot reach 5; prefecture next, then both: still a class of 1.
    assert result.k_met == 1
    rows = [{**base, "nationality": "SY"} for _ in range(5)]
    rows += [{**base, "nationality": code} for code in ("AF", "AF", "IR", "IR", "ER")]
    result = rules.generalise_to_k(rows, 5)
    assert result.k_met == 5
    assert sorted({row["nationality"] for row in result.rows}) == ["SY", rules.OTHER]
    assert result.generalised == {"nationality": 5}


def test_a_cell_starting_like_a_formula_is_escaped():
    assert rules.escape_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert rules.escape_cell("University of Tokyo") == "University of Tokyo"


# --- The export ---------------------------------------------------------------------------------------------


def test_the_export_is_k_anonymous_and_holds_only_consenting_people(supervisor, people):
    export = research_export_create(by=supervisor, recipient="University of Tokyo, Prof. Sato", k=5)
    rows = data_rows(export.content)
    assert len(rows) == 11  # the three without a current research consent are absent
    assert_k_anonymous(rows, 5)
    # The Afghans and Iranians (5 together) became "other"; the six Syrians kept their nationality.
    assert Counter(row["nationality"] for row in rows) == {"SY": 6, rules.OTHER: 5}
    assert {row["birth_year_band"] for row in rows} == {"1990-1994"}
    assert {row["intake_month"] for row in rows} == {"2025-04"}
    assert {row["status_at_intake"] for row in rows} == {"da_refugee_applicant"}
    assert export.release.k_met == 5 and export.release.row_count == 11


def test_no_name_contact_card_number_or_free_text_is_in_the_file(supervisor, people):
    # Names no documentation sentence can hold: Faker's surnames include "Case", which the data
    # dictionary sheet uses ("Case: intake month, …") — a failure that was no leak.
    for group in people.values():
        for person in group:
            person.family_name, person.given_name = f"Famname{person.pk}q", f"Givname{person.pk}q"
            Applicant.objects.filter(pk=person.pk).update(
                family_name=person.family_name, given_name=person.given_name
            )
    content = research_export_create(by=supervisor, recipient="Research partner", k=5).content
    book = sheets(content)
    assert book["Data"][0] == list(rules.RESEARCH_COLUMN_KEYS)
    cells = {str(cell) for rows in book.values() for row in rows for cell in row if cell is not None}
    text = "\n".join(cells)
    for group in people.values():
        for person in group:
            for value in (person.family_name, person.given_name, person.reference_code, card_number(person)):
                assert value not in text
    for value in ("090-1234-5678", "someone@example.org", "Aleppo", "welder", "Tokyo East"):
        assert value not in "\n".join(str(cell) for row in book["Data"] for cell in row)
    for value in ("090-1234-5678", "someone@example.org", "Aleppo"):
        assert value not in text


def test_the_workbook_has_a_data_dictionary_and_states_the_k_it_met(supervisor, people):
    book = sheets(research_export_create(by=supervisor, recipient="Research partner", k=5).content)
    dictionary = book["Data dictionary"]
    assert [row[0] for row in dictionary[1:]] == list(rules.RESEARCH_COLUMN_KEYS)
    assert all(row[2] and row[3] for row in dictionary[1:])  # each column: its meaning and generalisation
    about = {row[0]: row[1] for row in book["About this release"]}
    assert about["k-anonymity met"] == 5
    assert about["Recipient"] == "Research partner"


def test_a_filter_too_narrow_to_reach_k_is_refused_saying_why(supervisor, people):
    with pytest.raises(ValidationError) as refused:
        research_export_create(by=supervisor, recipient="Research partner", k=12)
    message = " ".join(refused.value.messages)
    assert "cannot reach k = 12" in message
    assert refused.value.error_dict["__all__"][0].code == REFUSED
    # Only the people who came in one month: the Afghans alone.
    for person in people["afghans"]:
        person.intake_date = date(2025, 6, 1)
        person.save(update_fields=["intake_date"])
    with pytest.raises(ValidationError, match="cannot reach k = 5"):
        research_export_create(
            by=supervisor,
            recipient="Research partner",
            intake_from=date(2025, 6, 1),
            intake_to=date(2025, 6, 30),
        )
    with pytest.raises(ValidationError, match="nobody with a current research consent"):
        research_export_create(by=supervisor, recipient="Research partner", intake_from=date(2025, 9, 1))
    assert not ResearchRelease.objects.exists()


def test_bad_input_names_the_field(supervisor, people):
    cases = [
        ({"recipient": "  "}, "recipient"),
        ({"recipient": "x", "k": 2}, "k"),
        ({"recipient": "x", "intake_from": date(2025, 5, 1), "intake_to": date(2025, 4, 1)}, "intake_to"),
        ({"recipient": "x", "intake_from": today() + timedelta(days=1)}, "intake_from"),
        ({"recipient": "x", "team_id": 999_999}, "team"),
    ]
    for arguments, field in cases:
        with pytest.raises(ValidationError) as error:
            research_export_create(by=supervisor, **arguments)
        assert list(error.value.error_dict) == [field], arguments


def test_a_supervisor_exports_only_the_teams_they_lead(supervisor, people, other_team, other_caseworker):
    cohort(other_team, 6, by=other_caseworker)
    with pytest.raises(ValidationError) as refused:
        research_export_create(by=supervisor, recipient="Research partner", team_id=other_team.pk)
    assert "you do not lead this team" in refused.value.message_dict["team"][0]
    export = research_export_create(by=supervisor, recipient="Research partner")
    assert export.release.row_count == 11  # not the other team's six


def test_an_administrator_exports_the_organisation(administrator, people, other_team, other_caseworker):
    cohort(other_team, 6, by=other_caseworker)
    export = research_export_create(by=administrator, recipient="Research partner", team_id=other_team.pk)
    assert export.release.row_count == 6
    assert research_export_create(by=administrator, recipient="Research partner").release.row_count == 17


@pytest.mark.parametrize("role", ["caseworker", "trainer", "employer"])
def test_other_roles_may_not_export(request, people, role):
    with pytest.raises(PermissionDenied):
        research_export_create(by=request.getfixturevalue(role), recipient="Research partner")


def test_each_export_is_recorded_and_audited(supervisor, people, team):
    export = research_export_create(
        by=supervisor, recipient="Research partner", k=5, team_id=team.pk, intake_from=date(2025, 1, 1)
    )
    release = export.release
    assert release.recipient == "Research partner"
    assert release.item_categories == list(rules.ITEM_CATEGORIES)
    assert (release.k_requested, release.k_met, release.row_count, release.team) == (5, 5, 11, team)
    assert release.intake_from == date(2025, 1, 1)
    change = ChangeRecord.objects.get(model="reports.researchrelease")
    assert change.actor == supervisor and change.changes["recipient"]["new"] == "Research partner"
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.EXPORT)
    assert entry.actor == supervisor
    assert entry.detail["rows"] == 11 and entry.detail["k_met"] == 5
    assert entry.detail["filters"] == {"team": team.pk, "intake_from": "2025-01-01", "intake_to": None}


def test_the_outcome_columns_come_from_the_history_jobs_and_learning(supervisor, caseworker, team):
    group = cohort(team, 5, by=caseworker)
    person = group[0]
    mark_job_ready(person, by=caseworker)
    placement = place(person, by=caseworker, start=today() - timedelta(days=200))
    FollowUp.objects.filter(placement=placement, month=3).update(outcome="retained")
    AssessmentFactory(applicant=person, cefr_level="B1", level="B1", recorded_by=caseworker)
    rows = data_rows(research_export_create(by=supervisor, recipient="Research partner").content)
    (row,) = [row for row in rows if row["cefr_level"] == "B1"]
    assert row["job_ready_month"] == f"{today():%Y-%m}"
    assert row["first_placement_month"] == rules.month_of(today() - timedelta(days=200))
    assert (row["retained_3_months"], row["retained_6_months"], row["retained_12_months"]) == (
        "yes",
        "unknown",
        "not_yet",
    )
    assert row["case_stage"] == "placed"
    others = [row for row in rows if row["cefr_level"] != "B1"]
    assert {row["first_placement_month"] for row in others} == {None}  # an empty cell: no placement


def test_the_export_runs_the_same_queries_for_more_people(supervisor, caseworker, team):
    cohort(team, 5, by=caseworker)
    research_export_create(by=supervisor, recipient="Research partner")  # the user's roles, cached after
    with CaptureQueriesContext(connection) as few:
        research_export_create(by=supervisor, recipient="Research partner")
    cohort(team, 25, by=caseworker, nationality="AF")
    with CaptureQueriesContext(connection) as many:
        export = research_export_create(by=supervisor, recipient="Research partner")
    assert export.release.row_count == 30
    assert len(many) == len(few)


# --- The pages ---------------------------------------------------------------------------------------------


def test_the_page_downloads_the_workbook(client_for, supervisor, people, team):
    client = client_for(supervisor)
    page = client.get(reverse("reports:research_export"))
    assert page.status_code == 200
    assert f'<option value="{team.pk}">' in page.content.decode()
    response = client.post(reverse("reports:research_export"), {"recipient": "Research partner", "k": 5})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert_k_anonymous(data_rows(response.content), 5)
    listing = client.get(reverse("reports:research_release_list")).content.decode()
    assert "Research partner" in listing


def test_the_page_says_why_an_export_is_refused(client_for, supervisor, people, other_team):
    client = client_for(supervisor)
    response = client.post(reverse("reports:research_export"), {"recipient": "Research partner", "k": 12})
    assert response.status_code == 200
    assert "cannot reach k = 12" in response.content.decode()
    response = client.post(
        reverse("reports:research_export"), {"recipient": "Research partner", "k": 5, "team": other_team.pk}
    )
    assert "you do not lead this team" in response.content.decode()
    response = client.post(reverse("reports:research_export"), {"recipient": "Research partner", "k": 3})
    assert "greater than or equal to 5" in response.content.decode()
    assert not ResearchRelease.objects.exists()


def test_the_release_list_runs_a_fixed_number_of_queries(
    client_for, supervisor, people, django_assert_max_num_queries
):
    client = client_for(supervisor)
    research_export_create(by=supervisor, recipient="Research partner")
    client.get(reverse("reports:research_release_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reports:research_release_list"))
    for _number in range(10):
        research_export_create(by=supervisor, recipient="Research partner")
    with CaptureQueriesContext(connection) as eleven:
        response = client.get(reverse("reports:research_release_list"))
    assert response.content.decode().count("Research partner") == 11
    assert len(eleven) == len(one)


# --- The API -------------------------------------------------------------------------------------------------


def test_the_api_answers_the_workbook_or_a_400_saying_why(client_for, supervisor, people):
    client = client_for(supervisor)
    url = reverse("research-export-list")
    response = client.post(url, {"recipient": "Research partner", "k": 5}, content_type="application/json")
    assert response.status_code == 200
    assert_k_anonymous(data_rows(response.content), 5)
    refused = client.post(url, {"recipient": "Research partner", "k": 12}, content_type="application/json")
    assert refused.status_code == 400
    assert "cannot reach k = 12" in refused.json()["non_field_errors"][0]
    bad = client.post(url, {"recipient": "", "k": 2}, content_type="application/json")
    assert bad.status_code == 400 and "recipient" in bad.json()
    listing = client.get(url).json()
    assert [row["recipient"] for row in listing["results"]] == ["Research partner"]
    assert listing["results"][0]["k_met"] == 5


def test_the_api_refuses_caseworkers(client_for, caseworker):
    response = client_for(caseworker).post(
        reverse("research-export-list"), {"recipient": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
