"""Delivering reminders: the urgent path, faults (SMTP, dying workers, lost messages), recipients,
escalation, the digest, the recipient's language, and exactly once under concurrency.

Only the network boundary is replaced: a scripted e-mail backend stands in for the SMTP server. Time is
moved with time-machine. Tasks run eagerly in the tests (config/settings/test.py), so what a commit
enqueues runs when django_capture_on_commit_callbacks(execute=True) runs the callbacks.
"""

from __future__ import annotations

import json
import smtplib
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from casework import services, tasks
from casework.deadlines import delivery
from casework.deadlines import sweep as deadline_sweep
from casework.models import (
    DeadlineState,
    LegalStatusPeriod,
    Notification,
    OutgoingEmail,
    ProcedureEvent,
    Reminder,
)
from casework.roles import Role
from tests.casework.applicant_factories import bulk_applicants
from tests.conftest import IN_CI, require
from tests.subprocess_helpers import BASE_DIR, subprocess_env, wait_for_subprocess_sessions_to_end

JST = ZoneInfo("Asia/Tokyo")
TODAY = date(2026, 11, 25)
BACKEND = "tests.casework.deadlines.test_delivery.ScriptedSMTP"


def at(day: date, hour: int = 8, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=JST)


class WorkerKilled(BaseException):
    """The process dies in the middle of a send: nothing after the claim is recorded."""


class ScriptedSMTP(BaseEmailBackend):
    """The SMTP server, scripted: each connection takes the next outcome (an exception, or None to
    accept). Accepted messages go to django.core.mail.outbox, like the locmem backend."""

    script: list[BaseException | None] = []
    calls = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        outcome = type(self).script.pop(0) if type(self).script else None
        if outcome is not None:
            raise outcome
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def smtp(settings, mailoutbox):
    settings.EMAIL_BACKEND = BACKEND
    ScriptedSMTP.script = []
    ScriptedSMTP.calls = 0
    yield ScriptedSMTP
    ScriptedSMTP.script = []


def disconnected() -> smtplib.SMTPServerDisconnected:
    return smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def person(caseworker):
    with time_machine.travel(at(date(2026, 5, 1)), tick=False):
        return services.applicant_register(by=caseworker, data={"given_name": "Aung", "family_name": "Min"})


@pytest.fixture
def other_person(caseworker):
    with time_machine.travel(at(date(2026, 5, 1)), tick=False):
        return services.applicant_register(
            by=caseworker, data={"given_name": "Nimal", "family_name": "Perera"}
        )


def record_period(by, person, *, start, end, kind="da_refugee_applicant", when=None):
    with time_machine.travel(at(when or start), tick=False):
        return services.legal_period_record(
            by=by, applicant=person, data={"status_kind": kind, "start_date": start, "end_date": end}
        )


def open_procedure(by, person):
    with time_machine.travel(at(date(2026, 5, 2)), tick=False):
        return services.procedure_record(
            by=by, applicant=person, data={"ordinal": 1, "applied_on": date(2026, 3, 1)}
        )


def record_event(by, procedure, kind, day, capture, *, hour=10):
    """Record a procedure event at `hour` on `day`, and run what its commit enqueues (eager tasks)."""
    with time_machine.travel(at(day, hour), tick=False), capture(execute=True) as callbacks:
        event = services.procedure_event_record(by=by, procedure=procedure, data={"kind": kind, "date": day})
    return event, callbacks


def sweep_and_deliver(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        deadline_sweep.sweep()
        delivery.deliver_reminders()


def send(moment: datetime) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return delivery.send_emails()


def notified(user, **filters) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, **filters))


# --- The urgent path ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refusal_notice_recorded_at_10_reaches_the_caseworker_within_a_minute(
    caseworker, person, mailoutbox, django_capture_on_commit_callbacks
):
    """Not the next morning: the commit enqueues the evaluation, which creates, delivers and e-mails."""
    procedure = open_procedure(caseworker, person)
    recorded_at = at(TODAY, 10)
    with time_machine.travel(recorded_at, tick=True):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            event = services.procedure_event_record(
                by=caseworker, procedure=procedure, data={"kind": "refusal_notice", "date": TODAY}
            )
        finished_at = datetime.now(tz=JST)
    assert len(callbacks) == 1, "saving the refusal notice enqueues its evaluation on commit"

    reminder = Reminder.objects.get(source_kind="appeal_deadline", source_id=event.pk)
    assert (reminder.offset, reminder.state, reminder.urgent) == ("on_record", Reminder.State.LIVE, True)
    assert reminder.deadline_date == TODAY + timedelta(days=7)
    assert reminder.delivered_at is not None

    [notification] = notified(caseworker)
    assert notification.reminder == reminder
    assert notification.created_at - recorded_at < timedelta(minutes=1)

    email = OutgoingEmail.objects.get(recipient=caseworker)
    assert (email.purpose, email.state, email.attempts) == ("urgent", "sent", 1)
    assert email.sent_at - recorded_at < timedelta(minutes=1)
    assert finished_at - recorded_at < timedelta(minutes=1)
    [message] = mailoutbox
    assert message.to == [caseworker.email]
    assert message.extra_headers["Message-ID"] == email.message_id
    assert person.reference_code in message.subject


@pytest.mark.django_db
def test_a_short_stay_is_reminded_of_when_it_is_recorded_a_long_one_waits_for_its_ladder(
    caseworker, person, other_person, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(TODAY, 10), tick=False):
        with django_capture_on_commit_callbacks(execute=True) as short_callbacks:
            short = services.legal_period_record(
                by=caseworker,
                applicant=person,
                data={
                    "status_kind": "da_refugee_applicant",
                    "start_date": TODAY,
                    "end_date": date(2027, 2, 24),
                },
            )
        with django_capture_on_commit_callbacks(execute=True) as long_callbacks:
            services.legal_period_record(
                by=caseworker,
                applicant=other_person,
                data={
                    "status_kind": "da_refugee_applicant",
                    "start_date": TODAY,
                    "end_date": date(2027, 5, 24),
                },
            )
    assert len(short_callbacks) == 1 and long_callbacks == []
    [notification] = notified(caseworker)
    assert notification.reminder.source_kind == "period_end"
    assert notification.reminder.source_id == short.pk
    assert notification.reminder.offset == "on_record"
    assert not Reminder.objects.filter(applicant=other_person).exists()


@pytest.mark.django_db
def test_an_appeal_filed_stops_the_appeal_reminders_at_once(
    caseworker, supervisor, person, mailoutbox, django_capture_on_commit_callbacks
):
    procedure = open_procedure(caseworker, person)
    notice, _ = record_event(
        caseworker, procedure, "refusal_notice", TODAY, django_capture_on_commit_callbacks
    )
    _, callbacks = record_event(
        caseworker, procedure, "appeal_filed", TODAY + timedelta(days=2), django_capture_on_commit_callbacks
    )
    assert len(callbacks) == 1
    assert not Reminder.objects.filter(source_id=notice.pk, state=Reminder.State.LIVE).exists()
    with time_machine.travel(at(TODAY + timedelta(days=3), 9), tick=False):
        assert delivery.escalate() == 0  # dealt with: nothing to escalate
        deadline_sweep.sweep()
    assert not Reminder.objects.filter(source_id=notice.pk, offset="-4").exists()


# --- E-mail faults -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_smtp_server_refuses_the_notification_still_appears_and_the_email_is_retried_then_sent_once(
    caseworker, person, smtp, django_capture_on_commit_callbacks
):
    smtp.script = [disconnected(), disconnected()]
    procedure = open_procedure(caseworker, person)
    record_event(caseworker, procedure, "refusal_notice", TODAY, django_capture_on_commit_callbacks)
    assert len(notified(caseworker)) == 1, "the in-app notification does not wait for the e-mail"

    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts, email.claimed_at) == ("pending", 1, None)
    assert email.next_attempt_at == at(TODAY, 10, 1)  # back off: one minute
    assert email.last_error.startswith("SMTPServerDisconnected")
    assert mail.outbox == []

    assert send(at(TODAY, 10, 0, 30)) == {}  # not before the backoff
    assert send(at(TODAY, 10, 1, 1)) == {"retry": 1}
    email.refresh_from_db()
    assert email.attempts == 2 and email.next_attempt_at == at(TODAY, 10, 3, 1)  # then two minutes

    with time_machine.travel(at(TODAY, 10, 5), tick=False):
        tasks.redeliver()  # the periodic safety net sends it
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == ("sent", 3, "")
    assert send(at(TODAY, 11)) == {}
    assert len(mail.outbox) == 1 and smtp.calls == 3
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id


@pytest.mark.django_db
def test_a_permanently_bad_address_fails_at_once_with_the_reason(
    caseworker, person, smtp, django_capture_on_commit_callbacks
):
    smtp.script = [smtplib.SMTPRecipientsRefused({caseworker.email: (550, b"5.1.1 User unknown")})]
    procedure = open_procedure(caseworker, person)
    record_event(caseworker, procedure, "refusal_notice", TODAY, django_capture_on_commit_callbacks)
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts) == ("failed", 1)
    assert "SMTPRecipientsRefused" in email.last_error and "User unknown" in email.last_error
    assert send(at(TODAY + timedelta(days=1))) == {}  # never retried
    assert len(notified(caseworker)) == 1 and mail.outbox == []


@pytest.mark.django_db
def test_after_the_configured_attempts_an_email_fails_with_the_last_reason(
    caseworker, person, smtp, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_ATTEMPTS = 3
    smtp.script = [disconnected() for _ in range(10)]
    procedure = open_procedure(caseworker, person)
    record_event(caseworker, procedure, "refusal_notice", TODAY, django_capture_on_commit_callbacks)
    for minutes in (30, 60, 90):
        send(at(TODAY, 10) + timedelta(minutes=minutes))
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts) == ("failed", 3)
    assert email.last_error.startswith("SMTPServerDisconnected: Connection unexpectedly closed")
    assert smtp.calls == 3


def queue_urgent_email(caseworker, person, moment: datetime) -> OutgoingEmail:
    """An appeal reminder created and delivered, its e-mail queued but not yet sent."""
    procedure = open_procedure(caseworker, person)
    with time_machine.travel(moment, tick=False):
        ProcedureEvent.objects.create(
            procedure=procedure, kind="refusal_notice", date=moment.date(), recorded_by=caseworker
        )
        deadline_sweep.sweep()
        delivery.deliver_reminders()
    return OutgoingEmail.objects.get()


@pytest.mark.django_db
def test_a_worker_that_dies_after_claiming_an_email_leaves_it_to_another_after_the_lease(
    caseworker, person, smtp, settings
):
    settings.EMAIL_LEASE_SECONDS = 600
    email = queue_urgent_email(caseworker, person, at(TODAY, 10))
    smtp.script = [WorkerKilled()]
    with pytest.raises(WorkerKilled):
        send(at(TODAY, 10, 1))
    email.refresh_from_db()
    assert email.state == "pending" and email.claimed_at == at(TODAY, 10, 1) and mail.outbox == []

    assert send(at(TODAY, 10, 2)) == {}  # claimed by the dead worker: another leaves it alone…
    assert send(at(TODAY, 10, 11)) == {}  # …until the lease has passed
    assert send(at(TODAY, 10, 11, 1)) == {"reclaimed": 1, "sent": 1}
    assert send(at(TODAY, 10, 30)) == {}
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 2)  # the lost attempt counts
    assert len(mail.outbox) == 1 and mail.outbox[0].extra_headers["Message-ID"] == email.message_id


@pytest.mark.django_db
def test_a_delivery_message_lost_by_the_broker_is_delivered_by_the_periodic_redelivery(
    caseworker, person, other_person, mailoutbox
):
    """The sweep created the reminders, but the message asking for delivery never arrived."""
    record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 12, 20))
    procedure = open_procedure(caseworker, other_person)
    with time_machine.travel(at(TODAY), tick=False):
        ProcedureEvent.objects.create(
            procedure=procedure, kind="refusal_notice", date=TODAY, recorded_by=caseworker
        )
        deadline_sweep.sweep()  # …and no deliver_reminders, no send_emails
    assert Reminder.objects.filter(state=Reminder.State.LIVE, delivered_at__isnull=True).count() == 2
    assert Notification.objects.count() == 0

    with time_machine.travel(at(TODAY, 8, 5), tick=False):
        tasks.redeliver()
    assert {n.reminder.source_kind for n in notified(caseworker)} == {"period_end", "appeal_deadline"}
    assert len(mailoutbox) == 1 and OutgoingEmail.objects.get().state == "sent"  # the urgent one
    with time_machine.travel(at(TODAY, 8, 10), tick=False):
        tasks.redeliver()
    assert len(notified(caseworker)) == 2 and len(mailoutbox) == 1


# --- Recipients --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_deactivated_caseworker_s_reminders_go_to_the_team_s_supervisors(
    caseworker, supervisor, person, mailoutbox
):
    record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    procedure = open_procedure(caseworker, person)
    caseworker.is_active = False
    caseworker.save()
    with time_machine.travel(at(TODAY), tick=False):
        ProcedureEvent.objects.create(
            procedure=procedure, kind="refusal_notice", date=TODAY, recorded_by=caseworker
        )
    sweep_and_deliver(at(TODAY))
    send(at(TODAY))
    assert notified(caseworker) == []
    assert {n.reminder.source_kind for n in notified(supervisor)} == {"period_end", "appeal_deadline"}
    assert [m.to for m in mailoutbox] == [[supervisor.email]]


@pytest.mark.django_db
def test_a_reminder_nobody_can_receive_waits_until_the_team_has_a_supervisor(
    caseworker, make_user, team, person
):
    record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    caseworker.is_active = False
    caseworker.save()
    sweep_and_deliver(at(TODAY))
    reminder = Reminder.objects.get(state=Reminder.State.LIVE)
    assert reminder.delivered_at is None and Notification.objects.count() == 0

    lead = make_user(Role.SUPERVISOR, username="super2")
    team.supervisors.add(lead)
    with time_machine.travel(at(TODAY, 8, 5), tick=False):
        tasks.redeliver()
    assert [n.reminder for n in notified(lead)] == [reminder]


# --- Escalation ----------------------------------------------------------------------------------------

END = date(2026, 12, 20)


@pytest.fixture
def t_minus_7(caseworker, supervisor, person) -> Reminder:
    """A six-month period; its T-7 reminder delivered to the caseworker at 08:00 on T-7."""
    record_period(caseworker, person, start=date(2026, 6, 21), end=END)
    sweep_and_deliver(at(END - timedelta(days=7)))
    reminder = Reminder.objects.get(state=Reminder.State.LIVE)
    assert reminder.offset == "-7" and reminder.delivered_at == at(END - timedelta(days=7))
    return reminder


def escalate(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return delivery.escalate()


def deadline_state(reminder: Reminder, **fields) -> DeadlineState:
    return DeadlineState.objects.create(
        source_kind=reminder.source_kind,
        source_id=reminder.source_id,
        deadline_date=reminder.deadline_date,
        **fields,
    )


@pytest.mark.django_db
def test_a_t_minus_7_reminder_unacknowledged_for_24_hours_escalates_to_the_supervisors_once(
    t_minus_7, supervisor, caseworker, mailoutbox
):
    delivered = t_minus_7.delivered_at
    assert escalate(delivered + timedelta(hours=23, minutes=59)) == 0
    assert escalate(delivered + timedelta(hours=24, minutes=15)) == 1
    [escalation] = notified(supervisor, purpose="escalation")
    assert escalation.reminder == t_minus_7
    assert notified(caseworker, purpose="escalation") == []
    email = OutgoingEmail.objects.get(purpose="escalation")
    assert email.recipient == supervisor
    assert escalate(delivered + timedelta(hours=25, minutes=15)) == 0  # once per deadline
    assert escalate(delivered + timedelta(days=3)) == 0
    assert DeadlineState.objects.get().escalated_at == delivered + timedelta(hours=24, minutes=15)


@pytest.mark.django_db
def test_an_acknowledged_deadline_does_not_escalate(t_minus_7, supervisor):
    deadline_state(t_minus_7, acknowledged_at=t_minus_7.delivered_at + timedelta(hours=2))
    assert escalate(t_minus_7.delivered_at + timedelta(hours=25)) == 0
    assert escalate(t_minus_7.delivered_at + timedelta(days=5)) == 0
    assert notified(supervisor) == []


@pytest.mark.django_db
def test_a_snooze_pauses_escalation_until_its_date(t_minus_7, supervisor):
    deadline_state(t_minus_7, snoozed_until=END - timedelta(days=3))
    assert escalate(at(END - timedelta(days=5), 9)) == 0
    assert escalate(at(END - timedelta(days=4), 9)) == 0
    assert escalate(at(END - timedelta(days=3), 9)) == 1


@pytest.mark.django_db
def test_a_snooze_never_pauses_escalation_past_t_minus_1(t_minus_7, supervisor):
    deadline_state(t_minus_7, snoozed_until=END + timedelta(days=10))
    assert escalate(at(END - timedelta(days=2), 9)) == 0
    assert escalate(at(END - timedelta(days=1), 9)) == 1


@pytest.mark.django_db
def test_reminders_further_than_t_minus_7_do_not_escalate(caseworker, supervisor, person, other_person):
    # A T-14 reminder of a long stay, and the "on record" reminder of a three-month stay 90 days out.
    record_period(caseworker, person, start=date(2026, 6, 21), end=END)
    record_period(caseworker, other_person, start=TODAY, end=date(2027, 2, 24))
    sweep_and_deliver(at(END - timedelta(days=14)))
    assert set(Reminder.objects.filter(state="live").values_list("offset", flat=True)) == {"-14", "on_record"}
    assert escalate(at(END - timedelta(days=12), 9)) == 0


@pytest.mark.django_db
def test_an_overdue_deadline_escalates(caseworker, supervisor, person):
    record_period(caseworker, person, start=date(2026, 6, 21), end=END)
    sweep_and_deliver(at(END + timedelta(days=1)))
    assert Reminder.objects.get(state="live").offset == "overdue"
    assert escalate(at(END + timedelta(days=2), 9)) == 1


# --- The daily digest ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_digest_per_caseworker_per_day_with_the_non_urgent_items_once(
    caseworker, person, other_person, mailoutbox
):
    record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 12, 20))  # T-30 on 20 Nov
    record_period(caseworker, other_person, start=date(2026, 7, 1), end=date(2027, 1, 20))  # T-60 on 21 Nov
    procedure = open_procedure(caseworker, other_person)
    with time_machine.travel(at(TODAY), tick=False):
        ProcedureEvent.objects.create(
            procedure=procedure, kind="refusal_notice", date=TODAY, recorded_by=caseworker
        )
    sweep_and_deliver(at(TODAY))
    with time_machine.travel(at(TODAY, 8, 1), tick=False):
        assert delivery.queue_digests() == 1
        assert delivery.queue_digests() == 0  # queued again: nothing new, still one message
        tasks.queue_digests()
    digest = OutgoingEmail.objects.get(purpose="digest")
    assert digest.topic == f"digest:{TODAY.isoformat()}" and digest.state == "sent"
    assert person.reference_code in digest.body and other_person.reference_code in digest.body
    assert "Appeal deadline" not in digest.body  # the urgent one went on its own, at once
    assert sorted(m.subject.startswith("Tobira: 2 deadline reminders") for m in mailoutbox) == [False, True]

    # The next day nothing new: no digest; the day after, only the new item.
    sweep_and_deliver(at(TODAY + timedelta(days=1)))
    with time_machine.travel(at(TODAY + timedelta(days=1), 8, 1), tick=False):
        assert delivery.queue_digests() == 0
    sweep_and_deliver(at(date(2026, 12, 6)))  # T-14 of 20 December
    with time_machine.travel(at(date(2026, 12, 6), 8, 1), tick=False):
        assert delivery.queue_digests() == 1
    latest = OutgoingEmail.objects.filter(purpose="digest").order_by("-created_at").first()
    assert person.reference_code in latest.body and other_person.reference_code not in latest.body


# --- The recipient's language ------------------------------------------------------------------------


@pytest.mark.django_db
def test_emails_are_rendered_in_the_recipient_s_language(
    caseworker, person, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    caseworker.language = "ja"
    caseworker.save()
    languages = []
    render = delivery.render_to_string

    def spy(*args, **kwargs):
        languages.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(delivery, "render_to_string", spy)
    procedure = open_procedure(caseworker, person)
    record_event(caseworker, procedure, "refusal_notice", TODAY, django_capture_on_commit_callbacks)
    assert languages == ["ja", "ja"]  # subject and body, whatever the language of the request
    assert translation.get_language() != "ja"
    [message] = mailoutbox

    with translation.override("ja"):
        label = gettext("Appeal deadline")
        subject = gettext("Tobira: urgent deadline %(day)s for %(reference)s")
    # The Japanese catalogue is compiled by `make messages` (CI); without it the text stays English.
    if label != "Appeal deadline":
        assert label in message.body
    if subject != "Tobira: urgent deadline %(day)s for %(reference)s":
        assert not message.subject.startswith("Tobira: urgent deadline")


# --- Exactly once ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_delivering_twice_gives_one_notification_per_recipient(caseworker, supervisor, person, mailoutbox):
    record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    with time_machine.travel(at(TODAY), tick=False):
        deadline_sweep.sweep()
        assert delivery.deliver_reminders() == 1
        assert delivery.deliver_reminders() == 0
        tasks.deliver_reminders()
        tasks.redeliver()
    assert Notification.objects.count() == 1


def run_in_threads(count: int, work) -> list:
    """Run `work` in `count` threads released at the same moment; each closes its own connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_deliverers_at_once_give_one_notification_per_recipient(caseworker, supervisor, team):
    with time_machine.travel(at(TODAY, 7), tick=False):
        people = bulk_applicants(40, team=team, caseworker=caseworker)
        procedures = [
            services.procedure_record(by=caseworker, applicant=p, data={"ordinal": 1, "applied_on": TODAY})
            for p in people[:10]
        ]
    # 30 caseworker reminders (period T-30), 10 of them urgent appeals with an e-mail each.
    for person in people[:30]:
        record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 12, 25), when=TODAY)
    with time_machine.travel(at(TODAY), tick=False):
        for procedure in procedures:
            ProcedureEvent.objects.create(
                procedure=procedure, kind="refusal_notice", date=TODAY, recorded_by=caseworker
            )
        deadline_sweep.sweep()
    assert Reminder.objects.filter(state="live").count() == 40
    with time_machine.travel(at(TODAY, 8, 5), tick=True):
        delivered = run_in_threads(2, delivery.deliver_reminders)
    assert sum(delivered) == 40, delivered
    assert Notification.objects.count() == 40
    assert Notification.objects.values("reminder", "recipient").distinct().count() == 40
    assert OutgoingEmail.objects.count() == 10
    assert not Reminder.objects.filter(state="live", delivered_at__isnull=True).exists()


# --- Two sweeps in two processes -----------------------------------------------------------------------

SWEEP_APPLICATION = "tobira-concurrent-sweep"
# Waits until the agreed moment, runs the command, and reports where its code came from and when it ran.
SWEEP_SCRIPT = """
import json, sys, time
import django
django.setup()
import casework
from django.core.management import call_command
start_at, today = float(sys.argv[1]), sys.argv[2]
while time.time() < start_at:
    time.sleep(0.001)
began = time.time()
call_command("sweep_reminders", "--no-deliver", "--today", today)
print("RESULT " + json.dumps({"code": casework.__file__, "began": began, "ended": time.time()}))
"""


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_in_two_processes_create_each_reminder_once(caseworker, team):
    if IN_CI:
        require(connection.vendor == "postgresql", "CI runs this test on PostgreSQL (DATABASE_URL)")
    people = bulk_applicants(300, team=team, caseworker=caseworker)
    # Deadlines spread over the next months, so every offset of the ladders is due somewhere.
    LegalStatusPeriod.objects.bulk_create(
        [
            LegalStatusPeriod(
                applicant=person,
                status_kind="da_refugee_applicant" if index % 4 else "provisional_release",
                start_date=TODAY - timedelta(days=120),
                end_date=TODAY + timedelta(days=index % 150 - 40),
            )
            for index, person in enumerate(people)
        ]
    )
    env = subprocess_env(application_name=SWEEP_APPLICATION)
    start_at = time.time() + 4  # both have started Django by then
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SWEEP_SCRIPT, str(start_at), TODAY.isoformat()],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = []
    try:
        for process in processes:
            output, _ = process.communicate(timeout=60)
            outputs.append(output)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        wait_for_subprocess_sessions_to_end(SWEEP_APPLICATION)
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
    runs = [
        json.loads(line.split(" ", 1)[1])
        for o in outputs
        for line in o.splitlines()
        if line.startswith("RESULT ")
    ]
    assert len(runs) == 2, outputs
    assert all(run["code"].startswith(str(BASE_DIR)) for run in runs), runs  # this checkout's code
    assert runs[0]["began"] < runs[1]["ended"] and runs[1]["began"] < runs[0]["ended"], (
        "the sweeps overlapped"
    )

    keys = Reminder.objects.values_list("source_kind", "source_id", "deadline_date", "offset")
    assert keys.count() == len(set(keys)) > 300
    live = Reminder.objects.filter(state="live").values_list("source_kind", "source_id", "deadline_date")
    assert live.count() == len(set(live)), "one live reminder per deadline"
    # A third sweep finds nothing to do.
    again = deadline_sweep.sweep(today=TODAY)
    assert again.total(again.created) == again.total(again.skipped) == again.total(again.overdue) == 0
    print(f"Two sweeps overlapped: {runs}; {keys.count()} reminders, {live.count()} live")


@pytest.mark.django_db
def test_without_update_returning_each_reminder_is_claimed_on_its_own_still_once(
    caseworker, person, other_person, monkeypatch
):
    """SQLite before 3.35 has no UPDATE … RETURNING: one conditional update per reminder instead."""
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    record_period(caseworker, person, start=date(2026, 6, 1), end=date(2026, 11, 30))
    record_period(caseworker, other_person, start=date(2026, 6, 1), end=date(2026, 12, 20))
    with time_machine.travel(at(TODAY), tick=False):
        deadline_sweep.sweep()
        assert delivery.deliver_reminders() == 2
        assert delivery.deliver_reminders() == 0
    assert Notification.objects.count() == 2
