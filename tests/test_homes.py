"""Each role's home: the panels it shows and hides, whose data they hold (own caseload, led teams, the
organisation; never another team's), and a number of queries that does not grow with the data (one test
per role, 1× and 5× the data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Applicant, ChangeRecord, Heartbeat, User
from casework.roles import Role
from jobs.models import FollowUp
from learning.models import AttendanceStatus, Course
from tests.casework.applicant_factories import ApplicantFactory, LegalStatusPeriodFactory
from tests.casework.factories import UserFactory
from tests.casework.record_factories import TaskFactory
from tests.casework.reminder_factories import failed_email, make_reminder
from tests.jobs.test_deadlines import placed
from tests.learning.factories import AttendanceFactory, CourseFactory, EnrollmentFactory, SessionFactory, at

pytestmark = pytest.mark.django_db

CASEWORKER_PANELS = {
    "caseload",
    "deadlines",
    "overdue_tasks",
    "reminders",
    "follow_ups",
    "people_classes",
    "activity",
    "my_team",
}
SUPERVISOR_PANELS = {
    "caseload",
    "deadlines",
    "overdue_tasks",
    "reminders",
    "team_load",
    "failed_emails",
    "follow_ups",
    "people_classes",
    "activity",
}
TRAINER_PANELS = {"teaching", "absences", "courses_ending", "my_team"}
ADMINISTRATOR_PANELS = {"system_health", "two_factor", "organisation", "failed_emails"}


@dataclass
class World:
    caseworker: User
    supervisor: User
    trainer: User
    administrator: User
    other_caseworker: User
    course: Course
    absences: list  # past sessions of the course, each learner absent from all of them


@pytest.fixture
def world(caseworker, supervisor, trainer, administrator, other_caseworker, other_supervisor) -> World:
    today = timezone.localdate()
    course = CourseFactory(name="Evening Japanese", trainers=[trainer])
    SessionFactory(course=course, starts_at=at(today, 18), topic="Today's lesson")
    past = [SessionFactory(course=course, starts_at=at(today - timedelta(days=d), 18)) for d in (3, 5, 7)]
    return World(caseworker, supervisor, trainer, administrator, other_caseworker, course, past)


def add_data(world: World, count: int, tag: str) -> None:
    """`count` of everything each panel lists, for the caseworker's own people, for another team's, and
    for the trainer's courses."""
    today = timezone.localdate()
    for index in range(count):
        label = f"{tag}{index}"
        own = ApplicantFactory(
            team=world.caseworker.team, caseworker=world.caseworker, family_name=f"Own{label}"
        )
        LegalStatusPeriodFactory(
            applicant=own, start_date=today - timedelta(days=170), end_date=today + timedelta(days=10)
        )
        TaskFactory(
            applicant=own,
            assignee=world.caseworker,
            due_date=today - timedelta(days=3),
            title=f"own task {label}",
        )
        make_reminder(own, notify=[world.caseworker])
        enrolment = EnrollmentFactory(course=world.course, applicant=own)
        for session in world.absences:
            AttendanceFactory(session=session, enrollment=enrolment, status=AttendanceStatus.ABSENT)
        failed_email(world.caseworker, reason=f"bounce {label}")
        CourseFactory(
            name=f"Ending course {label}", ends_on=today + timedelta(days=5), trainers=[world.trainer]
        )
        placement = placed(world.caseworker)
        FollowUp.objects.filter(placement=placement, month=1).update(due_on=today + timedelta(days=5))
        UserFactory(roles=[Role.CASEWORKER], username=f"no-2fa-{label}", team=world.caseworker.team)

        other = ApplicantFactory(
            team=world.other_caseworker.team, caseworker=world.other_caseworker, family_name=f"Other{label}"
        )
        LegalStatusPeriodFactory(
            applicant=other, start_date=today - timedelta(days=170), end_date=today + timedelta(days=9)
        )
        TaskFactory(
            applicant=other,
            assignee=world.other_caseworker,
            due_date=today - timedelta(days=3),
            title=f"other task {label}",
        )
        make_reminder(other, notify=[world.other_caseworker])
        failed_email(world.other_caseworker, reason=f"elsewhere {label}")
        for person, actor in ((own, world.caseworker), (other, world.other_caseworker)):
            ChangeRecord.objects.create(
                organisation_id=person.organisation_id,
                actor=actor,
                applicant=person,
                model="casework.applicant",
                object_id=str(person.pk),
                action=ChangeRecord.Action.UPDATE,
                changes={"city": {"old": "", "new": f"City {label}"}},
            )


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def panels(html: str) -> set[str]:
    return set(re.findall(r'<section class="card home-panel"[^>]* id="panel-([a-z_]+)"', html))


def panel(html: str, key: str) -> str:
    start = html.index(f'id="panel-{key}"')
    end = html.find('<section class="card home-panel"', start)
    return html[start : end if end != -1 else len(html)]


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        home(client)
    return len(captured)


def assert_constant(client, world: World) -> None:
    add_data(world, 1, "a")
    home(client)  # warm: first-request caches (content types, the session)
    once = queries(client)
    add_data(world, 4, "b")
    assert queries(client) == once


# --- Caseworker ------------------------------------------------------------------------------------------


def test_caseworker_home_shows_their_own_caseload_only(world, client_for):
    add_data(world, 2, "a")
    html = home(client_for(world.caseworker))
    assert panels(html) == CASEWORKER_PANELS
    assert "own task a0" in panel(html, "overdue_tasks")
    assert "other task" not in html
    assert "Owna0" in panel(html, "deadlines").replace(" ", "") or "OWNA0" in panel(html, "deadlines").upper()
    assert "Other" not in panel(html, "deadlines")
    assert "Other" not in panel(html, "reminders") and "Other" not in panel(html, "activity")
    assert "deadline-chart" in panel(html, "deadlines")
    assert "Evening Japanese" in panel(html, "people_classes")
    assert "Record" in panel(html, "follow_ups")
    assert "City a0" not in html  # the activity shows titles, not values
    assert "elsewhere" not in html and "bounce" not in html  # failed e-mails are the supervisor's
    # Another team's caseworker: none of it (their own people take no class; their task is theirs).
    elsewhere = home(client_for(world.other_caseworker))
    assert "Evening Japanese" not in elsewhere and "own task" not in elsewhere
    assert "other task a0" in panel(elsewhere, "overdue_tasks")


def test_caseworker_home_queries_do_not_grow_with_data(world, client_for):
    assert_constant(client_for(world.caseworker), world)


# --- Supervisor ------------------------------------------------------------------------------------------


def test_supervisor_home_shows_the_team_not_other_teams(world, client_for):
    add_data(world, 2, "a")
    html = home(client_for(world.supervisor))
    assert panels(html) == SUPERVISOR_PANELS
    assert "own task a0" in panel(html, "overdue_tasks")
    assert "other task" not in html
    load = panel(html, "team_load")
    assert str(world.caseworker) in load and str(world.other_caseworker) not in load
    assert "bounce a0" in panel(html, "failed_emails") and "elsewhere" not in html
    assert "Other" not in panel(html, "deadlines") and "Other" not in panel(html, "activity")


def test_supervisor_reminders_are_those_at_t7_or_nearer(world, client_for):
    today = timezone.localdate()
    person = ApplicantFactory(team=world.caseworker.team, caseworker=world.caseworker, family_name="Nearby")
    far = ApplicantFactory(team=world.caseworker.team, caseworker=world.caseworker, family_name="Faraway")
    make_reminder(person, deadline=today + timedelta(days=5), offset="-7", notify=[world.caseworker])
    make_reminder(far, deadline=today + timedelta(days=30), offset="-30", notify=[world.caseworker])
    html = panel(home(client_for(world.supervisor)), "reminders")
    assert "NEARBY" in html.upper() and "FARAWAY" not in html.upper()
    # The caseworker's own panel lists every unacknowledged reminder.
    own = panel(home(client_for(world.caseworker)), "reminders")
    assert "NEARBY" in own.upper() and "FARAWAY" in own.upper()


def test_supervisor_home_queries_do_not_grow_with_data(world, client_for):
    assert_constant(client_for(world.supervisor), world)


# --- Trainer ---------------------------------------------------------------------------------------------


def test_trainer_home_shows_their_courses_and_no_case_data(world, client_for):
    add_data(world, 2, "a")
    html = home(client_for(world.trainer))
    assert panels(html) == TRAINER_PANELS
    assert "Evening Japanese" in panel(html, "teaching")
    absences = panel(html, "absences")
    assert "OWNA0" in absences.upper() and "OTHER" not in absences.upper()
    assert "Ending course a0" in panel(html, "courses_ending")
    assert "own task" not in html and "deadline-chart" not in html


def test_trainer_sees_no_streaks_of_another_trainers_course(world, client_for, make_user):
    other = make_user(Role.TRAINER, username="trainer-2")
    html = home(client_for(other))
    assert "Evening Japanese" not in html


def test_trainer_home_queries_do_not_grow_with_data(world, client_for):
    assert_constant(client_for(world.trainer), world)


# --- Administrator ---------------------------------------------------------------------------------------


def test_administrator_home_shows_the_system_and_the_organisation(world, client_for):
    add_data(world, 2, "a")
    TOTPDevice.objects.create(user=world.supervisor, name="phone", confirmed=True)
    html = home(client_for(world.administrator))
    assert panels(html) == ADMINISTRATOR_PANELS
    health = panel(html, "system_health")
    assert "Scheduler (beat)" in health and "Message broker" in health and "Reminder sweep" in health
    without = User.objects.filter(is_active=True, is_service_account=False).exclude(pk=world.supervisor.pk)
    two_factor = panel(html, "two_factor")
    assert f"{without.count()} people sign in without a second factor" in two_factor
    assert f"<small>{world.supervisor.username}</small>" not in two_factor
    assert str(Applicant.objects.count()) in panel(html, "organisation")
    assert "bounce a0" in panel(html, "failed_emails") and "elsewhere a0" in panel(html, "failed_emails")


def test_a_full_sweep_records_when_it_ran(world, client_for):
    from casework.deadlines import sweep

    assert "has not run yet" in panel(home(client_for(world.administrator)), "system_health")
    sweep.sweep()
    health = panel(home(client_for(world.administrator)), "system_health")
    assert "Reminder sweep: last ran" in health.replace("\n", " ").replace("  ", " ") or "last ran" in health


def health_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", panel(html, "system_health")).split())


def test_the_health_panel_says_when_two_beats_run_and_not_after_a_restart(world, client_for, settings):
    """Each beat signs its heartbeat (config.beat.Scheduler, casework.tasks.record_beat_heartbeat): two
    heard from within two heartbeats are two beats started by mistake; a beat restarted (a new process id)
    leaves its old row behind, which drops out of the window."""
    from casework.tasks import record_beat_heartbeat

    settings.BEAT_HEARTBEAT_SECONDS = 60
    record_beat_heartbeat(beat="tobira-1:4242")
    health = health_text(home(client_for(world.administrator)))
    assert "beat process" not in health and "Scheduler (beat): last ran" in health

    record_beat_heartbeat(beat="tobira-2:77")
    health = health_text(home(client_for(world.administrator)))
    assert "2 beat processes are running (tobira-1:4242, tobira-2:77): run exactly one" in health, health
    assert "Check Scheduler (beat)" in health, health  # the beat line's badge

    # tobira-1 was stopped (or restarted as another process) two and a half minutes ago.
    Heartbeat.objects.filter(name="beat:tobira-1:4242").update(at=timezone.now() - timedelta(seconds=150))
    health = health_text(home(client_for(world.administrator)))
    assert "beat process" not in health and "OK Scheduler (beat)" in health, health
    # Rows of beats silent for a day are removed at the next heartbeat.
    Heartbeat.objects.filter(name="beat:tobira-1:4242").update(at=timezone.now() - timedelta(days=2))
    record_beat_heartbeat(beat="tobira-2:77")
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {"beat", "beat:tobira-2:77"}

    client = client_for(world.administrator)
    client.cookies["django_language"] = "ja"
    record_beat_heartbeat(beat="tobira-3:5")
    health = " ".join(
        panel(client.get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode(), "system_health").split()
    )
    assert "スケジューラー（beat）のプロセスが2個動いています（tobira-2:77, tobira-3:5）" in health, health


def test_beat_signs_its_heartbeat_with_its_host_and_process(transactional_db):
    """config.beat.Scheduler sends the heartbeat task with beat=<host>:<pid>; other tasks unchanged, and
    nothing of it is saved in the schedule."""
    import os
    import socket
    from unittest import mock

    from config.beat import Scheduler
    from config.celery import app

    scheduler = Scheduler(app=app, lazy=True)
    scheduler.setup_schedule()
    sent = {}

    def record(task_self, args=None, kwargs=None, **options):
        sent[task_self.name] = kwargs

    try:
        with mock.patch("celery.app.task.Task.apply_async", autospec=True, side_effect=record):
            scheduler.apply_async(scheduler.schedule["beat-heartbeat"])
            scheduler.apply_async(scheduler.schedule["reminder-redelivery"])
    finally:
        scheduler._finalize.cancel()  # else it saves the schedule at exit, into a dropped test database
    identity = f"{socket.gethostname()[:36]}:{os.getpid()}"
    assert sent == {
        "casework.tasks.record_beat_heartbeat": {"beat": identity},
        "casework.tasks.redeliver": {},
    }
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.get(name="beat-heartbeat").kwargs in ("{}", "")


def test_administrator_home_queries_do_not_grow_with_data(world, client_for):
    assert_constant(client_for(world.administrator), world)


# --- Employer --------------------------------------------------------------------------------------------


def test_employer_users_keep_the_portal_home(employer, client_for):
    response = client_for(employer).get("/")
    assert response.status_code == 302 and response["Location"] == "/partner/"
