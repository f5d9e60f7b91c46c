"""The administrator's system health panel says what the delivery machinery went through: e-mails sent in
the last 24 hours and how many needed another attempt, waiting ones (retrying, or claimed by a sender that
stopped), failed ones, reminders due and not delivered, and when a worker last started."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from casework.models import OutgoingEmail
from casework.services import heartbeat_record
from tests.casework.applicant_factories import ApplicantFactory
from tests.casework.reminder_factories import failed_email, make_reminder
from tests.faults.rig import health_panel

pytestmark = pytest.mark.django_db
_numbers = count()


def outbox(user, **fields) -> OutgoingEmail:
    number = next(_numbers)
    return OutgoingEmail.objects.create(
        recipient=user,
        purpose=OutgoingEmail.Purpose.URGENT,
        topic=f"reminder:panel-{number}",
        to_address=user.email,
        subject="s",
        body="b",
        message_id=f"<panel.{number}@tobira.test>",
        **fields,
    )


def test_the_panel_counts_sent_retried_waiting_stuck_and_failed_emails(administrator, caseworker, settings):
    settings.EMAIL_LEASE_SECONDS = 600
    now = timezone.now()
    sent = OutgoingEmail.State.SENT
    outbox(caseworker, state=sent, sent_at=now - timedelta(hours=1), attempts=1)
    outbox(caseworker, state=sent, sent_at=now - timedelta(hours=2), attempts=3)  # after two failures
    outbox(caseworker, state=sent, sent_at=now - timedelta(days=2), attempts=4)  # too long ago
    outbox(caseworker, attempts=1, last_error="451", next_attempt_at=now + timedelta(minutes=1))
    outbox(caseworker, attempts=1, claimed_at=now - timedelta(minutes=30))  # its sender stopped
    outbox(caseworker, attempts=1, claimed_at=now - timedelta(seconds=5))  # being sent now
    failed_email(caseworker)
    make_reminder(ApplicantFactory(team=caseworker.team, caseworker=caseworker), delivered=False)  # due

    text = health_panel(administrator)
    assert "2 e-mails sent in the last 24 hours, 1 of them after a failed or interrupted attempt" in text
    assert (
        "E-mails waiting: 3 (1 to be retried after a failed attempt, 1 claimed by a sender that stopped)"
        in text
    )
    assert "1 Failed e-mails (1 in the last 24 hours)" in text
    assert "1 Reminders due and not delivered yet" in text
    assert "Worker: no start recorded" in text


def test_a_quiet_outbox_and_a_started_worker(administrator):
    heartbeat_record(name="worker")
    text = health_panel(administrator)
    assert "0 e-mails sent in the last 24 hours" in text and "of them" not in text
    assert (
        "E-mails waiting: 0 (0 to be retried after a failed attempt, 0 claimed by a sender that stopped)"
        in text
    )
    assert "0 Failed e-mails" in text and "0 Reminders due and not delivered yet" in text
    assert "Worker: last started" in text


def test_the_worker_records_its_start(caseworker):
    from casework.models import Heartbeat
    from casework.tasks import sweep_when_a_worker_starts

    sweep_when_a_worker_starts()  # eager here: the start-up sweep runs too
    assert Heartbeat.objects.get(name="worker").at >= timezone.now() - timedelta(minutes=1)
