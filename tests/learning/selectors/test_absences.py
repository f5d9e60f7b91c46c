"""The absence-streak deadline source through the reminder sweep: once per streak, to the caseworker."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.deadlines import registry
from casework.deadlines import sweep as deadline_sweep
from casework.models import Reminder
from casework.selectors.reminders import kind_label
from learning.models import EnrollmentStatus
from learning.selectors.absences import absence_streaks
from tests.casework.applicant_factories import ApplicantFactory
from tests.learning.factories import AttendanceFactory, CourseFactory, EnrollmentFactory, SessionFactory, at

pytestmark = pytest.mark.django_db
KIND = "learning_absence"


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def learner(team, caseworker, trainer):
    applicant = ApplicantFactory(team=team, caseworker=caseworker)
    course = CourseFactory(trainers=[trainer])
    return EnrollmentFactory(course=course, applicant=applicant)


class Marks:
    """Sessions of the learner's course, one a day going forward from 40 days ago, marked in order."""

    def __init__(self, enrollment, start_days_ago: int = 40) -> None:
        self.enrollment = enrollment
        self.day = today() - timedelta(days=start_days_ago)

    def mark(self, *statuses: str, cancelled: bool = False) -> list:
        made = []
        for status in statuses:
            session = SessionFactory(
                course=self.enrollment.course, starts_at=at(self.day), cancelled=cancelled
            )
            self.day += timedelta(days=1)
            if status:
                made.append(AttendanceFactory(session=session, enrollment=self.enrollment, status=status))
            else:
                made.append(session)  # a session nobody marked
        return made


def sweep():
    return deadline_sweep.sweep(kinds=[KIND])


def live_reminders():
    return list(
        Reminder.objects.filter(source_kind=KIND, state=Reminder.State.LIVE).order_by("deadline_date")
    )


def test_the_source_is_registered_with_a_label():
    assert KIND in registry.sources()
    assert kind_label(KIND) == "Absent from several sessions in a row"


def test_two_absences_make_nothing(learner):
    Marks(learner).mark("present", "absent", "absent")
    sweep()
    assert not Reminder.objects.filter(source_kind=KIND).exists()


def test_three_absences_remind_once_and_a_fourth_changes_nothing(learner, caseworker):
    marks = Marks(learner)
    first = marks.mark("present", "absent", "absent", "absent")[1]
    sweep()
    [reminder] = live_reminders()
    assert reminder.source_id == learner.pk and reminder.applicant_id == learner.applicant_id
    assert reminder.deadline_date == timezone.localtime(first.session.starts_at).date()
    assert reminder.offset == "0"
    marks.mark("absent")
    sweep()
    sweep()
    assert Reminder.objects.filter(source_kind=KIND).count() == 1
    assert live_reminders() == [reminder]
    # Far from "overdue": no overdue row however long the streak lasts.
    deadline_sweep.sweep(kinds=[KIND], today=today() + timedelta(days=300))
    assert not Reminder.objects.filter(source_kind=KIND, offset="overdue").exists()


def test_coming_again_cancels_and_a_new_streak_reminds_again(learner):
    marks = Marks(learner)
    marks.mark("absent", "absent", "absent")
    sweep()
    [first] = live_reminders()
    marks.mark("present")
    sweep()
    first.refresh_from_db()
    assert first.state == Reminder.State.CANCELLED
    marks.mark("absent", "absent")
    sweep()
    assert not live_reminders()
    marks.mark("absent")
    sweep()
    [second] = live_reminders()
    assert second.deadline_date > first.deadline_date
    assert Reminder.objects.filter(source_kind=KIND).count() == 2


def test_excused_ends_a_streak_and_is_not_an_absence(learner):
    marks = Marks(learner)
    marks.mark("absent", "absent", "excused", "absent", "absent")
    sweep()
    assert not Reminder.objects.filter(source_kind=KIND).exists()
    marks.mark("absent")
    sweep()
    [reminder] = live_reminders()
    assert reminder.deadline_date == today() - timedelta(days=40 - 3)


def test_cancelled_and_unmarked_sessions_neither_count_nor_break_a_streak(learner):
    marks = Marks(learner)
    marks.mark("absent", "absent")
    # A cancelled session with a stale "present" mark from before it was cancelled, and an unmarked one.
    marks.mark("present", cancelled=True)
    marks.mark("")
    sweep()
    assert not Reminder.objects.filter(source_kind=KIND).exists()
    marks.mark("absent")
    sweep()
    assert len(live_reminders()) == 1


def test_the_streak_length_is_a_setting(learner, settings):
    settings.LEARNING_ABSENCE_STREAK = 2
    Marks(learner).mark("present", "absent", "absent")
    sweep()
    assert len(live_reminders()) == 1


def test_only_current_enrolments_of_current_courses(team, caseworker, trainer, settings):
    old_course = CourseFactory(
        trainers=[trainer], starts_on=today() - timedelta(days=300), ends_on=today() - timedelta(days=200)
    )
    old = EnrollmentFactory(course=old_course, applicant=ApplicantFactory(team=team, caseworker=caseworker))
    marks = Marks(old, start_days_ago=250)
    marks.mark("absent", "absent", "absent")
    dropped = EnrollmentFactory(
        course=CourseFactory(trainers=[trainer]),
        applicant=ApplicantFactory(team=team, caseworker=caseworker),
        status=EnrollmentStatus.DROPPED,
        drop_reason="Moved away",
    )
    Marks(dropped).mark("absent", "absent", "absent")
    sweep()
    assert not Reminder.objects.filter(source_kind=KIND).exists()


def test_future_excused_marks_do_not_hide_a_streak(learner):
    marks = Marks(learner, start_days_ago=3)
    marks.mark("absent", "absent", "absent")
    SessionFactory(course=learner.course, starts_at=at(today() + timedelta(days=5)))
    future = SessionFactory(course=learner.course, starts_at=at(today() + timedelta(days=6)))
    AttendanceFactory(session=future, enrollment=learner, status="excused")
    sweep()
    assert len(live_reminders()) == 1


def test_the_deadlines_page_asks_for_a_users_learners_only(learner, other_team, other_caseworker):
    Marks(learner).mark("absent", "absent", "absent")
    from casework.models import Applicant

    mine = list(
        absence_streaks(
            today=today(), grace_days=60, applicants=Applicant.objects.filter(pk=learner.applicant_id)
        )
    )
    theirs = list(absence_streaks(today=today(), grace_days=60, applicants=Applicant.objects.none()))
    assert [d.source_id for d in mine] == [learner.pk] and theirs == []


def test_the_reminder_reaches_the_caseworker_and_reads_well(learner, caseworker, client_for):
    from casework.deadlines import delivery
    from casework.models import Notification

    Marks(learner).mark("absent", "absent", "absent")
    sweep()
    delivery.deliver_reminders()
    notification = Notification.objects.get()
    assert notification.recipient_id == caseworker.pk
    assert notification.reminder.source_kind == KIND
    # The inbox names the kind and which course (the source's describe hook).
    html = client_for(caseworker).get(reverse("reminder_inbox")).content.decode()
    assert "Absent from several sessions in a row" in html
    assert f"Course: {learner.course.name}" in html


def test_the_inbox_describes_many_streaks_in_a_fixed_number_of_queries(team, caseworker, trainer, client_for):
    from casework.deadlines import delivery

    client = client_for(caseworker)
    make_streaks(2, team, caseworker, trainer)
    sweep()
    delivery.deliver_reminders()
    client.get(reverse("reminder_inbox"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reminder_inbox"))
    make_streaks(15, team, caseworker, trainer)
    sweep()
    delivery.deliver_reminders()
    with CaptureQueriesContext(connection) as large:
        html = client.get(reverse("reminder_inbox")).content.decode()
    assert html.count("Course: ") == 17
    assert len(small) == len(large), (len(small), len(large))


def make_streaks(count: int, team, caseworker, trainer) -> None:
    course = CourseFactory(trainers=[trainer], capacity=1000)
    sessions = [
        SessionFactory(course=course, starts_at=at(today() - timedelta(days=d))) for d in (5, 4, 3, 2)
    ]
    for _ in range(count):
        enrollment = EnrollmentFactory(
            course=course, applicant=ApplicantFactory(team=team, caseworker=caseworker)
        )
        for session, status in zip(sessions, ("present", "absent", "absent", "absent"), strict=True):
            AttendanceFactory(session=session, enrollment=enrollment, status=status)


def test_the_sweep_runs_the_same_queries_for_5_and_50_streaks(team, caseworker, trainer):
    make_streaks(5, team, caseworker, trainer)
    with CaptureQueriesContext(connection) as small:
        result = sweep()
    assert result.created[KIND] == 5
    make_streaks(45, team, caseworker, trainer)
    with CaptureQueriesContext(connection) as large:
        result = sweep()
    assert result.created[KIND] == 45
    assert len(small) == len(large), (len(small), len(large))
    source_queries = [q["sql"] for q in large.captured_queries if "learning_attendance" in q["sql"]]
    assert len(source_queries) == 1


def test_an_unacknowledged_absence_reminder_does_not_escalate_to_the_supervisors(learner, supervisor):
    """Escalation is for legal deadlines at T-7 or nearer; a learner missing classes is the caseworker's
    to follow up, and its offset 0 must not read as "a deadline today" to the escalation."""
    from casework.deadlines import delivery
    from casework.models import Notification

    Marks(learner).mark("absent", "absent", "absent")
    sweep()
    delivery.deliver_reminders()
    [reminder] = live_reminders()
    assert delivery.escalate(now=reminder.delivered_at + timedelta(days=2)) == 0
    assert not Notification.objects.filter(recipient=supervisor).exists()
