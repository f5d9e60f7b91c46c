"""Report pages and the reports API: who may read which report, bad filters (a message naming the field and
no data), the chart and the table on the page, the API's JSON, and queries that do not grow with data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.selectors.catalogue import REPORTS
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import EmployerFactory
from tests.learning.factories import (
    AssessmentFactory,
    AttendanceFactory,
    CourseFactory,
    EnrollmentFactory,
    SessionFactory,
    at,
)
from tests.reports.data import follow_up_record, period, placement, referral, reminder, stage_change, today

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

ALL = sorted(REPORTS)
TRAINER_REPORTS = [key for key, spec in REPORTS.items() if spec.for_trainers]  # in the catalogue's order


def page(client, key, **params):
    return client.get(reverse("reports:report_detail", kwargs={"key": key}), params)


def api(client, key, **params):
    return client.get(reverse("report-detail", kwargs={"key": key}), params)


# --- who reads what -----------------------------------------------------------------------------------


def test_the_index_lists_the_reports_of_the_role(client_for, caseworker, trainer):
    content = client_for(caseworker).get(reverse("reports:report_index")).content.decode()
    for key in ALL:
        assert reverse("reports:report_detail", kwargs={"key": key}) in content
    content = client_for(trainer).get(reverse("reports:report_index")).content.decode()
    shown = [key for key in ALL if reverse("reports:report_detail", kwargs={"key": key}) in content]
    assert sorted(shown) == sorted(TRAINER_REPORTS)
    assert [row["key"] for row in client_for(trainer).get(reverse("report-list")).json()] == TRAINER_REPORTS


@pytest.mark.parametrize("key", ALL)
def test_trainers_read_attendance_and_language_only(client_for, trainer, key):
    expected = 200 if key in TRAINER_REPORTS else 403
    assert page(client_for(trainer), key).status_code == expected
    assert api(client_for(trainer), key).status_code == expected


def test_employer_users_read_no_report(client_for, employer):
    client = client_for(employer)
    assert client.get(reverse("reports:report_index")).status_code == 403
    assert page(client, "funnel").status_code == 403
    assert client.get(reverse("report-list")).status_code == 403
    assert api(client, "funnel").status_code == 403


def test_an_unknown_report_is_404(client_for, administrator):
    assert page(client_for(administrator), "nope").status_code == 404
    assert api(client_for(administrator), "nope").status_code == 404


def test_the_navigation_has_reports(client_for, caseworker):
    content = client_for(caseworker).get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:report_index")}"' in content


# --- bad input: a message naming the field, no data -----------------------------------------------------


BAD = {
    "end before start": ({"start": "2026-03-01", "end": "2026-02-01"}, "end", "end is before its start"),
    "future period": ({"start": "2099-01-01", "end": "2099-02-01"}, "start", "cannot start in the future"),
    "future end": ({"end": "2099-02-01"}, "end", "cannot end in the future"),
    "unknown team": ({"team": "999999"}, "team", "no team with this id"),
    "unknown employer": ({"employer": "999999"}, "employer", "no employer with this id"),
    "unknown course": ({"course": "999999"}, "course", "no course with this id"),
    "not a date": ({"start": "yesterday"}, "start", "valid date"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_filters_name_the_field_and_show_no_data(client_for, supervisor, case):
    params, field, message = BAD[case]
    key = {"employer": "placement_time", "course": "attendance"}.get(field, "funnel")
    response = page(client_for(supervisor), key, **params)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content and f'id="id_{field}"' in content
    assert "report-chart" not in content and "report-figures" not in content
    response = api(client_for(supervisor), key, **params)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_a_team_the_supervisor_does_not_lead(client_for, supervisor, other_team, team):
    response = page(client_for(supervisor), "funnel", team=other_team.pk)
    assert "You do not lead this team" in response.content.decode()
    assert "report-chart" not in response.content.decode()
    response = api(client_for(supervisor), "funnel", team=other_team.pk)
    assert response.status_code == 400 and "You do not lead this team" in response.json()["team"][0]
    assert api(client_for(supervisor), "funnel", team=team.pk).status_code == 200


def test_an_unknown_filter_parameter_is_a_400(client_for, administrator):
    response = api(client_for(administrator), "funnel", colour="blue")
    assert response.status_code == 400 and "colour" in response.json()


def test_a_caseworker_has_no_team_filter(client_for, caseworker):
    content = page(client_for(caseworker), "funnel").content.decode()
    assert 'id="id_team"' not in content and 'id="id_nationality"' in content


# --- the page and the API -------------------------------------------------------------------------------


def test_the_page_shows_the_figures_the_chart_and_the_table(client_for, caseworker, administrator, team):
    person = ApplicantFactory(team=team, caseworker=caseworker)
    stage_change(person, "intake", days_ago=3, actor=administrator, created=True)
    content = page(client_for(caseworker), "funnel").content.decode()
    assert 'role="img"' in content and 'aria-labelledby="report-chart-title report-chart-desc"' in content
    assert '<title id="report-chart-title">Intake to placement</title>' in content
    assert '<desc id="report-chart-desc">Intake: 1; Job-ready: 0; Referred: 0; Placed: 0</desc>' in content
    assert '<th scope="row">Intake</th><td>1</td>' in content


def test_the_api_returns_the_figures_and_the_series(client_for, caseworker, administrator, team):
    person = ApplicantFactory(team=team, caseworker=caseworker)
    stage_change(person, "intake", days_ago=3, actor=administrator, created=True)
    body = api(client_for(caseworker), "funnel", start=(today() - timedelta(days=10)).isoformat()).json()
    assert body["key"] == "funnel"
    assert body["filters"] == {
        "start": (today() - timedelta(days=10)).isoformat(),
        "end": today().isoformat(),
    }
    assert {figure["key"]: figure["value"] for figure in body["figures"]}["intake"] == 1
    assert [bar["key"] for bar in body["series"]] == ["intake", "job_ready", "referred", "placed"]
    assert body["columns"][0] == "Step" and body["rows"][0][:2] == ["Intake", 1]


# --- queries do not grow with data ----------------------------------------------------------------------


def _data(times, *, team, caseworker, trainer, by):
    course = CourseFactory(trainers=[trainer])
    employer = EmployerFactory(created_by=by)
    for index in range(times):
        person = ApplicantFactory(team=team, caseworker=caseworker, intake_date=today() - timedelta(days=130))
        stage_change(person, "intake", days_ago=90, actor=by, created=True)
        stage_change(person, "job_ready", days_ago=60, actor=by)
        referral(person, days_ago=50, by=by)
        placed = placement(
            person,
            start=today() - timedelta(days=100),
            by=by,
            ended_on=today() - timedelta(days=3),
            reason="moved",
        )
        follow_up_record(placed, 1, outcome="retained", days_ago=60, difficulties=("commute",))
        for days_ago, level in ((60, "A1"), (5, "A2")):
            AssessmentFactory(
                applicant=person,
                cefr_level=level,
                level=level,
                assessed_on=today() - timedelta(days=days_ago),
            )
        stage_change(person, "placed", days_ago=30, actor=by)
        period(person, end=today() - timedelta(days=5), renewal_filed=bool(index % 2))
        reminder(person, days_ago=20, acknowledged=bool(index % 2), source_id=person.pk)
        enrollment = EnrollmentFactory(course=course, applicant=person)
        session = SessionFactory(course=course, starts_at=at(today() - timedelta(days=index + 1)))
        AttendanceFactory(session=session, enrollment=enrollment, status="present")
    return course, employer


@pytest.mark.parametrize("key", ALL)
def test_a_report_page_runs_the_same_queries_for_1x_and_5x_data(
    client_for, key, supervisor, caseworker, trainer, administrator, team
):
    client = client_for(supervisor)
    counts = []
    for times in (1, 5):
        _data(times, team=team, caseworker=caseworker, trainer=trainer, by=administrator)
        with CaptureQueriesContext(connection) as queries:
            response = page(client, key)
        assert response.status_code == 200
        assert not response.context["page"].result.is_empty, (
            "the data must give the report something to count"
        )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
