"""How the outbox reads a real SMTP server's answers (aiosmtpd in the test, Django's SMTP backend): a
temporary refusal (4xx) is retried after the backoff, a permanent one (5xx) fails at once, a server that
does not answer within EMAIL_TIMEOUT is a failed attempt, retried. The settings
the retries depend on are set in production too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.deadlines import delivery
from casework.models import OutgoingEmail
from tests.casework.reminder_factories import failed_email
from tests.faults.smtp_server import Outcome, SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings) -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        settings.EMAIL_TIMEOUT = 1
        settings.EMAIL_RETRY_SECONDS = 60
        settings.EMAIL_MAX_ATTEMPTS = 5
        yield server


@pytest.fixture
def email(caseworker) -> OutgoingEmail:
    queued = failed_email(caseworker)
    OutgoingEmail.objects.filter(pk=queued.pk).update(
        state=OutgoingEmail.State.PENDING, attempts=0, last_error=""
    )
    queued.refresh_from_db()
    return queued


def test_a_temporary_refusal_is_retried_after_the_backoff_with_the_same_message_id(smtp, email):
    smtp.handler.script = [Outcome.REFUSE]
    start = timezone.now()
    assert delivery.send_emails(now=start) == {"retry": 1}
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.PENDING and "451" in email.last_error
    assert email.next_attempt_at == start + timedelta(seconds=60)
    assert delivery.send_emails(now=start + timedelta(seconds=59)) == {}  # the backoff holds it back
    assert delivery.send_emails(now=start + timedelta(seconds=61)) == {"sent": 1}
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutgoingEmail.State.SENT, 2)
    assert smtp.handler.received == [email.message_id]


def test_a_permanent_refusal_fails_at_once(smtp, email):
    smtp.handler.script = [Outcome.REFUSE_FOR_GOOD]
    assert delivery.send_emails() == {"failed": 1}
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.FAILED and "550" in email.last_error
    assert smtp.handler.received == []


def test_a_server_that_stalls_past_the_timeout_is_a_failed_attempt_retried_with_the_same_message_id(
    smtp, email
):
    smtp.handler.script = [Outcome.STALL]
    smtp.handler.stall_seconds = 2
    start = timezone.now()
    assert delivery.send_emails(now=start) == {"retry": 1}
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.PENDING and "timed out" in email.last_error.lower()
    assert delivery.send_emails(now=start + timedelta(minutes=5)) == {"sent": 1}
    # The client hung up before the server's answer: the server dropped that copy, the retry delivered.
    assert smtp.handler.stalled == 1 and smtp.handler.received == [email.message_id]


def test_an_expired_claim_is_taken_again_and_counted(smtp, email, settings):
    settings.EMAIL_LEASE_SECONDS = 30
    start = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=start, attempts=1)  # a sender that died
    assert delivery.send_emails(now=start + timedelta(seconds=29)) == {}
    assert delivery.send_emails(now=start + timedelta(seconds=31)) == {"reclaimed": 1, "sent": 1}
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutgoingEmail.State.SENT, 2)


def test_production_bounds_every_smtp_step_and_the_retries(tmp_path):
    """Loaded as a server loads them: without EMAIL_TIMEOUT a server that stops answering would hold a
    sender (and its lease) for ever; the lease must outlast a send."""
    from tests.test_settings import production_env, settings_of

    env = production_env.__wrapped__(tmp_path)  # the fixture's function: a production environment
    values = settings_of(
        env, "EMAIL_TIMEOUT", "EMAIL_LEASE_SECONDS", "EMAIL_RETRY_SECONDS", "EMAIL_MAX_ATTEMPTS"
    )
    assert values == {
        "EMAIL_TIMEOUT": 10,
        "EMAIL_LEASE_SECONDS": 600,
        "EMAIL_RETRY_SECONDS": 60,
        "EMAIL_MAX_ATTEMPTS": 5,
    }
