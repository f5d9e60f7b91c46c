"""The attendance screen of a session: who may open and mark it, one tap saved in place with htmx, the
plain form that saves all rows, bad input, and a fixed number of queries for 5 or 50 learners."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.models import Attendance, AttendanceStatus, EnrollmentStatus
from tests.learning.factories import AttendanceFactory, EnrollmentFactory, SessionFactory, at
from tests.learning.views_setup import HTMX, future_session, learners, marks_of, today

pytestmark = pytest.mark.django_db


def sheet_url(session) -> str:
    return reverse("learning:session_attendance", kwargs={"pk": session.pk})


def mark_url(session) -> str:
    return reverse("learning:session_attendance_mark", kwargs={"pk": session.pk})


# --- Who may open the screen -------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, session):
    response = client.get(sheet_url(session))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["trainer", "administrator"])
def test_trainer_and_administrator_see_every_learner_with_buttons(
    request, client_for, who, session, own_enrollment, other_enrollment
):
    response = client_for(request.getfixturevalue(who)).get(sheet_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Perera" in html.upper() or "PERERA" in html
    assert "TUN" in html
    assert f'name="status-{own_enrollment.pk}"' in html
    assert f'name="status-{other_enrollment.pk}"' in html
    assert 'hx-post="' + mark_url(session) in html
    assert 'id="attendance-status"' in html
    # Trainers see names and language data only: no link on to the applicant page.
    assert f"/applicants/{own_enrollment.applicant.reference_code}/" not in html


def test_caseworker_reads_own_caseload_only_without_buttons(client_for, caseworker, session, own_enrollment):
    response = client_for(caseworker).get(sheet_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "PERERA" in html
    assert "TUN" not in html
    assert 'type="radio"' not in html
    # Nothing on the sheet marks attendance (the top bar's search posts too, elsewhere on the page).
    assert 'hx-post="' + mark_url(session) not in html
    assert 'id="attendance-status"' not in html


def test_supervisor_reads_team_learners_only(client_for, supervisor, session):
    html = client_for(supervisor).get(sheet_url(session)).content.decode()
    assert "PERERA" in html and "TUN" not in html and 'type="radio"' not in html


def test_another_trainers_session_is_not_found(client_for, other_trainer, session):
    assert client_for(other_trainer).get(sheet_url(session)).status_code == 404
    assert client_for(other_trainer).post(sheet_url(session), {"action": "all_present"}).status_code == 404


def test_employer_is_refused(client_for, employer, session):
    assert client_for(employer).get(sheet_url(session)).status_code == 403
    assert (
        client_for(employer).post(mark_url(session), {"enrollment": 1, "status": "present"}).status_code
        == 403
    )


@pytest.mark.parametrize("who", ["caseworker", "supervisor"])
def test_staff_who_only_read_cannot_mark(request, client_for, who, session, own_enrollment):
    client = client_for(request.getfixturevalue(who))
    data = {"enrollment": own_enrollment.pk, f"status-{own_enrollment.pk}": "present"}
    assert client.post(mark_url(session), data, **HTMX).status_code == 403
    assert client.post(sheet_url(session), data).status_code == 403
    assert not Attendance.objects.exists()


# --- One tap with htmx ---------------------------------------------------------------------------------


def test_a_tap_saves_and_returns_the_row_in_place(client_for, trainer, session, own_enrollment):
    client = client_for(trainer)
    response = client.post(
        mark_url(session), {"enrollment": own_enrollment.pk, f"status-{own_enrollment.pk}": "present"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<fieldset id="learner-{own_enrollment.pk}"')
    assert (
        f'id="mark-{own_enrollment.pk}-present" name="status-{own_enrollment.pk}" value="present" checked'
        in html
    )
    assert "Saved: Present" in html
    assert 'id="attendance-status"' in html and 'hx-swap-oob="true"' in html
    assert marks_of(session) == {own_enrollment.pk: "present"}

    # A second tap on the same learner changes the same row: last mark wins, never a duplicate.
    response = client.post(mark_url(session), {"enrollment": own_enrollment.pk, "status": "absent"}, **HTMX)
    assert "Saved: Absent" in response.content.decode()
    assert Attendance.objects.filter(session=session).count() == 1
    assert marks_of(session) == {own_enrollment.pk: "absent"}
    assert Attendance.objects.get().recorded_by == trainer


def test_the_unmarked_count_follows_each_tap(client_for, trainer, session, own_enrollment, other_enrollment):
    client = client_for(trainer)
    assert "Mark everyone present (2 unmarked)" in client.get(sheet_url(session)).content.decode()

    first = client.post(mark_url(session), {"enrollment": own_enrollment.pk, "status": "present"}, **HTMX)
    html = first.content.decode()
    block = html[html.index('<div id="mark-all-present" hx-swap-oob="true">') :]
    assert "Mark the 1 unmarked learner present" in block

    last = client.post(mark_url(session), {"enrollment": other_enrollment.pk, "status": "late"}, **HTMX)
    block = last.content.decode().split('<div id="mark-all-present" hx-swap-oob="true">', 1)[1]
    assert "unmarked" not in block.split("</div>", 1)[0], "nothing left to mark: the button goes"


def test_a_tap_without_javascript_redirects_back_with_a_message(client_for, trainer, session, own_enrollment):
    response = client_for(trainer).post(
        mark_url(session), {"enrollment": own_enrollment.pk, "status": "late"}, follow=True
    )
    assert response.redirect_chain[-1][0] == sheet_url(session)
    assert "Saved: PERERA Suriya, Late." in response.content.decode()
    assert marks_of(session) == {own_enrollment.pk: "late"}


def test_a_bad_status_is_refused_in_the_row(client_for, trainer, session, own_enrollment):
    response = client_for(trainer).post(
        mark_url(session), {"enrollment": own_enrollment.pk, "status": "asleep"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose present, late, excused or absent." in html
    assert f'id="learner-{own_enrollment.pk}-error"' in html
    assert not Attendance.objects.exists()


def test_a_learner_of_another_course_is_refused(client_for, trainer, session, make_user):
    elsewhere = EnrollmentFactory(course=SessionFactory(course__trainers=[trainer]).course)
    response = client_for(trainer).post(
        mark_url(session), {"enrollment": elsewhere.pk, "status": "present"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert "is not enrolled in this course" in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_unknown_enrolment_is_not_found(client_for, trainer, session, other_course):
    invisible = EnrollmentFactory(course=other_course)
    client = client_for(trainer)
    assert (
        client.post(mark_url(session), {"enrollment": invisible.pk, "status": "present"}).status_code == 404
    )
    assert client.post(mark_url(session), {"enrollment": "x", "status": "present"}).status_code == 404
    assert client.get(mark_url(session)).status_code == 405


def test_a_dropped_or_waiting_learner_is_not_listed_and_cannot_be_marked(
    client_for, trainer, session, course
):
    dropped = EnrollmentFactory(course=course, status=EnrollmentStatus.DROPPED, drop_reason="Moved away")
    waiting = EnrollmentFactory(course=course, status=EnrollmentStatus.WAITLISTED)
    client = client_for(trainer)
    html = client.get(sheet_url(session)).content.decode()
    assert f"status-{dropped.pk}" not in html and f"status-{waiting.pk}" not in html
    response = client.post(mark_url(session), {"enrollment": dropped.pk, "status": "present"}, **HTMX)
    assert "is not enrolled in this course" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_cancelled_session_says_so_and_offers_no_buttons(client_for, trainer, session, own_enrollment):
    session.cancelled, session.cancel_reason = True, "Typhoon"
    session.save()
    client = client_for(trainer)
    html = client.get(sheet_url(session)).content.decode()
    assert "This session was cancelled; no attendance is taken for it." in html
    assert "Typhoon" in html
    assert 'type="radio"' not in html
    response = client.post(mark_url(session), {"enrollment": own_enrollment.pk, "status": "present"}, **HTMX)
    assert "cancelled" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_future_session_offers_only_an_excused_absence(client_for, trainer, course, own_enrollment):
    ahead = future_session(course)
    client = client_for(trainer)
    html = client.get(sheet_url(ahead)).content.decode()
    assert 'value="excused"' in html and 'value="present"' not in html
    response = client.post(mark_url(ahead), {"enrollment": own_enrollment.pk, "status": "present"}, **HTMX)
    assert "has not taken place yet" in response.content.decode()
    client.post(mark_url(ahead), {"enrollment": own_enrollment.pk, "status": "excused"}, **HTMX)
    assert marks_of(ahead) == {own_enrollment.pk: "excused"}


# --- The plain form: all rows at once -------------------------------------------------------------------


def test_the_plain_form_saves_every_row(client_for, trainer, session, own_enrollment, other_enrollment):
    response = client_for(trainer).post(
        sheet_url(session),
        {
            "action": "save",
            f"status-{own_enrollment.pk}": "present",
            f"status-{other_enrollment.pk}": "excused",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == sheet_url(session)
    assert "Attendance saved for 2 learners." in response.content.decode()
    assert marks_of(session) == {own_enrollment.pk: "present", other_enrollment.pk: "excused"}


def test_a_bad_row_in_the_plain_form_saves_nothing(
    client_for, trainer, session, own_enrollment, other_enrollment
):
    response = client_for(trainer).post(
        sheet_url(session),
        {f"status-{own_enrollment.pk}": "present", f"status-{other_enrollment.pk}": "maybe"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    # The choice stays checked so nothing is lost, but is not shown as saved.
    assert (
        f'id="mark-{own_enrollment.pk}-present" name="status-{own_enrollment.pk}" value="present" checked'
        in html
    )
    assert "Saved: Present" not in html
    assert "Choose present, late, excused or absent." in html
    assert not Attendance.objects.exists()


def test_mark_everyone_present_fills_only_the_unmarked(
    client_for, trainer, session, own_enrollment, other_enrollment
):
    AttendanceFactory(session=session, enrollment=own_enrollment, status=AttendanceStatus.ABSENT)
    client = client_for(trainer)
    html = client.get(sheet_url(session)).content.decode()
    assert "Mark the 1 unmarked learner present" in html
    response = client.post(sheet_url(session), {"action": "all_present"}, follow=True)
    assert "Attendance saved for 1 learners." in response.content.decode()
    assert marks_of(session) == {own_enrollment.pk: "absent", other_enrollment.pk: "present"}
    again = client.post(sheet_url(session), {"action": "all_present"}, follow=True)
    assert "Nothing to save" in again.content.decode()
    assert Attendance.objects.filter(session=session).count() == 2


# --- Queries ----------------------------------------------------------------------------------------------


def _count(client, url, method="get", data=None, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {}, **extra)
    assert response.status_code == 200, response.status_code
    return len(queries)


@pytest.mark.parametrize("who", ["trainer", "caseworker"])
def test_the_screen_runs_the_same_queries_for_5_or_50_learners(
    request, client_for, who, team, caseworker, course, trainer
):
    user = request.getfixturevalue(who)
    client = client_for(user)
    small = SessionFactory(course=course, starts_at=at(today(), 9))
    people = learners(course, 5, team=team, caseworker=caseworker)
    for enrollment in people[:3]:
        AttendanceFactory(session=small, enrollment=enrollment, recorded_by=trainer)
    client.get(sheet_url(small))  # warm caches (session, roles)
    few = _count(client, sheet_url(small))
    more = learners(course, 45, team=team, caseworker=caseworker)
    for enrollment in more[:30]:
        AttendanceFactory(session=small, enrollment=enrollment, recorded_by=trainer)
    many = _count(client, sheet_url(small))
    assert few == many
    html = client.get(sheet_url(small)).content.decode()
    assert html.count('class="mark-row') == 50
    assert few <= 12


def test_a_tap_runs_a_fixed_number_of_queries(client_for, trainer, team, course):
    small = SessionFactory(course=course, starts_at=at(today(), 9))
    people = learners(course, 50, team=team)
    client = client_for(trainer)
    first = _count(client, mark_url(small), "post", {"enrollment": people[0].pk, "status": "present"}, **HTMX)
    second = _count(client, mark_url(small), "post", {"enrollment": people[49].pk, "status": "late"}, **HTMX)
    assert first == second
    assert first <= 25
