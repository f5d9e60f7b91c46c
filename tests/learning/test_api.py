"""The learning API: each endpoint × role (own and others' objects), the services' messages as 400s naming
the field, bulk attendance all or nothing, learners shown as name and reference code only, certificates,
constant query counts on every list, and the schema."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import AccessLogEntry, Document
from casework.roles import Role
from learning import services
from learning.models import Assessment, Attendance, Course, Enrollment, Session
from tests.casework.applicant_factories import ApplicantFactory, build_caseload, bulk_applicants
from tests.casework.record_factories import clean_documents, pdf_upload  # noqa: F401 (fixture)
from tests.learning.factories import (
    AssessmentFactory,
    AttendanceFactory,
    CourseFactory,
    EnrollmentFactory,
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"
COURSES, SESSIONS, ENROLLMENTS = f"{API}courses/", f"{API}sessions/", f"{API}enrollments/"
ATTENDANCE, ASSESSMENTS = f"{API}attendance/", f"{API}assessments/"
LISTS = [COURSES, SESSIONS, ENROLLMENTS, ATTENDANCE, ASSESSMENTS]
LEARNER_KEYS = {"reference_code", "name"}


def today() -> date:
    return timezone.localdate()


def post(client: Client, url: str, data: object = None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client: Client, url: str, data: object):
    return client.patch(url, data, content_type="application/json")


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def caseload(team, other_team, caseworker, supervisor):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


@pytest.fixture
def other_trainer(make_user):
    return make_user(Role.TRAINER, username="trainer2")


@pytest.fixture
def world(caseload, trainer, other_trainer, caseworker, administrator):
    """Two courses (the trainer's, another trainer's), a session in each, own and foreign learners."""
    course = CourseFactory(trainers=[trainer], capacity=3, name="Trainer's course")
    other = CourseFactory(trainers=[other_trainer], name="Other course")
    session = SessionFactory(course=course, starts_at=at(today() - timedelta(days=1)))
    other_session = SessionFactory(course=other, starts_at=at(today() - timedelta(days=1)))
    own = EnrollmentFactory(course=course, applicant=caseload.own)
    shared = EnrollmentFactory(course=course, applicant=caseload.shared)
    foreign = EnrollmentFactory(course=other, applicant=caseload.foreign)
    return {
        "course": course,
        "other": other,
        "session": session,
        "other_session": other_session,
        "own": own,
        "shared": shared,
        "foreign": foreign,
    }


@pytest.fixture
def clients(client_for, administrator, supervisor, caseworker, trainer, employer) -> dict[str, Client]:
    return {
        Role.ADMINISTRATOR: client_for(administrator),
        Role.SUPERVISOR: client_for(supervisor),
        Role.CASEWORKER: client_for(caseworker),
        Role.TRAINER: client_for(trainer),
        Role.EMPLOYER: client_for(employer),
    }


# --- Everyone outside: anonymous, employer users ------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_is_refused(url):
    response = Client().get(url)
    assert response.status_code == 401
    assert post(Client(), url, {}).status_code == 401


def test_employer_users_see_nothing_and_write_nothing(world, clients):
    client = clients[Role.EMPLOYER]
    for url in LISTS:
        assert ids(client.get(url)) == set(), url
        assert post(client, url, {}).status_code == 403, url
    assert client.get(f"{COURSES}{world['course'].pk}/").status_code == 404
    assert client.get(f"{SESSIONS}{world['session'].pk}/attendance/").status_code == 404
    assert client.get(f"{ENROLLMENTS}{world['own'].pk}/").status_code == 404
    ref = world["own"].applicant.reference_code
    assert client.get(f"{ASSESSMENTS}current-level/?applicant={ref}").status_code == 404


# --- Courses --------------------------------------------------------------------------------------------------


def test_course_lists_per_role(world, clients):
    both = {world["course"].pk, world["other"].pk}
    assert ids(clients[Role.TRAINER].get(COURSES)) == {world["course"].pk}
    for role in (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER):
        assert ids(clients[role].get(COURSES)) == both, role
    trainer = clients[Role.TRAINER]
    assert trainer.get(f"{COURSES}{world['other'].pk}/").status_code == 404
    body = trainer.get(f"{COURSES}{world['course'].pk}/").json()
    assert (body["enrolled_count"], body["waitlisted_count"], body["places_left"]) == (2, 0, 1)
    assert [t["name"] for t in body["trainers"]] == [str(world["course"].trainers.get())]


def test_course_filters_are_the_pages(world, clients):
    assert ids(clients[Role.CASEWORKER].get(f"{COURSES}?q=other")) == {world["other"].pk}
    assert ids(clients[Role.TRAINER].get(f"{COURSES}?mine=true")) == {world["course"].pk}
    assert clients[Role.CASEWORKER].get(f"{COURSES}?kind=cooking").status_code == 400


def new_course(**changes):
    return {
        "name": "Business manners",
        "kind": "business_manners",
        "format": "online",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=60)).isoformat(),
        "capacity": 10,
        **changes,
    }


def test_a_trainer_creates_and_changes_a_course(clients, trainer, world):
    client = clients[Role.TRAINER]
    response = post(client, COURSES, new_course())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [t["id"] for t in body["trainers"]] == [trainer.pk]
    assert (body["enrolled_count"], body["places_left"]) == (0, 10)
    changed = patch(client, f"{COURSES}{body['id']}/", {"capacity": 12, "place": "Zoom"})
    assert changed.status_code == 200 and changed.json()["capacity"] == 12
    assert patch(client, f"{COURSES}{world['other'].pk}/", {"capacity": 1}).status_code == 404
    # Only administrators choose trainers.
    assert patch(client, f"{COURSES}{body['id']}/", {"trainers": [trainer.pk]}).status_code == 403


def test_bad_course_input_is_a_400_naming_each_field(clients):
    response = post(
        clients[Role.TRAINER],
        COURSES,
        new_course(name="", kind="cooking", capacity=0, ends_on=(today() - timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name", "kind", "capacity", "ends_on"}
    assert response.json()["capacity"] == ["Enter the number of places, from 1 to 1000."]
    response = post(clients[Role.TRAINER], COURSES, new_course(starts_on="someday", capacity="many"))
    assert response.status_code == 400 and set(response.json()) == {"starts_on", "capacity"}
    assert not Course.objects.filter(name="Business manners").exists()


def test_caseworkers_and_supervisors_do_not_create_or_change_courses(world, clients):
    for role in (Role.CASEWORKER, Role.SUPERVISOR):
        assert post(clients[role], COURSES, new_course()).status_code == 403
        assert patch(clients[role], f"{COURSES}{world['course'].pk}/", {"capacity": 9}).status_code == 403
        assert patch(clients[role], f"{COURSES}{world['course'].pk}/", {}).status_code == 403


def test_an_administrator_creates_a_course_with_trainers(clients, trainer, caseworker):
    client = clients[Role.ADMINISTRATOR]
    response = post(client, COURSES, new_course(trainers=[trainer.pk]))
    assert response.status_code == 201 and [t["id"] for t in response.json()["trainers"]] == [trainer.pk]
    assert post(client, COURSES, new_course(trainers=[caseworker.pk])).json().keys() == {"trainers"}
    assert post(client, COURSES, new_course(trainers=[999999])).status_code == 400


def test_generate_sessions_from_a_weekly_pattern(clients, trainer):
    monday = date(2026, 11, 2)
    course = CourseFactory(trainers=[trainer], starts_on=monday, ends_on=monday + timedelta(days=13))
    url = f"{COURSES}{course.pk}/generate-sessions/"
    response = post(clients[Role.TRAINER], url, {"weekdays": [1, 3], "start_time": "18:30", "topic": "Keigo"})
    assert response.status_code == 201, response.json()
    assert len(response.json()) == 4 and {s["topic"] for s in response.json()} == {"Keigo"}
    assert Session.objects.filter(course=course).count() == 4
    nothing = post(
        clients[Role.TRAINER],
        url,
        {
            "weekdays": [6],
            "start_time": "10:00",
            "first_day": monday.isoformat(),
            "last_day": monday.isoformat(),
        },
    )
    assert nothing.status_code == 400
    assert "No session falls" in nothing.json()["weekdays"][0]
    assert post(clients[Role.TRAINER], url, {"weekdays": [], "start_time": "10:00"}).json().keys() == {
        "weekdays"
    }
    assert post(clients[Role.TRAINER], url, {"weekdays": [1]}).json().keys() == {"start_time"}
    assert post(clients[Role.CASEWORKER], url, {"weekdays": [1], "start_time": "10:00"}).status_code == 403
    assert Session.objects.filter(course=course).count() == 4


# --- Sessions -------------------------------------------------------------------------------------------------


def test_session_lists_per_role(world, clients):
    both = {world["session"].pk, world["other_session"].pk}
    assert ids(clients[Role.TRAINER].get(SESSIONS)) == {world["session"].pk}
    for role in (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER):
        assert ids(clients[role].get(SESSIONS)) == both
    assert ids(clients[Role.CASEWORKER].get(f"{SESSIONS}?course={world['other'].pk}")) == {
        world["other_session"].pk
    }


def test_sessions_are_added_moved_and_cancelled_by_the_courses_trainer(world, clients):
    client = clients[Role.TRAINER]
    course = world["course"]
    outside = post(
        client,
        SESSIONS,
        {"course": course.pk, "starts_at": at(course.ends_on + timedelta(days=1)).isoformat()},
    )
    assert outside.status_code == 400 and outside.json().keys() == {"starts_at"}
    assert course.starts_on.isoformat() in outside.json()["starts_at"][0]
    assert post(client, SESSIONS, {"course": course.pk}).json().keys() == {"starts_at"}
    clash = post(client, SESSIONS, {"course": course.pk, "starts_at": world["session"].starts_at.isoformat()})
    assert clash.status_code == 400
    made = post(
        client,
        SESSIONS,
        {
            "course": course.pk,
            "starts_at": at(today() + timedelta(days=1), 10).isoformat(),
            "topic": "Numbers",
        },
    )
    assert made.status_code == 201 and made.json()["topic"] == "Numbers"
    moved = patch(client, f"{SESSIONS}{made.json()['id']}/", {"duration_minutes": 60})
    assert moved.status_code == 200 and moved.json()["duration_minutes"] == 60
    assert patch(client, f"{SESSIONS}{made.json()['id']}/", {"duration_minutes": 0}).json().keys() == {
        "duration_minutes"
    }
    cancelled = post(client, f"{SESSIONS}{made.json()['id']}/cancel/", {"reason": "Typhoon"})
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    # One that took place is corrected, not cancelled.
    held = post(
        client, SESSIONS, {"course": course.pk, "starts_at": at(today() - timedelta(days=1), 10).isoformat()}
    )
    assert held.status_code == 201
    refused = post(client, f"{SESSIONS}{held.json()['id']}/cancel/", {"reason": "Typhoon"})
    assert refused.status_code == 400 and refused.json().keys() == {"session"}
    # Another trainer's course: not visible (404); a caseworker sees it but may not change it (403).
    assert (
        post(
            client, SESSIONS, {"course": world["other"].pk, "starts_at": at(today()).isoformat()}
        ).status_code
        == 404
    )
    assert post(client, f"{SESSIONS}{world['other_session'].pk}/cancel/").status_code == 404
    assert post(clients[Role.CASEWORKER], f"{SESSIONS}{world['session'].pk}/cancel/").status_code == 403
    assert (
        post(
            clients[Role.CASEWORKER], SESSIONS, {"course": course.pk, "starts_at": at(today(), 9).isoformat()}
        ).status_code
        == 403
    )


# --- The attendance sheet of a session ----------------------------------------------------------------------


def sheet(response) -> dict[int, str | None]:
    assert response.status_code == 200, response.content
    return {row["enrollment"]: row["status"] for row in response.json()["learners"]}


def test_the_sheet_lists_every_enrolled_learner_with_the_current_mark(world, clients):
    url = f"{SESSIONS}{world['session'].pk}/attendance/"
    EnrollmentFactory(course=world["course"], status="waitlisted")  # not on the sheet
    body = clients[Role.TRAINER].get(url).json()
    assert body["session"]["id"] == world["session"].pk
    assert {row["enrollment"]: row["status"] for row in body["learners"]} == {
        world["own"].pk: None,
        world["shared"].pk: None,
    }
    assert all(set(row["applicant"]) == LEARNER_KEYS for row in body["learners"])
    # A caseworker reads the marks of their own caseload only; the other trainer not at all.
    assert sheet(clients[Role.CASEWORKER].get(url)) == {world["own"].pk: None}
    assert sheet(clients[Role.SUPERVISOR].get(url)) == {world["own"].pk: None, world["shared"].pk: None}
    assert clients[Role.TRAINER].get(f"{SESSIONS}{world['other_session'].pk}/attendance/").status_code == 404


def test_bulk_marks_save_all_and_a_repeat_updates(world, clients):
    url = f"{SESSIONS}{world['session'].pk}/attendance/"
    own, shared = world["own"].pk, world["shared"].pk
    marks = {"marks": [{"enrollment": own, "status": "present"}, {"enrollment": shared, "status": "late"}]}
    assert sheet(post(clients[Role.TRAINER], url, marks)) == {own: "present", shared: "late"}
    again = {"marks": [{"enrollment": shared, "status": "absent"}]}
    assert sheet(post(clients[Role.TRAINER], url, again)) == {own: "present", shared: "absent"}
    assert Attendance.objects.filter(session=world["session"]).count() == 2


def test_bulk_marks_are_all_or_nothing(world, clients):
    url = f"{SESSIONS}{world['session'].pk}/attendance/"
    client = clients[Role.TRAINER]
    bad = [
        {
            "marks": [
                {"enrollment": world["own"].pk, "status": "present"},
                {"enrollment": world["foreign"].pk, "status": "present"},
            ]
        },
        {
            "marks": [
                {"enrollment": world["own"].pk, "status": "present"},
                {"enrollment": world["shared"].pk, "status": "asleep"},
            ]
        },
        {
            "marks": [
                {"enrollment": world["own"].pk, "status": "present"},
                {"enrollment": world["own"].pk, "status": "late"},
            ]
        },
        {"marks": []},
    ]
    for body in bad:
        response = post(client, url, body)
        assert response.status_code == 400, body
        assert response.json().keys() == {"marks"}
    assert "not enrolled" in " ".join(post(client, url, bad[0]).json()["marks"])
    shape = post(client, url, {"marks": [{"enrollment": "x", "status": "present"}]})
    assert shape.status_code == 400 and "marks" in shape.json()
    assert not Attendance.objects.exists()


def test_bulk_marks_for_a_cancelled_session_and_by_those_who_may_not(world, clients):
    url = f"{SESSIONS}{world['session'].pk}/attendance/"
    marks = {"marks": [{"enrollment": world["own"].pk, "status": "present"}]}
    for role in (Role.CASEWORKER, Role.SUPERVISOR):
        assert post(clients[role], url, marks).status_code == 403
    assert (
        post(clients[Role.TRAINER], f"{SESSIONS}{world['other_session'].pk}/attendance/", marks).status_code
        == 404
    )
    Session.objects.filter(pk=world["session"].pk).update(cancelled=True)
    response = post(clients[Role.TRAINER], url, marks)
    assert response.status_code == 400 and response.json().keys() == {"session"}
    assert not Attendance.objects.exists()
    assert sheet(
        post(
            clients[Role.ADMINISTRATOR],
            f"{SESSIONS}{world['other_session'].pk}/attendance/",
            {"marks": [{"enrollment": world["foreign"].pk, "status": "excused"}]},
        )
    ) == {world["foreign"].pk: "excused"}


# --- Enrolments ---------------------------------------------------------------------------------------------


def test_enrolment_lists_per_role(world, clients):
    assert ids(clients[Role.TRAINER].get(ENROLLMENTS)) == {world["own"].pk, world["shared"].pk}
    assert ids(clients[Role.CASEWORKER].get(ENROLLMENTS)) == {world["own"].pk}
    assert ids(clients[Role.SUPERVISOR].get(ENROLLMENTS)) == {world["own"].pk, world["shared"].pk}
    assert ids(clients[Role.ADMINISTRATOR].get(ENROLLMENTS)) == {
        world["own"].pk,
        world["shared"].pk,
        world["foreign"].pk,
    }
    assert clients[Role.CASEWORKER].get(f"{ENROLLMENTS}{world['shared'].pk}/").status_code == 404
    body = clients[Role.TRAINER].get(f"{ENROLLMENTS}{world['own'].pk}/").json()
    assert set(body["applicant"]) == LEARNER_KEYS


def test_enrol_until_full_then_the_waiting_list(world, clients, caseworker, team):
    client = clients[Role.CASEWORKER]
    course = world["course"]  # capacity 3, two enrolled
    people = [ApplicantFactory(team=team, caseworker=caseworker) for _ in range(3)]
    first = post(client, ENROLLMENTS, {"course": course.pk, "applicant": people[0].reference_code.lower()})
    assert first.status_code == 201, first.json()
    assert (first.json()["status"], first.json()["waitlisted"], first.json()["position"]) == (
        "enrolled",
        False,
        None,
    )
    second = post(client, ENROLLMENTS, {"course": course.pk, "applicant": people[1].reference_code})
    third = post(client, ENROLLMENTS, {"course": course.pk, "applicant": people[2].reference_code})
    assert second.status_code == third.status_code == 201
    assert (second.json()["status"], second.json()["position"]) == ("waitlisted", 1)
    assert third.json()["position"] == 2
    assert "waiting list" in third.json()["message"]
    twice = post(client, ENROLLMENTS, {"course": course.pk, "applicant": people[0].reference_code})
    assert twice.status_code == 400 and twice.json().keys() == {"applicant"}


def test_who_may_enrol_whom(world, clients, caseload):
    course = world["other"].pk
    cw = clients[Role.CASEWORKER]
    assert (
        post(cw, ENROLLMENTS, {"course": course, "applicant": caseload.foreign.reference_code}).status_code
        == 404
    )
    # Readable in the shared team caseload, but not theirs to change.
    assert (
        post(cw, ENROLLMENTS, {"course": course, "applicant": caseload.shared.reference_code}).status_code
        == 403
    )
    assert (
        post(cw, ENROLLMENTS, {"course": 999999, "applicant": caseload.own.reference_code}).status_code == 404
    )
    trainer = clients[Role.TRAINER]
    assert (
        post(
            trainer, ENROLLMENTS, {"course": world["course"].pk, "applicant": caseload.own.reference_code}
        ).status_code
        == 403
    )
    supervisor = clients[Role.SUPERVISOR]
    assert (
        post(
            supervisor, ENROLLMENTS, {"course": course, "applicant": caseload.shared.reference_code}
        ).status_code
        == 201
    )
    assert post(cw, ENROLLMENTS, {"course": course}).json().keys() == {"applicant"}


def test_drop_promotes_the_first_waiting_and_complete(world, clients, caseworker, team):
    client = clients[Role.CASEWORKER]
    course = world["course"]
    course.capacity = 2
    course.save()
    waiting = ApplicantFactory(team=team, caseworker=caseworker)
    queued = post(client, ENROLLMENTS, {"course": course.pk, "applicant": waiting.reference_code}).json()
    assert queued["status"] == "waitlisted"
    url = f"{ENROLLMENTS}{world['own'].pk}/drop/"
    missing = post(client, url, {"reason": " "})
    assert missing.status_code == 400 and missing.json().keys() == {"reason"}
    dropped = post(client, url, {"reason": "Found a job"})
    assert dropped.status_code == 200
    assert dropped.json()["enrollment"]["status"] == "dropped"
    assert dropped.json()["enrollment"]["drop_reason"] == "Found a job"
    assert dropped.json()["promoted"]["id"] == queued["id"]
    assert dropped.json()["promoted"]["status"] == "enrolled"
    assert post(client, url, {"reason": "Again"}).json().keys() == {"status"}
    assert post(client, f"{ENROLLMENTS}{world['shared'].pk}/drop/", {"reason": "x"}).status_code == 404
    assert (
        post(clients[Role.TRAINER], f"{ENROLLMENTS}{queued['id']}/drop/", {"reason": "x"}).status_code == 403
    )
    done = post(clients[Role.TRAINER], f"{ENROLLMENTS}{queued['id']}/complete/")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert post(client, f"{ENROLLMENTS}{queued['id']}/complete/").json().keys() == {"status"}


# --- Attendance, one mark at a time ------------------------------------------------------------------------


def test_attendance_lists_per_role(world, clients):
    mine = AttendanceFactory(session=world["session"], enrollment=world["own"])
    colleague = AttendanceFactory(session=world["session"], enrollment=world["shared"])
    theirs = AttendanceFactory(session=world["other_session"], enrollment=world["foreign"])
    assert ids(clients[Role.TRAINER].get(ATTENDANCE)) == {mine.pk, colleague.pk}
    assert ids(clients[Role.CASEWORKER].get(ATTENDANCE)) == {mine.pk}
    assert ids(clients[Role.SUPERVISOR].get(ATTENDANCE)) == {mine.pk, colleague.pk}
    assert ids(clients[Role.ADMINISTRATOR].get(ATTENDANCE)) == {mine.pk, colleague.pk, theirs.pk}
    assert clients[Role.TRAINER].get(f"{ATTENDANCE}{theirs.pk}/").status_code == 404
    row = clients[Role.CASEWORKER].get(f"{ATTENDANCE}{mine.pk}/").json()
    assert set(row["applicant"]) == LEARNER_KEYS and row["status"] == "present"
    assert ids(clients[Role.ADMINISTRATOR].get(f"{ATTENDANCE}?course={world['other'].pk}")) == {theirs.pk}


def test_attendance_list_count_stops_at_a_cap_and_says_so(world, clients, monkeypatch):
    from casework.api.pagination import CappedCountPagination

    monkeypatch.setattr(CappedCountPagination, "count_cap", 1)
    monkeypatch.setattr(CappedCountPagination, "page_size", 1)
    course = world["session"].course
    sessions = [world["session"]] + [
        SessionFactory(course=course, starts_at=at(today() - timedelta(days=days))) for days in (2, 3, 4)
    ]
    marks = [AttendanceFactory(session=session, enrollment=world["own"]).pk for session in sessions]
    client = clients[Role.ADMINISTRATOR]
    first = client.get(ATTENDANCE).json()
    # Counted up to page 1 + the cap (2 rows) of 4: a lower bound, flagged; the next page is there.
    assert (first["count"], first["count_capped"], len(first["results"])) == (2, True, 1)
    assert first["next"] and first["previous"] is None
    pages = [client.get(ATTENDANCE, {"page": number}).json() for number in (1, 2, 3, 4)]
    assert sorted(page["results"][0]["id"] for page in pages) == sorted(marks)
    assert (pages[3]["count"], pages[3]["count_capped"], pages[3]["next"]) == (4, False, None)
    last = client.get(ATTENDANCE, {"page": "last"}).json()
    assert (last["count"], last["count_capped"], last["next"]) == (4, False, None)
    assert client.get(ATTENDANCE, {"page": 5}).status_code == 404


def test_marking_once_creates_and_again_updates_the_one_row(world, clients):
    client = clients[Role.TRAINER]
    body = {"session": world["session"].pk, "enrollment": world["own"].pk, "status": "absent"}
    first = post(client, ATTENDANCE, body)
    assert first.status_code == 201, first.json()
    second = post(client, ATTENDANCE, {**body, "status": "late"})
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert second.json()["status"] == "late"
    assert Attendance.objects.count() == 1
    assert client.delete(f"{ATTENDANCE}{first.json()['id']}/").status_code == 405


def test_bad_single_marks(world, clients):
    client = clients[Role.TRAINER]
    session = world["session"].pk
    elsewhere = EnrollmentFactory(course=CourseFactory(trainers=[world["course"].trainers.get()]))
    response = post(client, ATTENDANCE, {"session": session, "enrollment": elsewhere.pk, "status": "present"})
    assert response.status_code == 400 and response.json().keys() == {"enrollment"}
    hidden = post(
        client, ATTENDANCE, {"session": session, "enrollment": world["foreign"].pk, "status": "present"}
    )
    assert hidden.status_code == 400 and hidden.json().keys() == {"enrollment"}
    unknown = post(
        client, ATTENDANCE, {"session": session, "enrollment": world["own"].pk, "status": "asleep"}
    )
    assert unknown.status_code == 400 and unknown.json().keys() == {"status"}
    Session.objects.filter(pk=session).update(cancelled=True)
    cancelled = post(
        client, ATTENDANCE, {"session": session, "enrollment": world["own"].pk, "status": "present"}
    )
    assert cancelled.status_code == 400 and cancelled.json().keys() == {"session"}
    other = post(
        client,
        ATTENDANCE,
        {"session": world["other_session"].pk, "enrollment": world["own"].pk, "status": "present"},
    )
    assert other.status_code == 404
    assert (
        post(
            clients[Role.CASEWORKER],
            ATTENDANCE,
            {"session": session, "enrollment": world["own"].pk, "status": "present"},
        ).status_code
        == 403
    )
    assert not Attendance.objects.exists()


# --- Assessments --------------------------------------------------------------------------------------------


def result(applicant, **changes):
    return {
        "applicant": applicant.reference_code,
        "framework": "jlpt",
        "level": "N 3",
        "score": 110,
        "assessed_on": (today() - timedelta(days=20)).isoformat(),
        **changes,
    }


def test_record_a_jlpt_result_normalised_with_its_cefr(world, clients, caseload):
    response = post(clients[Role.CASEWORKER], ASSESSMENTS, result(caseload.own))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["level"], body["cefr_level"], body["passed"], body["certificate"]) == (
        "N3",
        "B1",
        True,
        None,
    )
    assert set(body["applicant"]) == LEARNER_KEYS


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": "N6"}, "level"),
        ({"framework": "jft_basic", "level": "", "score": 251}, "score"),
        ({"framework": "jft_basic", "level": "", "score": 9}, "score"),
        ({"framework": "bjt", "level": "", "score": 801}, "score"),
        ({"assessed_on": (date.today() + timedelta(days=2)).isoformat()}, "assessed_on"),
        ({"assessed_on": "yesterday"}, "assessed_on"),
        ({"framework": "toeic"}, "framework"),
        ({"score": "lots"}, "score"),
        ({"skill_scores": {"reading": 70}}, "skill_scores"),
        ({"skill_scores": "not json"}, "skill_scores"),
        ({"course": 999999}, "course"),
    ],
)
def test_bad_results_are_a_400_naming_the_field(world, clients, caseload, changes, field):
    response = post(clients[Role.CASEWORKER], ASSESSMENTS, result(caseload.own, **changes))
    assert response.status_code == 400, response.content
    assert response.json().keys() == {field}
    assert not Assessment.objects.exists()


def test_who_records_results(world, clients, caseload):
    trainer = clients[Role.TRAINER]
    judged = post(
        trainer, ASSESSMENTS, result(caseload.own, framework="trainer_cefr", level="a2", score=None)
    )
    assert judged.status_code == 201 and judged.json()["cefr_level"] == "A2"
    assert post(trainer, ASSESSMENTS, result(caseload.foreign)).status_code == 404  # not their learner
    assert post(clients[Role.CASEWORKER], ASSESSMENTS, result(caseload.shared)).status_code == 403
    assert post(clients[Role.CASEWORKER], ASSESSMENTS, result(caseload.foreign)).status_code == 404
    assert post(clients[Role.SUPERVISOR], ASSESSMENTS, result(caseload.shared)).status_code == 201


def test_assessment_lists_per_role(world, clients, caseload):
    own = AssessmentFactory(applicant=caseload.own)
    shared = AssessmentFactory(applicant=caseload.shared)
    foreign = AssessmentFactory(applicant=caseload.foreign)
    outsider = AssessmentFactory(applicant=ApplicantFactory(team=caseload.own.team))  # in no course
    assert ids(clients[Role.TRAINER].get(ASSESSMENTS)) == {own.pk, shared.pk}
    assert ids(clients[Role.CASEWORKER].get(ASSESSMENTS)) == {own.pk}
    assert ids(clients[Role.SUPERVISOR].get(ASSESSMENTS)) == {own.pk, shared.pk, outsider.pk}
    assert ids(clients[Role.ADMINISTRATOR].get(ASSESSMENTS)) == {own.pk, shared.pk, foreign.pk, outsider.pk}
    assert clients[Role.TRAINER].get(f"{ASSESSMENTS}{foreign.pk}/").status_code == 404
    found = clients[Role.TRAINER].get(f"{ASSESSMENTS}?applicant={caseload.own.reference_code}")
    assert ids(found) == {own.pk}


@pytest.mark.usefixtures("clean_documents")
def test_a_certificate_uploads_and_downloads_for_those_who_see_the_result(world, clients, caseload):
    client = clients[Role.TRAINER]
    form = {
        **result(caseload.own),
        "skill_scores": '{"language_knowledge": 40, "reading": 40, "listening": 30}',
    }
    response = client.post(ASSESSMENTS, {**form, "certificate": pdf_upload("jlpt.pdf")})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["skill_scores"] == {"language_knowledge": 40, "reading": 40, "listening": 30}
    document = Document.objects.get(kind=Document.Kind.CERTIFICATE)
    assert body["certificate"]["id"] == document.pk
    url = body["certificate"]["download_url"]
    assert url == f"{ASSESSMENTS}{body['id']}/certificate/"
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(
        kind=AccessLogEntry.Kind.DOCUMENT_DOWNLOAD, applicant=caseload.own
    ).exists()
    assert clients[Role.CASEWORKER].get(url).status_code == 200
    for role in (Role.EMPLOYER,):
        assert clients[role].get(url).status_code == 404
    other_trainer_client = Client()
    other_trainer_client.force_login(world["other"].trainers.get())
    assert other_trainer_client.get(url).status_code == 404
    bare = AssessmentFactory(applicant=caseload.own)
    assert client.get(f"{ASSESSMENTS}{bare.pk}/certificate/").status_code == 404


@pytest.mark.usefixtures("clean_documents")
def test_a_bad_certificate_keeps_nothing(world, clients, caseload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("jlpt.pdf", b"not a pdf at all", content_type="application/pdf")
    response = clients[Role.CASEWORKER].post(ASSESSMENTS, {**result(caseload.own), "certificate": fake})
    assert response.status_code == 400
    assert not Assessment.objects.exists() and not Document.objects.exists()


def test_current_level(world, clients, caseload):
    url = f"{ASSESSMENTS}current-level/?applicant={caseload.own.reference_code}"
    none = clients[Role.TRAINER].get(url)
    assert none.status_code == 200 and none.json()["cefr"] is None
    day = today() - timedelta(days=5)
    AssessmentFactory(
        applicant=caseload.own, framework="trainer_cefr", level="B1", cefr_level="B1", assessed_on=day
    )
    official = AssessmentFactory(
        applicant=caseload.own, framework="jlpt", level="N4", cefr_level="A2", score=100, assessed_on=day
    )
    body = clients[Role.TRAINER].get(url).json()
    assert body == {
        "applicant": caseload.own.reference_code,
        "cefr": "A2",
        "framework": "jlpt",
        "source": "JLPT",
        "level": "N4",
        "assessed_on": day.isoformat(),
        "assessment": official.pk,
    }
    assert (
        clients[Role.TRAINER]
        .get(f"{ASSESSMENTS}current-level/?applicant={caseload.foreign.reference_code}")
        .status_code
        == 404
    )
    assert clients[Role.CASEWORKER].get(f"{ASSESSMENTS}current-level/").status_code == 400


def test_trainers_never_get_case_data(world, clients, caseload):
    AssessmentFactory(applicant=caseload.own)
    AttendanceFactory(session=world["session"], enrollment=world["own"])
    case_words = (
        "nationality",
        "date_of_birth",
        "legal",
        "status_kind",
        "caseworker",
        "team",
        "phone",
        "email",
        "procedure",
    )
    client = clients[Role.TRAINER]
    for url in [*LISTS, f"{SESSIONS}{world['session'].pk}/attendance/"]:
        text = client.get(url).content.decode()
        assert not any(f'"{word}"' in text for word in case_words), url
    assert client.get(f"{API}applicants/{caseload.own.reference_code}/").status_code in (403, 404)


# --- Query counts: a list costs the same for 5 rows as for 50 -----------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def bulk_world(team, caseworker, trainer):
    course = CourseFactory(trainers=[trainer], capacity=500, starts_on=today() - timedelta(days=200))

    def grow(n: int) -> None:
        people = bulk_applicants(n, team=team, caseworker=caseworker)
        enrolments = Enrollment.objects.bulk_create(
            [
                Enrollment(course=course, applicant=p, enrolled_on=course.starts_on, enrolled_by=trainer)
                for p in people
            ]
        )
        start = Session.objects.filter(course=course).count()
        sessions = Session.objects.bulk_create(
            [Session(course=course, starts_at=at(today() - timedelta(days=start + i + 1))) for i in range(n)]
        )
        Attendance.objects.bulk_create(
            [
                Attendance(session=s, enrollment=e, status="present", recorded_by=trainer)
                for s, e in zip(sessions, enrolments)
            ]
        )
        Assessment.objects.bulk_create(
            [
                Assessment(
                    applicant=p,
                    framework="trainer_cefr",
                    level="A2",
                    cefr_level="A2",
                    assessed_on=today(),
                    recorded_by=trainer,
                )
                for p in people
            ]
        )
        for _ in range(n):
            CourseFactory(trainers=[trainer])

    return grow


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("role", [Role.TRAINER, Role.CASEWORKER])
def test_lists_run_the_same_queries_for_5_and_50_rows(
    bulk_world, clients, url, role, django_assert_num_queries
):
    client = clients[role]
    bulk_world(5)
    few = _count(client, url)
    bulk_world(45)
    assert len(client.get(url).json()["results"]) == 25
    with django_assert_num_queries(few):
        client.get(url)


def test_the_sheet_runs_the_same_queries_for_5_and_50_learners(
    bulk_world, clients, trainer, django_assert_num_queries
):
    client = clients[Role.TRAINER]
    bulk_world(5)
    session = Session.objects.filter(course__trainers=trainer).first()
    url = f"{SESSIONS}{session.pk}/attendance/"
    few = _count(client, url)
    bulk_world(45)
    assert len(client.get(url).json()["learners"]) == 50
    with django_assert_num_queries(few):
        client.get(url)
    # Posting marks (some rows new, some changed): as many queries for 5 learners as for 50.
    learners = list(Enrollment.objects.filter(course=session.course))
    counts: list[int] = []
    for size, prior, day in ((5, 2, 300), (50, 20, 301)):
        target = Session.objects.create(course=session.course, starts_at=at(today() - timedelta(days=day)))
        services.attendance_record_bulk(
            by=trainer, session=target, marks=[(e.pk, "present") for e in learners[:prior]]
        )
        marks = {"marks": [{"enrollment": e.pk, "status": "absent"} for e in learners[:size]]}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                f"{SESSIONS}{target.pk}/attendance/", marks, content_type="application/json"
            )
            assert response.status_code == 200
        counts.append(len(queries))
        assert Attendance.objects.filter(session=target, status="absent").count() == size
    assert counts[0] == counts[1]


# --- The schema ---------------------------------------------------------------------------------------------


def test_the_schema_documents_the_learning_endpoints(clients):
    response = clients[Role.CASEWORKER].get(f"{API}schema/")
    assert response.status_code == 200
    paths = set(yaml.safe_load(response.content)["paths"])
    assert {
        "/api/v1/courses/",
        "/api/v1/courses/{id}/",
        "/api/v1/courses/{id}/generate-sessions/",
        "/api/v1/sessions/",
        "/api/v1/sessions/{id}/",
        "/api/v1/sessions/{id}/cancel/",
        "/api/v1/sessions/{id}/attendance/",
        "/api/v1/enrollments/",
        "/api/v1/enrollments/{id}/",
        "/api/v1/enrollments/{id}/drop/",
        "/api/v1/enrollments/{id}/complete/",
        "/api/v1/attendance/",
        "/api/v1/attendance/{id}/",
        "/api/v1/assessments/",
        "/api/v1/assessments/{id}/",
        "/api/v1/assessments/{id}/certificate/",
        "/api/v1/assessments/current-level/",
    } <= paths
