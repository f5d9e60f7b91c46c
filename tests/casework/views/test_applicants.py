"""The applicant pages through the Django test client: access, bad input, duplicates, conflicts, queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import crypto, names, rules, services
from casework.models import (
    Applicant,
    Assignment,
    DuplicateCheck,
    LegalStatusPeriod,
    ProcedureEvent,
    WorkPermission,
)
from casework.roles import Role
from casework.ui import panels
from casework.ui.timeline import timeline_svg
from tests.casework.factories import TeamFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def today() -> date:
    return timezone.localdate()


def relative_date(day: date, text: str, urgency: str | None = None) -> re.Pattern[str]:
    """A date as the pages show it: <time datetime="2026-12-17" …>in 12 days (2026-12-17)</time>,
    with the urgency class ('urgent', 'overdue') or none."""
    classes = rf'[^"]*\b{urgency}\b[^"]*' if urgency else r"days-left"
    return re.compile(
        rf'<time class="{classes}" datetime="{ymd(day)}">{re.escape(text)} \({ymd(day)}\)</time>'
    )


def ymd(day: date) -> str:
    return day.strftime("%Y-%m-%d")


# --- Fixtures: people on each side of the access lines -------------------------------------------------


def register(by, **data):
    data.setdefault("given_name", "Test")
    return services.applicant_register(by=by, data=data)


def add_period(by, applicant, start, end, kind="da_refugee_applicant", **extra):
    card_number = extra.pop("card_number", None)
    return services.legal_period_record(
        by=by,
        applicant=applicant,
        data={"status_kind": kind, "start_date": start, "end_date": end, **extra},
        card_number=card_number,
    )


@pytest.fixture
def cases(caseworker, teammate, other_caseworker):
    """One applicant in each relation to `caseworker`: own, same team (read-only), other team."""
    own = register(caseworker, family_name="Perera", given_name="Suriya", nationality="LK")
    team_case = register(teammate, family_name="Tun", given_name="Aung", nationality="MM")
    other = register(other_caseworker, family_name="Haile", given_name="Meron", nationality="ET")
    start = today() - timedelta(days=60)
    for applicant, by in ((own, caseworker), (team_case, teammate), (other, other_caseworker)):
        add_period(by, applicant, start, start + timedelta(days=180), card_number=None)
        services.procedure_record(by=by, applicant=applicant, data={"ordinal": 1, "applied_on": start})
    return {"own": own, "team": team_case, "other": other}


def url(name, applicant=None, **kwargs):
    if applicant is not None:
        kwargs["reference_code"] = applicant.reference_code
    return reverse(name, kwargs=kwargs)


def tab_url(applicant, tab: str) -> str:
    """One tab of the applicant page (each is a URL of its own)."""
    return f"{url('applicant_detail', applicant)}?tab={tab}"


# --- Access: every page, every role, own / team / other ---------------------------------------------------

ROLES = ["administrator", "supervisor", "caseworker", "trainer", "employer"]
PER_APPLICANT = [
    "applicant_detail",
    "applicant_edit",
    "applicant_reassign",
    "applicant_period_add",
    "applicant_period_edit",
    "applicant_period_delete",
    "applicant_period_card_number",
    "applicant_work_permission_add",
    "applicant_reporting_add",
    "applicant_procedure_add",
    "applicant_procedure_event_add",
    "applicant_household_add",
]
READ_ONLY_PAGES = {"applicant_detail"}
REASSIGN_PAGES = {"applicant_reassign"}


def expected_status(role: str, name: str, relation: str) -> int:
    """What GET should answer (DESIGN.md access matrix): 404 outside visible_to, 403 read-only or wrong role."""
    if role in ("trainer", "employer"):
        return 403
    if name in REASSIGN_PAGES and role == "caseworker":
        return 403
    visible = role == "administrator" or relation in ("own", "team")
    if not visible:
        return 404
    writable = role in ("administrator", "supervisor") or relation == "own"
    if name in READ_ONLY_PAGES:
        return 200
    return 200 if writable else 403


def per_applicant_url(name, applicant):
    if name in ("applicant_period_edit", "applicant_period_delete", "applicant_period_card_number"):
        return url(name, applicant, pk=applicant.periods.first().pk)
    if name == "applicant_procedure_event_add":
        return url(name, applicant, pk=applicant.procedures.first().pk)
    return url(name, applicant)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_list_and_registration_pages_by_role(role, request, client_for, cases):
    client = client_for(request.getfixturevalue(role))
    staff = role in ("administrator", "supervisor", "caseworker")
    assert client.get(url("applicant_list")).status_code == (200 if staff else 403)
    assert client.get(url("applicant_register")).status_code == (200 if staff else 403)
    bulk = client.get(url("applicant_bulk_reassign")).status_code
    assert bulk == (405 if role in ("administrator", "supervisor") else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("relation", ["own", "team", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_applicant_pages_by_role_and_relation(role, relation, request, client_for, cases):
    client = client_for(request.getfixturevalue(role))
    applicant = cases[relation]
    for name in PER_APPLICANT:
        response = client.get(per_applicant_url(name, applicant))
        assert response.status_code == expected_status(role, name, relation), (name, role, relation)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, cases):
    for path in (url("applicant_list"), url("applicant_register"), url("applicant_detail", cases["own"])):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_writes_to_a_read_only_team_case_are_forbidden(client_for, caseworker, cases):
    client = client_for(caseworker)
    team_case = cases["team"]
    response = client.post(
        url("applicant_period_add", team_case),
        {"period-status_kind": "long_term_resident", "period-start_date": ymd(today() + timedelta(days=200))},
    )
    assert response.status_code == 403
    assert client.post(url("applicant_edit", team_case), {"given_name": "X"}).status_code == 403
    period = team_case.periods.first()
    assert client.post(url("applicant_period_delete", team_case, pk=period.pk)).status_code == 403
    assert LegalStatusPeriod.objects.filter(pk=period.pk).exists()
    # The page reads, with no add forms and no edit links.
    page = client.get(url("applicant_detail", team_case)).content.decode()
    assert "Add a status period" not in page
    assert url("applicant_period_edit", team_case, pk=period.pk) not in page
    assert "but not change it" in page


@pytest.mark.django_db
def test_another_teams_case_is_a_404_even_for_writes(client_for, caseworker, supervisor, cases):
    other = cases["other"]
    for user in (caseworker, supervisor):
        client = client_for(user)
        assert client.post(url("applicant_period_add", other), {}).status_code == 404
        assert client.post(url("applicant_edit", other), {}).status_code == 404


@pytest.mark.django_db
def test_applicants_navigation_item_is_for_case_staff_only(client_for, caseworker, trainer, employer):
    assert "/applicants/" in client_for(caseworker).get("/").content.decode()
    assert "/applicants/" not in client_for(trainer).get("/").content.decode()
    assert client_for(employer).get("/applicants/").status_code == 403


# --- The list --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_the_columns_and_marks_urgent_deadlines(client_for, caseworker):
    soon = register(
        caseworker,
        family_name="Nguyen",
        given_name="Van A",
        name_katakana="グエン・ヴァン・ア",
        nationality="VN",
    )
    add_period(caseworker, soon, today() - timedelta(days=100), today() + timedelta(days=10))
    later = register(caseworker, family_name="Rahimi", given_name="Sara", nationality="AF")
    add_period(
        caseworker,
        later,
        today() - timedelta(days=10),
        today() + timedelta(days=300),
        kind="long_term_resident",
    )

    page = client_for(caseworker).get(url("applicant_list")).content.decode()
    assert soon.reference_code in page and "グエン・ヴァン・ア" in page and "Vietnam" in page
    assert relative_date(today() + timedelta(days=10), "in 10 days", "urgent").search(page)
    # 300 days are always 9 whole months; far enough not to be marked.
    assert relative_date(today() + timedelta(days=300), "in 9 months").search(page)
    assert "Long-Term Resident" in page
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    rahimi = next(row for row in rows if "Rahimi".upper() in row)
    assert '<span class="badge bg-green-lt yes">yes</span>' in rahimi  # long-term residents may work


@pytest.mark.django_db
def test_list_search_filters_and_sort(client_for, caseworker):
    nguyen = register(
        caseworker, family_name="Nguyen", given_name="Van A", name_katakana="グエン", nationality="VN"
    )
    perera = register(caseworker, family_name="Perera", given_name="Suriya", nationality="LK")
    add_period(
        caseworker,
        perera,
        today() - timedelta(days=30),
        today() + timedelta(days=20),
        kind="long_term_resident",
    )
    client = client_for(caseworker)

    found = client.get(url("applicant_list"), {"q": "ｸﾞｴﾝ"}).content.decode()
    assert nguyen.reference_code in found and perera.reference_code not in found
    by_nationality = client.get(url("applicant_list"), {"nationality": "LK"}).content.decode()
    assert perera.reference_code in by_nationality and nguyen.reference_code not in by_nationality
    may_work = client.get(url("applicant_list"), {"may_work_now": "true"}).content.decode()
    assert perera.reference_code in may_work and nguyen.reference_code not in may_work
    deadline = client.get(url("applicant_list"), {"deadline_within": "30"}).content.decode()
    assert perera.reference_code in deadline and nguyen.reference_code not in deadline
    by_status = client.get(url("applicant_list"), {"status_kind": "long_term_resident"}).content.decode()
    assert perera.reference_code in by_status and nguyen.reference_code not in by_status
    descending = client.get(url("applicant_list"), {"sort": "-name"}).content.decode()
    assert descending.index(perera.reference_code) < descending.index(nguyen.reference_code)
    # Sort links keep the other parameters and go back to the first page.
    assert "?nationality=LK&amp;sort=reference" in by_nationality
    bad = client.get(url("applicant_list"), {"deadline_within": "-3"})
    assert bad.status_code == 200
    assert "Some filters are not valid" in bad.content.decode()
    assert nguyen.reference_code not in bad.content.decode()


@pytest.mark.django_db
def test_list_paginates_by_25(client_for, caseworker, team):
    make_applicants(30, team=team, caseworker=caseworker)
    client = client_for(caseworker)
    first = client.get(url("applicant_list"))
    assert len(first.context["rows"]) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(url("applicant_list"), {"page": 2})
    assert len(second.context["rows"]) == 5


@pytest.mark.django_db
def test_supervisor_reassigns_several_cases_from_the_list(
    client_for, supervisor, caseworker, teammate, cases
):
    client = client_for(supervisor)
    page = client.get(url("applicant_list")).content.decode()
    assert 'name="bulk-applicants"' in page and "Reassign the ticked cases" in page
    response = client.post(
        url("applicant_bulk_reassign"),
        {
            "bulk-applicants": [cases["own"].pk, cases["team"].pk],
            "bulk-team": caseworker.team_id,
            "bulk-caseworker": teammate.pk,
            "bulk-reason": "holiday cover",
            "bulk-next": "/applicants/?sort=reference",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/applicants/?sort=reference"
    assert set(Applicant.objects.filter(caseworker=teammate).values_list("pk", flat=True)) == {
        cases["own"].pk,
        cases["team"].pk,
    }
    assert Assignment.objects.filter(reason="holiday cover").count() == 2


@pytest.mark.django_db
def test_bulk_reassign_errors_show_on_the_list(client_for, supervisor, other_caseworker, cases):
    client = client_for(supervisor)
    # A caseworker of another team; and a case the supervisor cannot see.
    response = client.post(
        url("applicant_bulk_reassign"),
        {
            "bulk-applicants": [cases["own"].pk],
            "bulk-team": cases["own"].team_id,
            "bulk-caseworker": other_caseworker.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        url("applicant_bulk_reassign"),
        {"bulk-applicants": [cases["other"].pk], "bulk-team": cases["own"].team_id},
    )
    assert response.status_code == 200
    assert Applicant.objects.get(pk=cases["other"].pk).team_id != cases["own"].team_id
    assert client_for(cases["own"].caseworker).post(url("applicant_bulk_reassign"), {}).status_code == 403


@pytest.mark.django_db
def test_caseworkers_see_no_bulk_reassign(client_for, caseworker, cases):
    page = client_for(caseworker).get(url("applicant_list")).content.decode()
    assert "bulk-applicants" not in page


# --- Registration and the duplicate check ------------------------------------------------------------------


def profile(**values):
    data = {
        "family_name": "",
        "given_name": "",
        "name_native": "",
        "name_katakana": "",
        "aliases": "",
        "date_of_birth": "",
        "birth_date_precision": "day",
        "gender": "",
        "nationality": "",
        "languages": "",
        "phone": "",
        "email": "",
        "prefecture": "",
        "city": "",
        "education": "",
        "work_history": "",
        "skills": "",
        "intake_date": ymd(today()),
        "case_stage": "intake",
        "card_number": "",
    }
    data.update(values)
    return data


@pytest.mark.django_db
def test_registration_without_a_match_registers_and_records_the_check(client_for, caseworker):
    response = client_for(caseworker).post(
        url("applicant_register"),
        profile(
            family_name="Perera",
            given_name="Suriya",
            name_katakana="スリヤ・ペレラ",
            aliases="Sooriya Perera\nSuriya P.",
            date_of_birth="1991-04-12",
            nationality="LK",
            languages="Tamil: native\nEnglish: conversational\n日本語: basic",
            skills="cooking, forklift、 welding",
            gender="female",
            prefecture="Tokyo",
        ),
    )
    applicant = Applicant.objects.get()
    assert response.status_code == 302 and response["Location"] == url("applicant_detail", applicant)
    assert applicant.caseworker == caseworker and applicant.team == caseworker.team
    assert applicant.languages == [
        {"language": "Tamil", "level": "native"},
        {"language": "English", "level": "conversational"},
        {"language": "日本語", "level": "basic"},
    ]
    assert applicant.skills == ["cooking", "forklift", "welding"]
    assert sorted(applicant.aliases.values_list("name", flat=True)) == ["Sooriya Perera", "Suriya P."]
    check = DuplicateCheck.objects.get()
    assert check.decision == DuplicateCheck.Decision.NO_MATCH and check.registered == applicant


@pytest.fixture
def existing_nguyen(other_caseworker):
    return services.applicant_register(
        by=other_caseworker,
        data={
            "family_name": "Nguyen",
            "given_name": "Van A",
            "date_of_birth": date(1990, 5, 1),
            "nationality": "VN",
            "phone": "090-1111-2222",
            "city": "Osaka-shi",
        },
    )


NGUYEN_AGAIN = {
    "family_name": "NGUYEN",
    "given_name": "Van A",
    "date_of_birth": "1990-05-01",
    "nationality": "VN",
}


@pytest.mark.django_db
def test_possible_matches_show_only_reference_name_birth_year_and_caseworker(
    client_for, caseworker, existing_nguyen, other_caseworker
):
    response = client_for(caseworker).post(url("applicant_register"), profile(**NGUYEN_AGAIN))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Possible matches" in page
    box = page[page.index("Possible matches") : page.index("</article>")]
    assert existing_nguyen.reference_code in box and "NGUYEN Van A" in box and "1990" in box
    assert str(other_caseworker) in box
    # Nothing else of a person outside the caseload, and no way to open them.
    assert "090-1111-2222" not in page and "Osaka-shi" not in page and "1990-05-01</td>" not in box
    assert f"Open {existing_nguyen.reference_code}" not in page
    assert "Ask their caseworker" in page
    assert Applicant.objects.count() == 1
    # The user's input is kept for the second step.
    assert 'value="NGUYEN"' in page


@pytest.mark.django_db
def test_this_is_a_new_person_registers_with_the_check(client_for, caseworker, existing_nguyen):
    client = client_for(caseworker)
    client.post(url("applicant_register"), profile(**NGUYEN_AGAIN))
    check = DuplicateCheck.objects.get()
    assert list(check.matches.all()) == [existing_nguyen]
    response = client.post(
        url("applicant_register"), profile(**NGUYEN_AGAIN, check=check.pk, action="register")
    )
    new = Applicant.objects.exclude(pk=existing_nguyen.pk).get()
    assert response.status_code == 302 and response["Location"] == url("applicant_detail", new)
    check.refresh_from_db()
    assert check.decision == DuplicateCheck.Decision.NEW_PERSON and check.registered == new
    # A second click registers nobody twice.
    again = client.post(url("applicant_register"), profile(**NGUYEN_AGAIN, check=check.pk, action="register"))
    assert again.status_code == 302 and Applicant.objects.count() == 2


@pytest.mark.django_db
def test_changed_input_after_the_check_runs_it_again(client_for, caseworker, existing_nguyen):
    client = client_for(caseworker)
    client.post(url("applicant_register"), profile(**NGUYEN_AGAIN))
    first = DuplicateCheck.objects.get()
    response = client.post(
        url("applicant_register"),
        profile(**{**NGUYEN_AGAIN, "date_of_birth": "1975-01-01"}, check=first.pk, action="register"),
    )
    # Another birth year: no match any more, a fresh check, registered directly.
    assert response.status_code == 302
    assert DuplicateCheck.objects.count() == 2
    assert DuplicateCheck.objects.exclude(pk=first.pk).get().decision == DuplicateCheck.Decision.NO_MATCH


@pytest.mark.django_db
def test_open_a_visible_match_records_the_decision(client_for, caseworker):
    mine = register(caseworker, family_name="Nguyen", given_name="Van A", date_of_birth=date(1990, 5, 1))
    client = client_for(caseworker)
    page = client.post(url("applicant_register"), profile(**NGUYEN_AGAIN)).content.decode()
    assert f"Open {mine.reference_code}" in page
    check = DuplicateCheck.objects.get()
    response = client.post(
        url("applicant_register"), profile(**NGUYEN_AGAIN, check=check.pk, action=f"open:{mine.pk}")
    )
    assert response.status_code == 302 and response["Location"] == url("applicant_detail", mine)
    check.refresh_from_db()
    assert check.decision == DuplicateCheck.Decision.OPENED_MATCH and check.chosen == mine
    assert Applicant.objects.count() == 1


@pytest.mark.django_db
def test_open_is_refused_for_a_match_outside_the_caseload(client_for, caseworker, existing_nguyen):
    client = client_for(caseworker)
    client.post(url("applicant_register"), profile(**NGUYEN_AGAIN))
    check = DuplicateCheck.objects.get()
    response = client.post(
        url("applicant_register"),
        profile(**NGUYEN_AGAIN, check=check.pk, action=f"open:{existing_nguyen.pk}"),
    )
    assert response.status_code == 404
    check.refresh_from_db()
    assert check.decision == DuplicateCheck.Decision.PENDING


@pytest.mark.django_db
def test_ask_their_caseworker_names_them_and_registers_nothing(
    client_for, caseworker, existing_nguyen, other_caseworker
):
    client = client_for(caseworker)
    client.post(url("applicant_register"), profile(**NGUYEN_AGAIN))
    check = DuplicateCheck.objects.get()
    response = client.post(
        url("applicant_register"), profile(**NGUYEN_AGAIN, check=check.pk, action=f"ask:{existing_nguyen.pk}")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Ask {other_caseworker}, the caseworker of {existing_nguyen.reference_code}" in page
    check.refresh_from_db()
    assert check.decision == DuplicateCheck.Decision.ASKED_CASEWORKER and check.chosen == existing_nguyen
    assert Applicant.objects.count() == 1
    # Another person's check id is ignored: their own check runs instead, this one stays as it was.
    other_client = client_for(other_caseworker)
    other_client.post(
        url("applicant_register"),
        profile(**NGUYEN_AGAIN, check=check.pk, action=f"open:{existing_nguyen.pk}"),
    )
    check.refresh_from_db()
    assert check.decision == DuplicateCheck.Decision.ASKED_CASEWORKER
    assert DuplicateCheck.objects.filter(checked_by=other_caseworker).count() == 1


@pytest.mark.django_db
def test_same_card_number_is_a_possible_match(client_for, caseworker, other_caseworker):
    somebody = register(other_caseworker, family_name="Ali", given_name="Hassan")
    add_period(
        other_caseworker,
        somebody,
        today() - timedelta(days=10),
        today() + timedelta(days=100),
        card_number="AB12345678CD",
    )
    page = (
        client_for(caseworker)
        .post(url("applicant_register"), profile(given_name="Someone Else", card_number="ab-1234 5678-cd"))
        .content.decode()
    )
    assert "Possible matches" in page and somebody.reference_code in page


@pytest.mark.django_db
def test_supervisor_chooses_team_and_caseworker(client_for, supervisor, caseworker, team, other_team):
    client = client_for(supervisor)
    page = client.get(url("applicant_register")).content.decode()
    assert 'name="team"' in page and 'name="caseworker"' in page
    response = client.post(
        url("applicant_register"), profile(given_name="Amal", team=team.pk, caseworker=caseworker.pk)
    )
    assert response.status_code == 302
    assert Applicant.objects.get().caseworker == caseworker
    # A team the supervisor does not lead is not offered.
    response = client.post(url("applicant_register"), profile(given_name="Other", team=other_team.pk))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_caseworkers_do_not_choose_the_team(client_for, caseworker):
    page = client_for(caseworker).get(url("applicant_register")).content.decode()
    assert 'name="team"' not in page and 'name="caseworker"' not in page


# --- Bad input through the registration form -----------------------------------------------------------------


def post_registration(client, **values):
    return client.post(url("applicant_register"), profile(**values))


def field_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.mark.django_db
def test_only_a_given_name_is_accepted(client_for, caseworker):
    response = post_registration(client_for(caseworker), given_name="Mahmoud")
    assert response.status_code == 302
    applicant = Applicant.objects.get()
    assert applicant.family_name == "" and applicant.display_name == "Mahmoud"


@pytest.mark.django_db
def test_no_name_at_all_is_refused_next_to_the_field(client_for, caseworker):
    response = post_registration(client_for(caseworker), family_name="Only")
    assert response.status_code == 200
    assert any("Enter the given name" in error for error in field_errors(response, "given_name"))
    assert Applicant.objects.count() == 0


@pytest.mark.django_db
def test_only_a_birth_year_is_accepted_and_shown_as_approximate(client_for, caseworker):
    client = client_for(caseworker)
    response = post_registration(client, given_name="Amina", date_of_birth="1990")
    assert response.status_code == 302
    applicant = Applicant.objects.get()
    assert applicant.date_of_birth == date(1990, 1, 1) and applicant.birth_date_precision == "year"
    page = client.get(url("applicant_detail", applicant)).content.decode()
    assert "1990 (≈)" in page and "approximate: only the year is known" in page
    edit = client.get(url("applicant_edit", applicant)).content.decode()
    assert 'name="date_of_birth" value="1990"' in edit


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "precision", "stored", "stored_precision"),
    [
        ("1990-05", "day", date(1990, 5, 1), "month"),
        ("1990年5月", "day", date(1990, 5, 1), "month"),
        ("1990-05-14", "year", date(1990, 1, 1), "year"),
        ("1990/05/14", "day", date(1990, 5, 14), "day"),
        ("", "day", None, "unknown"),
    ],
)
def test_birth_date_precision_follows_what_is_known(
    client_for, caseworker, typed, precision, stored, stored_precision
):
    response = post_registration(
        client_for(caseworker), given_name="P", date_of_birth=typed, birth_date_precision=precision
    )
    assert response.status_code == 302
    applicant = Applicant.objects.get()
    assert (applicant.date_of_birth, applicant.birth_date_precision) == (stored, stored_precision)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2999-01-01", "cannot be in the future"),
        ("1850", "older than 120 years"),
        ("1990-02-30", "There is no such date"),
        ("ninety", "Type the date of birth as YYYY-MM-DD"),
    ],
)
def test_bad_birth_dates_are_refused(client_for, caseworker, typed, message):
    response = post_registration(client_for(caseworker), given_name="P", date_of_birth=typed)
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, "date_of_birth")), field_errors(
        response, "date_of_birth"
    )
    assert Applicant.objects.count() == 0


@pytest.mark.django_db
def test_unknown_nationality_code_is_refused(client_for, caseworker):
    response = post_registration(client_for(caseworker), given_name="P", nationality="XX")
    assert response.status_code == 200
    assert any("“XX” is not a country code" in error for error in field_errors(response, "nationality"))


@pytest.mark.django_db
def test_bad_language_line_names_the_line(client_for, caseworker):
    response = post_registration(
        client_for(caseworker), given_name="P", languages="Tamil: native\nFrench expert"
    )
    errors = field_errors(response, "languages")
    assert errors and "Line 2" in errors[0] and "French expert" in errors[0]


@pytest.mark.django_db
def test_registration_card_number_in_the_wrong_format_is_refused(client_for, caseworker):
    response = post_registration(client_for(caseworker), given_name="P", card_number="AB1234CD")
    assert any("2 letters, 8 digits and 2 letters" in e for e in field_errors(response, "card_number"))


# --- Edit: no silent overwrite ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_saves_the_profile(client_for, caseworker):
    applicant = register(
        caseworker,
        family_name="Perera",
        given_name="Suriya",
        languages=[{"language": "Tamil", "level": "native"}],
    )
    client = client_for(caseworker)
    form = client.get(url("applicant_edit", applicant)).context["form"]
    data = {**{k: v if v is not None else "" for k, v in form.initial.items()}, "city": "Adachi"}
    data["intake_date"] = ymd(applicant.intake_date)
    response = client.post(url("applicant_edit", applicant), data)
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.city == "Adachi" and applicant.version == 2
    assert applicant.languages == [{"language": "Tamil", "level": "native"}]


@pytest.mark.django_db
def test_two_tab_edit_conflict_keeps_the_second_input_and_saves_nothing(client_for, caseworker):
    applicant = register(caseworker, family_name="Perera", given_name="Suriya")
    client = client_for(caseworker)
    tab_one = dict(client.get(url("applicant_edit", applicant)).context["form"].initial)
    tab_two = dict(tab_one)
    for tab in (tab_one, tab_two):
        tab["intake_date"] = ymd(applicant.intake_date)
        for key, value in list(tab.items()):
            tab[key] = "" if value is None else value

    first = client.post(url("applicant_edit", applicant), {**tab_one, "city": "Adachi"})
    assert first.status_code == 302
    second = client.post(
        url("applicant_edit", applicant), {**tab_two, "city": "Kawaguchi", "phone": "080-0000"}
    )
    page = second.content.decode()
    assert second.status_code == 409
    assert "Someone else saved this person" in page
    assert page.index("Someone else saved this person") < page.index('name="city"')
    assert 'value="Kawaguchi"' in page and 'value="080-0000"' in page
    applicant.refresh_from_db()
    assert applicant.city == "Adachi" and applicant.phone == "" and applicant.version == 2


@pytest.mark.django_db
def test_reassign_one_case(client_for, supervisor, teammate, cases):
    client = client_for(supervisor)
    response = client.post(
        url("applicant_reassign", cases["own"]),
        {"team": cases["own"].team_id, "caseworker": teammate.pk, "reason": "language match"},
    )
    assert response.status_code == 302
    applicant = Applicant.objects.get(pk=cases["own"].pk)
    assert applicant.caseworker == teammate
    assert applicant.assignments.first().reason == "language match"


@pytest.mark.django_db
def test_the_reassign_form_offers_only_the_teams_the_user_may_move_cases_into(
    client_for, supervisor, team, other_team, teammate, other_caseworker, cases
):
    # A supervisor who is also a member of a team they do not lead may not move cases into it.
    supervisor.team = other_team
    supervisor.save(update_fields=["team"])
    third = TeamFactory(name="Saitama")
    for page in (url("applicant_reassign", cases["own"]), reverse("applicant_list")):
        response = client_for(supervisor).get(page)
        form = response.context["form"] if "form" in response.context else response.context["bulk_form"]
        assert list(form.fields["team"].queryset) == [team], page
        assert other_caseworker not in form.fields["caseworker"].queryset, page
        assert teammate in form.fields["caseworker"].queryset, page
        assert third not in form.fields["team"].queryset, page


@pytest.mark.django_db
def test_a_recorded_extension_moves_lawful_stay_everywhere(client_for, caseworker):
    """A provisional release extended ahead of time is recorded as the next period: the header, the list,
    the API and the deadlines page all show lawful stay until its end (one computation)."""
    person = register(caseworker, family_name="Yilmaz", given_name="Deniz")
    first_end = today() + timedelta(days=10)
    add_period(caseworker, person, today() - timedelta(days=50), first_end, kind="provisional_release")
    client = client_for(caseworker)
    extended_to = first_end + timedelta(days=60)
    response = client.post(
        url("applicant_period_add", person),
        period_post(
            status_kind="provisional_release",
            start_date=ymd(first_end + timedelta(days=1)),
            end_date=ymd(extended_to),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    old, new = ymd(first_end), ymd(extended_to)

    header = client.get(url("applicant_detail", person)).content.decode()
    summary = header[header.index('id="legal-summary"') :][:1500]
    assert new in summary and old not in summary
    listed = client.get(url("applicant_list"), {"q": "Yilmaz"}).context["rows"]
    assert [row.legal.lawful_until for row in listed] == [extended_to]
    assert client.get(f"/api/v1/applicants/{person.reference_code}/").json()["lawful_stay_until"] == new
    api_list = client.get("/api/v1/applicants/", {"q": "Yilmaz"}).json()["results"]
    assert [row["lawful_stay_until"] for row in api_list] == [new]
    deadlines = client.get(reverse("deadlines_ahead")).context["rows"]
    assert [row.deadline_date for row in deadlines if row.applicant_id == person.pk] == [extended_to]


# --- Legal records: bad input and the htmx path ---------------------------------------------------------------


def period_post(**values):
    data = {
        "status_kind": "da_refugee_applicant",
        "status_other_label": "",
        "start_date": "",
        "end_date": "",
        "card_expiry_date": "",
        "card_number": "",
        "designation_wording": "",
        "renewal_filed_on": "",
        "renewal_decision": "",
        "renewal_decided_on": "",
        "note": "",
    }
    data.update(values)
    return {f"period-{key}": value for key, value in data.items()}


@pytest.fixture
def own(caseworker):
    return register(caseworker, family_name="Perera", given_name="Suriya", nationality="LK")


def period_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.mark.django_db
def test_adding_a_period_without_javascript_redirects_to_the_page(client_for, caseworker, own):
    start = today() - timedelta(days=20)
    response = client_for(caseworker).post(
        url("applicant_period_add", own),
        period_post(
            start_date=ymd(start), end_date=ymd(start + timedelta(days=180)), designation_wording="就労可"
        ),
    )
    assert response.status_code == 302 and response["Location"].endswith("#periods")
    assert own.periods.get().designation_wording == "就労可"


@pytest.mark.django_db
def test_period_end_before_start_is_refused(client_for, caseworker, own):
    response = client_for(caseworker).post(
        url("applicant_period_add", own),
        period_post(start_date=ymd(today()), end_date=ymd(today() - timedelta(days=1))),
    )
    assert response.status_code == 200
    assert "The end cannot be before the start." in period_errors(response, "end_date")


@pytest.mark.django_db
def test_overlap_message_names_the_other_periods_dates(client_for, caseworker, own):
    first_start, first_end = today() - timedelta(days=100), today() + timedelta(days=80)
    add_period(caseworker, own, first_start, first_end)
    response = client_for(caseworker).post(
        url("applicant_period_add", own),
        period_post(
            status_kind="long_term_resident",
            start_date=ymd(today()),
            end_date=ymd(today() + timedelta(days=365)),
        ),
    )
    errors = period_errors(response, "start_date")
    assert errors and ymd(first_start) in errors[0] and ymd(first_end) in errors[0]
    assert own.periods.count() == 1


@pytest.mark.django_db
def test_end_current_replaces_the_running_status(client_for, caseworker, own):
    running = add_period(caseworker, own, today() - timedelta(days=100), today() + timedelta(days=80))
    response = client_for(caseworker).post(
        url("applicant_period_add", own),
        period_post(
            status_kind="long_term_resident",
            start_date=ymd(today()),
            end_date=ymd(today() + timedelta(days=365)),
            end_current="on",
        ),
    )
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.end_date == today() - timedelta(days=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("years", "message"), [(-31, "more than 30 years ago"), (3, "more than 2 years ahead")]
)
def test_implausible_start_dates_are_refused(client_for, caseworker, own, years, message):
    start = rules.add_months(today(), 12 * years)
    response = client_for(caseworker).post(
        url("applicant_period_add", own),
        period_post(start_date=ymd(start), end_date=ymd(start + timedelta(days=90))),
    )
    assert any(message in error for error in period_errors(response, "start_date"))


@pytest.mark.django_db
def test_card_number_wrong_format_is_refused(client_for, caseworker, own):
    response = client_for(caseworker).post(
        url("applicant_period_add", own),
        period_post(
            start_date=ymd(today()), end_date=ymd(today() + timedelta(days=90)), card_number="A1234567890B"
        ),
    )
    assert any("2 letters, 8 digits and 2 letters" in e for e in period_errors(response, "card_number"))
    assert own.periods.count() == 0


@pytest.mark.django_db
def test_full_width_lower_case_card_number_with_spaces_is_accepted_and_masked(client_for, caseworker, own):
    client = client_for(caseworker)
    response = client.post(
        url("applicant_period_add", own),
        period_post(
            start_date=ymd(today()),
            end_date=ymd(today() + timedelta(days=90)),
            card_number="ａｂ １２３４ ５６７８ ｃｄ",
        ),
    )
    assert response.status_code == 302
    period = own.periods.get()
    assert period.card_number == "AB12345678CD" and period.card_number_masked == "AB******CD"
    page = client.get(tab_url(own, "legal")).content.decode()
    assert "AB******CD" in page and "AB12345678CD" not in page
    # The full number only on an explicit "show", never cached.
    shown = client.get(url("applicant_period_card_number", own, pk=period.pk), **HTMX)
    assert shown.content.decode().strip() == '<span class="card-number">AB12345678CD</span>'
    assert "no-store" in shown["Cache-Control"]


@pytest.mark.django_db
def test_same_card_on_another_person_is_warned_then_confirmed(client_for, caseworker, own, other_caseworker):
    somebody = register(other_caseworker, given_name="Somebody")
    add_period(
        other_caseworker,
        somebody,
        today() - timedelta(days=5),
        today() + timedelta(days=60),
        card_number="AB12345678CD",
    )
    client = client_for(caseworker)
    values = period_post(
        start_date=ymd(today()), end_date=ymd(today() + timedelta(days=90)), card_number="AB12345678CD"
    )
    response = client.post(url("applicant_period_add", own), values)
    errors = period_errors(response, "card_number")
    assert errors and somebody.reference_code in errors[0]
    page = response.content.decode()
    assert 'name="period-confirm_card_conflict"' in page
    assert own.periods.count() == 0
    confirmed = client.post(
        url("applicant_period_add", own), {**values, "period-confirm_card_conflict": "on"}
    )
    assert confirmed.status_code == 302 and own.periods.count() == 1


@pytest.mark.django_db
def test_confirm_checkbox_is_hidden_until_a_conflict(client_for, caseworker, own):
    page = client_for(caseworker).get(tab_url(own, "legal")).content.decode()
    assert 'name="period-end_current"' in page
    assert 'name="period-confirm_card_conflict"' not in page


@pytest.mark.django_db
def test_htmx_add_returns_the_section_and_the_header(client_for, caseworker, own):
    response = client_for(caseworker).post(
        url("applicant_period_add", own),
        period_post(
            status_kind="long_term_resident",
            start_date=ymd(today() - timedelta(days=3)),
            end_date=ymd(today() + timedelta(days=365)),
        ),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="periods"') and "<html" not in html
    assert "The status period is added." in html
    assert html.count('class="period-bar') == 1
    assert 'id="legal-summary"' in html and 'hx-swap-oob="true"' in html
    summary = html[html.index('id="legal-summary"') :]
    assert "may work" in summary and "may not work" not in summary  # may work today now


@pytest.mark.django_db
def test_htmx_errors_come_back_in_the_section(client_for, caseworker, own):
    add_period(caseworker, own, today() - timedelta(days=10), today() + timedelta(days=30))
    response = client_for(caseworker).post(
        url("applicant_period_add", own),
        period_post(start_date=ymd(today()), end_date=ymd(today() + timedelta(days=30))),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<section id="periods"')
    assert "overlaps the period from" in html
    assert 'aria-invalid="true"' in html
    assert '<details class="add-record" open>' in html
    assert "hx-swap-oob" not in html


@pytest.mark.django_db
def test_edit_and_delete_a_period(client_for, caseworker, own):
    period = add_period(
        caseworker,
        own,
        today() - timedelta(days=10),
        today() + timedelta(days=30),
        card_number="AB12345678CD",
    )
    client = client_for(caseworker)
    page = client.get(url("applicant_period_edit", own, pk=period.pk)).content.decode()
    assert "Recorded: AB******CD" in page
    response = client.post(
        url("applicant_period_edit", own, pk=period.pk),
        period_post(
            start_date=ymd(period.start_date),
            end_date=ymd(today() + timedelta(days=40)),
            renewal_filed_on=ymd(today()),
        ),
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.end_date == today() + timedelta(days=40) and period.renewal_filed_on == today()
    assert period.card_number == "AB12345678CD"  # an empty card field keeps the number
    bad = client.post(
        url("applicant_period_edit", own, pk=period.pk),
        period_post(start_date=ymd(period.start_date), end_date=ymd(period.start_date - timedelta(days=1))),
    )
    assert "The end cannot be before the start." in period_errors(bad, "end_date")
    assert (
        "This cannot be undone"
        in client.get(url("applicant_period_delete", own, pk=period.pk)).content.decode()
    )
    assert client.post(url("applicant_period_delete", own, pk=period.pk)).status_code == 302
    assert own.periods.count() == 0


@pytest.mark.django_db
def test_work_permission_and_reporting_obligation(client_for, caseworker, own):
    client = client_for(caseworker)
    response = client.post(
        url("applicant_work_permission_add", own),
        {
            "work-basis": "outside_status",
            "work-scope": "hours",
            "work-hours_per_week": "",
            "work-start_date": ymd(today()),
        },
        **HTMX,
    )
    assert "Enter the hours per week allowed." in response.content.decode()
    response = client.post(
        url("applicant_work_permission_add", own),
        {
            "work-basis": "outside_status",
            "work-scope": "hours",
            "work-hours_per_week": "28",
            "work-start_date": ymd(today()),
        },
        **HTMX,
    )
    assert (
        "28 hours a week" in response.content.decode() and "may work today" not in response.content.decode()
    )
    assert WorkPermission.objects.filter(applicant=own, hours_per_week=28).exists()
    response = client.post(
        url("applicant_reporting_add", own),
        {
            "reporting-kind": "supervisory_measures",
            "reporting-next_report_date": ymd(today() + timedelta(days=5)),
            "reporting-place": "",
        },
    )
    assert "Enter where the person reports." in response.content.decode()
    response = client.post(
        url("applicant_reporting_add", own),
        {
            "reporting-kind": "supervisory_measures",
            "reporting-next_report_date": ymd(today() + timedelta(days=5)),
            "reporting-place": "Tokyo Immigration Bureau",
            "reporting-supervisor_name": "Sato",
        },
    )
    assert response.status_code == 302
    page = client.get(tab_url(own, "legal")).content.decode()
    assert "Tokyo Immigration Bureau" in page
    assert relative_date(today() + timedelta(days=5), "in 5 days", "urgent").search(page)


@pytest.mark.django_db
def test_refusal_notice_before_the_application_date_is_refused(client_for, caseworker, own):
    applied = today() - timedelta(days=100)
    procedure = services.procedure_record(
        by=caseworker, applicant=own, data={"ordinal": 1, "applied_on": applied}
    )
    prefix = f"event-{procedure.pk}"
    response = client_for(caseworker).post(
        url("applicant_procedure_event_add", own, pk=procedure.pk),
        {f"{prefix}-kind": "refusal_notice", f"{prefix}-date": ymd(applied - timedelta(days=1))},
        **HTMX,
    )
    html = response.content.decode()
    assert f"This date is before the application date ({ymd(applied)})" in html
    assert not procedure.events.filter(kind="refusal_notice").exists()


@pytest.mark.django_db
def test_appeal_after_the_deadline_is_accepted_and_flagged(client_for, caseworker, own):
    applied = today() - timedelta(days=200)
    procedure = services.procedure_record(
        by=caseworker, applicant=own, data={"ordinal": 1, "applied_on": applied}
    )
    notice = today() - timedelta(days=30)
    services.procedure_event_record(
        by=caseworker, procedure=procedure, data={"kind": "refusal_notice", "date": notice}
    )
    client = client_for(caseworker)
    page = client.get(tab_url(own, "legal")).content.decode()
    deadline = notice + timedelta(days=7)
    assert f'appeal deadline <time datetime="{ymd(deadline)}">{ymd(deadline)}</time>' in page
    prefix = f"event-{procedure.pk}"
    response = client.post(
        url("applicant_procedure_event_add", own, pk=procedure.pk),
        {f"{prefix}-kind": "appeal_filed", f"{prefix}-date": ymd(notice + timedelta(days=10))},
        **HTMX,
    )
    html = response.content.decode()
    assert "The event is added." in html
    assert "Appeal filed after the deadline" in html and ymd(deadline) in html
    assert procedure.events.filter(kind=ProcedureEvent.Kind.APPEAL_FILED).exists()


@pytest.mark.django_db
def test_open_appeal_window_shows_days_left(client_for, caseworker, own):
    procedure = services.procedure_record(
        by=caseworker, applicant=own, data={"ordinal": 2, "applied_on": today() - timedelta(days=90)}
    )
    services.procedure_event_record(
        by=caseworker,
        procedure=procedure,
        data={"kind": "refusal_notice", "date": today() - timedelta(days=2)},
    )
    page = client_for(caseworker).get(tab_url(own, "legal")).content.decode()
    # The sentence says the deadline; the phrase after it says how far it is.
    deadline = ymd(today() + timedelta(days=5))
    assert re.search(rf'<time class="[^"]*\burgent\b[^"]*" datetime="{deadline}">in 5 days</time>', page)


@pytest.mark.django_db
def test_third_application_without_grounds_is_flagged(client_for, caseworker, own):
    client = client_for(caseworker)
    response = client.post(
        url("applicant_procedure_add", own),
        {"procedure-ordinal": "3", "procedure-applied_on": ymd(today() - timedelta(days=3))},
        **HTMX,
    )
    html = response.content.decode()
    assert "3rd application" in html and "without material showing reasonable grounds" in html
    with_grounds = client.post(
        url("applicant_procedure_add", own),
        {"procedure-ordinal": "4", "procedure-applied_on": ymd(today()), "procedure-grounds_submitted": "on"},
        **HTMX,
    ).content.decode()
    assert with_grounds.count("without material showing reasonable grounds") == 1
    duplicate = client.post(
        url("applicant_procedure_add", own),
        {"procedure-ordinal": "3", "procedure-applied_on": ymd(today())},
        **HTMX,
    ).content.decode()
    assert "already has application number 3" in duplicate


@pytest.mark.django_db
def test_household_member_links_only_to_a_visible_applicant(client_for, caseworker, own, cases):
    client = client_for(caseworker)
    response = client.post(
        url("applicant_household_add", own),
        {
            "household-name": "Kamal",
            "household-relation": "son",
            "household-linked_reference": cases["other"].reference_code,
        },
        **HTMX,
    )
    assert "You have no access to a person with this reference code." in response.content.decode()
    response = client.post(
        url("applicant_household_add", own),
        {
            "household-name": "Kamal",
            "household-relation": "son",
            "household-birth_year": "2015",
            "household-linked_reference": cases["team"].reference_code.lower(),
        },
        **HTMX,
    )
    html = response.content.decode()
    assert "Kamal" in html and cases["team"].reference_code in html


# --- The timeline -------------------------------------------------------------------------------------------


def _axis_labels(svg: str) -> list[tuple[float, float, str, str]]:
    pattern = r'<text class="tick-label[^"]*" x="([\d.]+)" y="([\d.]+)"( text-anchor="start")?>([^<]*)</text>'
    return [(float(x), float(y), anchor, text) for x, y, anchor, text in re.findall(pattern, svg)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [
        # One calendar year whose axis starts on 31 January: "2026" at the left edge, "Feb" right on it.
        (date(2026, 2, 15), date(2026, 10, 31)),
        (date(2025, 12, 20), date(2026, 9, 30)),  # across a new year
        (date(2024, 1, 3), date(2026, 12, 31)),  # years only
    ],
)
def test_timeline_axis_labels_never_overlap(caseworker, own, start, end, settings):
    settings.LANGUAGE_CODE = "en"
    period = add_period(caseworker, own, start, end)
    labels = _axis_labels(str(timeline_svg([period], today=start + timedelta(days=100))))
    assert labels

    def extent(label):  # about 7 px a character at the axis' font size
        x, _y, anchor, text = label
        width = 7 * len(text)
        return (x, x + width) if anchor else (x - width / 2, x + width / 2)

    for index, first in enumerate(labels):
        for second in labels[index + 1 :]:
            if first[1] != second[1]:
                continue  # different rows
            (a1, a2), (b1, b2) = extent(first), extent(second)
            assert a2 <= b1 or b2 <= a1, (first, second)


@pytest.mark.django_db
def test_timeline_has_one_bar_per_period_a_red_gap_and_today(caseworker, own):
    first = add_period(caseworker, own, today() - timedelta(days=400), today() - timedelta(days=200))
    second = add_period(caseworker, own, today() - timedelta(days=150), today() + timedelta(days=200))
    svg = str(timeline_svg([first, second], today=today()))
    assert svg.count('class="period-bar') == 2
    assert f'data-period-id="{first.pk}"' in svg and f'data-period-id="{second.pk}"' in svg
    assert svg.count('class="gap"') == 1
    assert 'class="today"' in svg and 'role="img"' in svg and "aria-label=" in svg
    assert 'class="renewal-window"' in svg
    assert "<title>" in svg and 'class="tick-label tick-label-year"' in svg
    assert "style=" not in svg  # the CSP forbids inline styles


@pytest.mark.django_db
def test_timeline_special_period_closes_the_gap_and_lapsed_status_is_red(caseworker, own):
    end = today() - timedelta(days=40)
    first = add_period(
        caseworker, own, end - timedelta(days=365), end, renewal_filed_on=end - timedelta(days=20)
    )
    second = add_period(caseworker, own, end + timedelta(days=20), today() + timedelta(days=300))
    svg = str(timeline_svg([first, second], today=today()))
    assert 'class="special-period"' in svg and 'class="gap"' not in svg
    lapsed = add_period(
        caseworker, register(caseworker), today() - timedelta(days=300), today() - timedelta(days=10)
    )
    assert str(timeline_svg([lapsed], today=today())).count('class="gap"') == 1
    assert str(timeline_svg([], today=today())) == ""


# --- Query counts --------------------------------------------------------------------------------------------


def make_applicants(count, *, team, caseworker, offset=0):
    """Bulk-create applicants with search keys and two periods each (a status change, one may work)."""
    year = today().year
    applicants = []
    for index in range(offset, offset + count):
        family, given = f"Family{index:04d}", f"Given{index:04d}"
        reference = f"A-{year}-{90000 + index:05d}"
        applicants.append(
            Applicant(
                organisation_id=team.organisation_id,
                team=team,
                caseworker=caseworker,
                reference_code=reference,
                family_name=family,
                given_name=given,
                nationality=["VN", "LK", "MM", "AF"][index % 4],
                intake_date=today() - timedelta(days=index % 300),
                search_key=names.search_key([family, given, reference]),
                name_key=names.name_key([family, given]),
            )
        )
    created = Applicant.objects.bulk_create(applicants)
    if created[0].pk is None:  # databases that do not return ids from bulk inserts
        created = list(Applicant.objects.filter(reference_code__in=[a.reference_code for a in applicants]))
    periods = []
    for index, applicant in enumerate(created):
        start = today() - timedelta(days=400 + index % 50)
        middle = today() - timedelta(days=100 + index % 50)
        periods.append(
            LegalStatusPeriod(
                applicant=applicant,
                status_kind="da_refugee_applicant",
                start_date=start,
                end_date=middle - timedelta(days=1),
            )
        )
        periods.append(
            LegalStatusPeriod(
                applicant=applicant,
                status_kind="long_term_resident" if index % 2 else "provisional_release",
                start_date=middle,
                end_date=today() + timedelta(days=index % 60),
            )
        )
    LegalStatusPeriod.objects.bulk_create(periods)
    return created


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_list_query_count_is_the_same_with_25_and_500_rows(role, request, client_for, caseworker, team):
    client = client_for(request.getfixturevalue(role))
    make_applicants(25, team=team, caseworker=caseworker)
    client.get(url("applicant_list"))  # warm the session and caches
    small, first = count_queries(client, url("applicant_list") + "?sort=deadline")
    assert len(first.context["rows"]) == 25
    make_applicants(475, team=team, caseworker=caseworker, offset=25)
    large, response = count_queries(client, url("applicant_list") + "?sort=deadline")
    assert response.context["page_obj"].paginator.count == 500
    assert len(response.context["rows"]) == 25
    assert small == large, (small, large)
    filtered_small, _ = count_queries(
        client, url("applicant_list") + "?may_work_now=true&deadline_within=90&q=family"
    )
    assert filtered_small == large
    print(f"\nlist queries for {role}: {small} with 25 rows, {large} with 500 rows")


def populate(applicant, by, *, rows: int, reassigner):
    """Fill every section of the applicant page with `rows` rows (periods, permissions, events…)."""
    start = today() - timedelta(days=40 * rows + 30)
    for index in range(rows):
        first = start + timedelta(days=40 * index)
        add_period(
            by,
            applicant,
            first,
            first + timedelta(days=29),
            kind="long_term_resident" if index % 2 else "da_refugee_applicant",
            card_number=f"{chr(65 + applicant.pk % 26)}B{index:08d}CD",
        )
        services.work_permission_record(
            by=by,
            applicant=applicant,
            data={"basis": "outside_status", "start_date": first, "end_date": first + timedelta(days=10)},
        )
        services.reporting_obligation_record(
            by=by,
            applicant=applicant,
            data={"kind": "provisional_release", "next_report_date": first, "place": f"Office {index}"},
        )
        procedure = services.procedure_record(
            by=by, applicant=applicant, data={"ordinal": index + 1, "applied_on": first}
        )
        services.procedure_event_record(
            by=by, procedure=procedure, data={"kind": "interview", "date": first + timedelta(days=3)}
        )
        services.procedure_event_record(
            by=by, procedure=procedure, data={"kind": "refusal_notice", "date": first + timedelta(days=5)}
        )
        services.procedure_event_record(
            by=by, procedure=procedure, data={"kind": "appeal_filed", "date": first + timedelta(days=9)}
        )
        services.household_member_add(
            by=by,
            applicant=applicant,
            data={"name": f"Child {index}", "relation": "child", "birth_year": 2015},
        )
    services.applicant_update(
        by=by,
        applicant=applicant,
        data={},
        expected_version=applicant.version,
        aliases=[f"Alias {i}" for i in range(rows)],
    )
    for _ in range(rows):
        services.applicants_reassign(
            by=reassigner, applicants=[applicant], team=applicant.team, caseworker=applicant.caseworker
        )


@pytest.fixture
def probe_panel():
    """A panel like the ones learning and jobs will register, on the Legal status tab: its queries
    count too, and it is computed only when its tab is shown."""
    calls = []

    def context(user, applicant):
        calls.append(applicant.pk)
        return {"period": applicant.periods.all()[0] if applicant.periods.all() else None}

    panel = panels.Panel(
        key="probe",
        title="Probe panel",
        template="casework/applicants/card_number_cell.html",
        context=context,
        tab="legal",
    )
    panels.register_panel("applicant", panel)
    yield calls
    panels.unregister_panel("applicant", "probe")


# What each tab must show of 12 rows (1 for the small case), proving it was rendered from the data.
TAB_PROBES = {
    "overview": ("Child 11", "Alias 11"),
    "legal": ('class="period-bar', "Probe panel"),
    "learning": (),
    "employment": ('class="jobs-panel"',),  # the jobs app's Employment panel (jobs/apps.py)
    "documents": ('id="documents"',),
    "notes": ('id="notes"', 'id="tasks"'),
    "history": ('id="assignments"', 'id="history"'),
}


@pytest.mark.django_db
@pytest.mark.parametrize("tab", list(TAB_PROBES))
@pytest.mark.parametrize("role", ["caseworker", "supervisor"])
def test_applicant_page_query_count_does_not_grow_with_rows(
    role, tab, request, client_for, caseworker, supervisor, probe_panel
):
    client = client_for(request.getfixturevalue(role))
    few = register(caseworker, family_name="Few", given_name="Rows")
    many = register(caseworker, family_name="Many", given_name="Rows")
    populate(few, caseworker, rows=1, reassigner=supervisor)
    populate(many, caseworker, rows=12, reassigner=supervisor)
    client.get(tab_url(few, tab))
    small, first = count_queries(client, tab_url(few, tab))
    large, response = count_queries(client, tab_url(many, tab))
    page = response.content.decode()
    for probe in TAB_PROBES[tab]:
        assert probe in page, (tab, probe)
    if tab == "legal":
        assert page.count('class="period-bar') == 12
    # Only the shown tab's panels are computed (the probe lives on the Legal status tab).
    assert bool(probe_panel) == (tab == "legal")
    assert small == large, (tab, small, large)
    print(f"\napplicant page, tab {tab}, queries for {role}: {small} with 1 row per section, {large} with 12")


@pytest.mark.django_db
@pytest.mark.parametrize("tab", list(TAB_PROBES))
def test_htmx_tab_request_runs_no_more_queries_than_the_page(tab, client_for, caseworker, supervisor):
    client = client_for(caseworker)
    many = register(caseworker, family_name="Many", given_name="Rows")
    populate(many, caseworker, rows=12, reassigner=supervisor)
    client.get(tab_url(many, tab))
    full, _ = count_queries(client, tab_url(many, tab))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(tab_url(many, tab), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="applicant-tabs"') and "<html" not in html
    assert 'id="applicant-header"' not in html  # the header is not recomputed for a tab switch
    assert len(queries) < full, (len(queries), full)


@pytest.mark.django_db
def test_unregistered_panels_leave_no_trace(client_for, caseworker, own, monkeypatch):
    # Without any registered panel (learning registers one in its AppConfig.ready).
    monkeypatch.setattr(panels, "_PANELS", {"applicant": {}})
    page = client_for(caseworker).get(url("applicant_detail", own)).content.decode()
    assert 'class="record-section panel"' not in page


@pytest.mark.django_db
def test_card_hash_matches_the_registration_check(caseworker):
    # The view compares a recorded check with the form through the same keyed hash.
    check = services.duplicate_check_run(by=caseworker, given_name="X", card_number="ab12345678cd")
    assert check.card_hash == crypto.lookup_hash("AB12345678CD")


@pytest.mark.django_db
def test_pages_render_in_japanese(client_for, caseworker, supervisor, own):
    add_period(caseworker, own, today() - timedelta(days=400), today() + timedelta(days=30))
    for user in (caseworker, supervisor):
        client = client_for(user)
        client.cookies["django_language"] = "ja"
        for path in (url("applicant_list"), url("applicant_register"), url("applicant_detail", own)):
            response = client.get(path)
            assert response.status_code == 200
            assert '<html lang="ja">' in response.content.decode()
    page = client.get(tab_url(own, "legal")).content.decode()
    assert "特定活動（難民認定申請中）" in page  # status labels follow the language
    assert "月</text>" in page or "tick-label-year" in page


@pytest.mark.django_db
def test_another_organisations_applicant_is_a_404_even_for_administrators(client_for, administrator):
    from casework.models import Organisation
    from tests.casework.factories import TeamFactory, UserFactory

    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere")
    foreign_team = TeamFactory(organisation=elsewhere, name="Elsewhere team")
    foreigner = UserFactory(roles=[Role.CASEWORKER], organisation=elsewhere, team=foreign_team)
    foreign = register(foreigner, family_name="Far", given_name="Away")
    client = client_for(administrator)
    assert client.get(url("applicant_detail", foreign)).status_code == 404
    assert foreign.reference_code not in client.get(url("applicant_list")).content.decode()


def test_the_list_filters_offer_the_teams_and_caseworkers_whose_people_one_may_list(
    administrator, supervisor, caseworker, teammate, other_caseworker, team, other_team, client_for
):
    """Issue 14: the team and caseworker filters offered the whole organisation to everyone, so a
    caseworker's list grew with the organisation; now a caseworker sees their own team's, a supervisor
    the teams they lead, an administrator every team."""

    def offered(user) -> tuple[set[int], set[int]]:
        form = client_for(user).get(reverse("applicant_list")).context["filter_form"]
        teams = set(form.fields["team"].queryset.values_list("pk", flat=True))
        people = set(form.fields["caseworker"].queryset.values_list("pk", flat=True))
        return teams, people

    assert offered(caseworker) == ({team.pk}, {caseworker.pk, teammate.pk})
    assert offered(supervisor) == ({team.pk}, {caseworker.pk, teammate.pk})
    assert offered(administrator) == (
        {team.pk, other_team.pk},
        {caseworker.pk, teammate.pk, other_caseworker.pk},
    )
    # A team one may not list is refused with the field named, not answered with an empty page.
    response = client_for(caseworker).get(reverse("applicant_list"), {"team": other_team.pk})
    assert response.status_code == 200 and "team" in response.context["filter_form"].errors
