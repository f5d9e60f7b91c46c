"""The sweep: exactly-once rows, the most urgent due offset live, overdue once, cancellation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command

from casework import services
from casework.deadlines import sweep as deadline_sweep
from casework.models import LegalStatusPeriod, Reminder

TODAY = date(2026, 11, 25)


@pytest.fixture
def person(caseworker):
    with time_machine.travel(date(2026, 5, 1), tick=False):
        return services.applicant_register(by=caseworker, data={"given_name": "Aung", "family_name": "Min"})


def record_period(caseworker, person, *, start, end, kind="da_refugee_applicant", when=None):
    with time_machine.travel(when or start, tick=False):
        return services.legal_period_record(
            by=caseworker, applicant=person, data={"status_kind": kind, "start_date": start, "end_date": end}
        )


def rows(kind="period_end"):
    return {(r.offset, r.state) for r in Reminder.objects.filter(source_kind=kind).order_by("due_on")}


def live(kind="period_end"):
    return list(
        Reminder.objects.filter(source_kind=kind, state=Reminder.State.LIVE).values_list("offset", flat=True)
    )


@pytest.mark.django_db
def test_the_ladder_of_a_six_month_period_one_step_at_a_time(caseworker, person):
    period = record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    end = period.end_date
    deadline_sweep.sweep(today=end - timedelta(days=91))
    assert live() == []
    for offset in (-90, -60, -30, -14, -7):
        deadline_sweep.sweep(today=end + timedelta(days=offset))
        assert live() == [f"{offset:+d}"]
    # every earlier step is recorded as skipped, none is live twice
    assert Reminder.objects.filter(source_kind="period_end").count() == 5


@pytest.mark.django_db
def test_sweeping_again_and_again_creates_each_row_once(caseworker, person):
    record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    first = deadline_sweep.sweep(today=TODAY)
    assert sum(first.created.values()) == 1
    for _ in range(3):
        again = deadline_sweep.sweep(today=TODAY)
        assert sum(again.created.values()) == sum(again.skipped.values()) == 0
    assert (
        Reminder.objects.count()
        == Reminder.objects.values("source_kind", "source_id", "deadline_date", "offset").distinct().count()
    )


@pytest.mark.django_db
def test_after_a_week_of_downtime_only_the_most_urgent_reminder_is_live(caseworker, person):
    period = record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    deadline_sweep.sweep(today=period.end_date - timedelta(days=31))  # T-31: T-60 is live
    assert live() == ["-60"]
    deadline_sweep.sweep(today=period.end_date - timedelta(days=7))  # a week down, then back at T-7
    assert live() == ["-7"]
    assert rows() >= {("-30", "skipped"), ("-14", "skipped"), ("-60", "skipped")}


@pytest.mark.django_db
def test_a_period_entered_ten_days_before_its_end_gets_only_t_minus_14(caseworker, person):
    end = date(2026, 12, 5)
    record_period(caseworker, person, start=date(2026, 6, 6), end=end, when=end - timedelta(days=10))
    result = deadline_sweep.sweep(today=end - timedelta(days=10))
    assert live() == ["-14"]
    assert result.skipped["period_end"] == 3  # T-90, T-60, T-30 recorded as skipped, never sent


@pytest.mark.django_db
def test_a_short_stay_reminds_on_record_first(caseworker, person):
    period = record_period(
        caseworker, person, start=date(2026, 11, 1), end=date(2027, 1, 31), when=date(2026, 11, 2)
    )
    deadline_sweep.sweep(today=date(2026, 11, 2))
    assert live() == ["on_record"]
    deadline_sweep.sweep(today=period.end_date - timedelta(days=30))
    assert live() == ["-30"]


@pytest.mark.django_db
def test_a_renewal_filed_after_t_minus_30_stops_t_minus_14_and_t_minus_7(caseworker, person):
    period = record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    deadline_sweep.sweep(today=period.end_date - timedelta(days=30))
    assert live() == ["-30"]
    with time_machine.travel(period.end_date - timedelta(days=20), tick=False):
        services.legal_period_update(
            by=caseworker, period=period, data={"renewal_filed_on": period.end_date - timedelta(days=20)}
        )
    for offset in (-14, -7):
        deadline_sweep.sweep(today=period.end_date + timedelta(days=offset))
    assert live() == []
    assert ("-30", "cancelled") in rows()
    assert not Reminder.objects.filter(source_kind="period_end", offset__in=["-14", "-7"]).exists()
    # the renewal-pending ladder follows: end + 30
    deadline_sweep.sweep(today=period.end_date + timedelta(days=30))
    assert live("renewal_pending") == ["+30"]


@pytest.mark.django_db
def test_the_next_period_recorded_stops_the_old_ladder(caseworker, person):
    period = record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    deadline_sweep.sweep(today=period.end_date - timedelta(days=30))
    record_period(caseworker, person, start=date(2026, 12, 1), end=date(2027, 5, 31), when=date(2026, 11, 5))
    deadline_sweep.sweep(today=period.end_date - timedelta(days=14))
    assert not Reminder.objects.filter(source_id=period.pk, state=Reminder.State.LIVE).exists()
    assert not Reminder.objects.filter(source_id=period.pk, offset__in=["-14", "-7"]).exists()


@pytest.mark.django_db
def test_a_corrected_end_date_cancels_the_old_ladder_and_starts_the_new(caseworker, person):
    period = record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    deadline_sweep.sweep(today=date(2026, 11, 1))
    assert live() == ["-30"]
    with time_machine.travel(date(2026, 11, 2), tick=False):
        services.legal_period_update(by=caseworker, period=period, data={"end_date": date(2027, 2, 28)})
    deadline_sweep.sweep(today=date(2026, 11, 2))
    old = Reminder.objects.get(deadline_date=date(2026, 11, 30), offset="-30")
    assert old.state == Reminder.State.CANCELLED
    assert live() == []  # T-90 of 28 February is 30 November
    deadline_sweep.sweep(today=date(2026, 11, 30))
    assert live() == ["-90"]


@pytest.mark.django_db
def test_a_passed_deadline_gives_one_overdue_reminder_not_a_late_t_minus_7(caseworker, person):
    period = record_period(
        caseworker, person, start=date(2026, 3, 1), end=date(2026, 8, 31), when=date(2026, 3, 1)
    )
    result = deadline_sweep.sweep(today=date(2026, 9, 10))
    assert live() == ["overdue"]
    assert result.overdue["period_end"] == 1
    deadline_sweep.sweep(today=date(2026, 9, 11))
    assert Reminder.objects.filter(offset="overdue").count() == 1
    assert Reminder.objects.filter(source_id=period.pk, offset="-7", state=Reminder.State.LIVE).count() == 0


@pytest.mark.django_db
def test_past_periods_of_the_history_never_produce_reminders(caseworker, person):
    record_period(caseworker, person, start=date(2025, 6, 1), end=date(2025, 11, 30), when=date(2026, 5, 2))
    old_current = record_period(
        caseworker, person, start=date(2025, 12, 1), end=date(2026, 5, 31), when=date(2026, 5, 2)
    )
    record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30), when=date(2026, 5, 2))
    deadline_sweep.sweep(today=date(2026, 6, 5))
    # superseded: only the latest period is live; nothing for the two earlier ones
    assert set(Reminder.objects.values_list("source_id", flat=True)) <= {
        LegalStatusPeriod.objects.get(start_date=date(2026, 6, 1)).pk
    }
    assert not Reminder.objects.filter(source_id=old_current.pk).exists()


@pytest.mark.django_db
def test_a_deadline_older_than_the_grace_period_is_not_live(caseworker, person, settings):
    settings.REMINDER_GRACE_DAYS = 60
    record_period(caseworker, person, start=date(2025, 6, 1), end=date(2025, 11, 30), when=date(2026, 5, 2))
    deadline_sweep.sweep(today=TODAY)
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_sweep_command_dry_run_lists_and_writes_nothing(caseworker, person, capsys):
    record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    call_command("sweep_reminders", "--today", "2026-11-25", "--dry-run")
    out = capsys.readouterr().out
    assert "period_end" in out and "would create" in out
    assert not Reminder.objects.exists()
    call_command("sweep_reminders", "--today", "2026-11-25")
    assert Reminder.objects.filter(state=Reminder.State.LIVE).count() == 1


@pytest.mark.django_db
def test_the_sweep_query_count_does_not_grow_with_deadlines(caseworker, team, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.casework.applicant_factories import bulk_applicants, bulk_periods

    def run():
        with CaptureQueriesContext(connection) as queries:
            deadline_sweep.sweep(today=TODAY)
        Reminder.objects.all().delete()
        return len(queries.captured_queries)

    bulk_periods(bulk_applicants(5, team=team, caseworker=caseworker), days=180)
    few = run()
    bulk_periods(bulk_applicants(200, team=team, caseworker=caseworker), days=180)
    many = run()
    assert few == many
