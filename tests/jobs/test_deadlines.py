"""Jobs' three deadline sources through casework's sweep: follow-ups (T-7, due, overdue after 14 days,
exactly once, gone when recorded) and the employer's hire and leaving notifications (due dates for
insured and not insured workers, gone when acknowledged); and they show on the caseworker's /deadlines/."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from casework.deadlines import sweep as deadline_sweep
from casework.models import CaseStage, Reminder
from casework.services.reminders import deadline_acknowledge
from jobs import rules
from jobs.models import FollowUp, Placement, Stage
from jobs.selectors import deadlines as sources
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, consent_to_share, may_work, today

pytestmark = pytest.mark.django_db
FOLLOW_UP = sources.FOLLOW_UP_KIND
HIRE = sources.HIRE_NOTICE_KIND
LEAVING = sources.LEAVING_NOTICE_KIND


def placed(caseworker, *, hours: int = 40, start: date | None = None) -> Placement:
    """A placement confirmed through the services, starting today (or `start`)."""
    employer = EmployerFactory(organisation=caseworker.organisation, created_by=caseworker)
    opening = JobOpeningFactory(
        employer=employer, created_by=caseworker, start_date=start or today(), hours_per_week=hours
    )
    person = ApplicantFactory(team=caseworker.team, caseworker=caseworker, case_stage=CaseStage.JOB_READY)
    may_work(person)
    consent_to_share(person, employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    seen = min(today(), opening.start_date)
    for stage in (Stage.SHARED, Stage.OFFER, Stage.HIRE_REPORTED):
        referral = referral_services.referral_move(
            by=caseworker, referral=referral, data={"stage": stage, "documents_seen_on": seen}
        )
    return placement_services.placement_confirm(by=caseworker, referral=referral, data={}).placement


def rows(kind: str, source_id: int) -> list[tuple[str, str]]:
    return list(
        Reminder.objects.filter(source_kind=kind, source_id=source_id)
        .order_by("due_on", "pk")
        .values_list("offset", "state")
    )


def live(kind: str, source_id: int) -> list[str]:
    return [offset for offset, state in rows(kind, source_id) if state == Reminder.State.LIVE]


# --- Follow-ups ---------------------------------------------------------------------------------------------


def test_a_follow_up_reminds_at_t_minus_7_and_on_the_day(caseworker):
    placement = placed(caseworker)
    follow_up = placement.follow_ups.get(month=1)
    due = follow_up.due_on
    assert due == dict(rules.follow_up_dates(placement.start_date))[1]
    deadline_sweep.sweep(today=due - timedelta(days=8), kinds=[FOLLOW_UP])
    assert rows(FOLLOW_UP, follow_up.pk) == []
    deadline_sweep.sweep(today=due - timedelta(days=7), kinds=[FOLLOW_UP])
    assert live(FOLLOW_UP, follow_up.pk) == ["-7"]
    deadline_sweep.sweep(today=due, kinds=[FOLLOW_UP])
    assert live(FOLLOW_UP, follow_up.pk) == ["0"]
    assert Reminder.objects.get(source_kind=FOLLOW_UP, source_id=follow_up.pk, offset="0").applicant_id == (
        placement.applicant_id
    )


def test_an_unrecorded_follow_up_is_overdue_after_14_days_exactly_once(caseworker):
    placement = placed(caseworker)
    follow_up = placement.follow_ups.get(month=1)
    due = follow_up.due_on
    deadline_sweep.sweep(today=due + timedelta(days=14), kinds=[FOLLOW_UP])
    assert "overdue" not in live(FOLLOW_UP, follow_up.pk)
    for _ in range(3):
        deadline_sweep.sweep(today=due + timedelta(days=15), kinds=[FOLLOW_UP])
    assert live(FOLLOW_UP, follow_up.pk) == ["overdue"]
    assert [offset for offset, _state in rows(FOLLOW_UP, follow_up.pk)].count("overdue") == 1
    count = Reminder.objects.filter(source_kind=FOLLOW_UP).count()
    deadline_sweep.sweep(today=due + timedelta(days=20), kinds=[FOLLOW_UP])
    assert Reminder.objects.filter(source_kind=FOLLOW_UP).count() == count


def test_sweeping_a_follow_up_late_never_gives_a_late_t_minus_7(caseworker):
    placement = placed(caseworker)
    follow_up = placement.follow_ups.get(month=1)
    deadline_sweep.sweep(today=follow_up.due_on + timedelta(days=2), kinds=[FOLLOW_UP])
    assert rows(FOLLOW_UP, follow_up.pk) == [("-7", "skipped"), ("0", "live")]


def test_a_recorded_follow_up_is_gone_and_its_reminders_cancelled(caseworker):
    placement = placed(caseworker)
    follow_up = placement.follow_ups.get(month=1)
    due = follow_up.due_on
    deadline_sweep.sweep(today=due - timedelta(days=7), kinds=[FOLLOW_UP])
    assert live(FOLLOW_UP, follow_up.pk) == ["-7"]
    placement_services.follow_up_record(
        by=caseworker, placement=placement, month=1, data={"outcome": "retained"}
    )
    deadline_sweep.sweep(today=due, kinds=[FOLLOW_UP])
    assert live(FOLLOW_UP, follow_up.pk) == []
    assert rows(FOLLOW_UP, follow_up.pk) == [("-7", "cancelled")]
    deadline_sweep.sweep(today=due + timedelta(days=30), kinds=[FOLLOW_UP])
    assert live(FOLLOW_UP, follow_up.pk) == []


def test_after_leaving_the_later_follow_ups_are_not_reminded(caseworker):
    placement = placed(caseworker)
    placement_services.follow_up_record(
        by=caseworker, placement=placement, month=1, data={"outcome": "left", "leaving_reason": "health"}
    )
    three = FollowUp.objects.get(placement=placement, month=3)
    deadline_sweep.sweep(today=three.due_on, kinds=[FOLLOW_UP])
    assert rows(FOLLOW_UP, three.pk) == []


# --- The employer's notifications to Hello Work -----------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "insured", "due"),
    [(40, True, date(2026, 8, 10)), (12, False, date(2026, 8, 31))],
)
def test_the_hire_notification_is_due_by_the_rule_for_insured_and_not_insured(
    caseworker, hours, insured, due
):
    placement = placed(caseworker, hours=hours)
    Placement.objects.filter(pk=placement.pk).update(start_date=date(2026, 7, 15))
    placement.refresh_from_db()
    assert placement.employment_insurance is insured
    (deadline,) = sources.hire_notifications(
        today=date(2026, 7, 20), grace_days=60, source_ids=[placement.pk]
    )
    assert (
        deadline.deadline_date == due == rules.hire_notification_due(start=date(2026, 7, 15), insured=insured)
    )
    deadline_sweep.sweep(today=due - timedelta(days=7), kinds=[HIRE])
    assert live(HIRE, placement.pk) == ["-7"]
    deadline_sweep.sweep(today=due, kinds=[HIRE])
    assert live(HIRE, placement.pk) == ["0"]


def test_an_acknowledged_hire_notification_is_gone(caseworker):
    placement = placed(caseworker)
    due = rules.hire_notification_due(start=placement.start_date, insured=placement.employment_insurance)
    deadline_sweep.sweep(today=due - timedelta(days=7), kinds=[HIRE])
    reminder = Reminder.objects.get(source_kind=HIRE, source_id=placement.pk, state=Reminder.State.LIVE)
    deadline_acknowledge(by=caseworker, reminder=reminder)
    assert list(sources.hire_notifications(today=due, grace_days=60, source_ids=[placement.pk])) == []
    deadline_sweep.sweep(today=due, kinds=[HIRE])
    assert live(HIRE, placement.pk) == []
    deadline_sweep.sweep(today=due + timedelta(days=10), kinds=[HIRE])
    assert "overdue" not in [offset for offset, _state in rows(HIRE, placement.pk)]


@pytest.mark.parametrize("hours", [40, 12])
def test_the_leaving_notification_follows_the_day_the_person_left(caseworker, hours):
    placement = placed(caseworker, hours=hours)
    assert list(sources.leaving_notifications(today=today(), grace_days=60, source_ids=[placement.pk])) == []
    placement_services.follow_up_record(
        by=caseworker, placement=placement, month=1, data={"outcome": "left", "leaving_reason": "moved"}
    )
    placement.refresh_from_db()
    left = placement.ended_on
    (deadline,) = sources.leaving_notifications(today=today(), grace_days=60, source_ids=[placement.pk])
    expected = (
        left + timedelta(days=10) if placement.employment_insurance else rules._last_day_of_next_month(left)
    )
    assert deadline.deadline_date == expected
    deadline_sweep.sweep(today=expected, kinds=[LEAVING])
    reminder = Reminder.objects.get(source_kind=LEAVING, source_id=placement.pk, state=Reminder.State.LIVE)
    assert reminder.offset == "0"
    deadline_acknowledge(by=caseworker, reminder=reminder)
    assert list(sources.leaving_notifications(today=expected, grace_days=60, source_ids=[placement.pk])) == []


def test_the_sources_cost_one_query_each_whatever_the_number_of_placements(
    caseworker, django_assert_max_num_queries
):
    for _ in range(3):
        placed(caseworker)
    for source in (sources.follow_ups_due, sources.hire_notifications, sources.leaving_notifications):
        with django_assert_max_num_queries(2):
            list(source(today=today() + timedelta(days=25), grace_days=60))


# --- The deadlines page -------------------------------------------------------------------------------------


def test_the_deadlines_page_window_reaches_past_the_sweep_s_look_ahead(caseworker):
    placement = placed(caseworker, start=today() + timedelta(days=25))
    follow_up = placement.follow_ups.get(month=1)
    assert (follow_up.due_on - today()).days > sources.LOOKAHEAD_DAYS
    assert list(sources.follow_ups_due(today=today(), grace_days=60, source_ids=[follow_up.pk])) == []
    window = (today(), today() + timedelta(days=90))
    (deadline,) = sources.follow_ups_due(
        today=today(), grace_days=60, source_ids=[follow_up.pk], due_between=window
    )
    assert deadline.deadline_date == follow_up.due_on


def test_follow_ups_and_notifications_show_on_the_caseworker_s_deadlines_page(
    client_for, caseworker, other_caseworker
):
    placement = placed(caseworker)
    follow_up = placement.follow_ups.get(month=1)
    theirs = placed(other_caseworker)
    content = client_for(caseworker).get(reverse("deadlines_ahead")).content.decode()
    assert "Follow-up with a placed person" in content
    assert "Employer&#x27;s hiring notification to Hello Work" in content or (
        "Employer's hiring notification to Hello Work" in content
    )
    assert placement.applicant.reference_code in content
    # The page dates a deadline by when it turns overdue (casework's rule: due + 14 days for a follow-up).
    assert f'datetime="{follow_up.due_on + timedelta(days=rules.FOLLOW_UP_OVERDUE_DAYS):%Y-%m-%d}"' in content
    assert theirs.applicant.reference_code not in content
