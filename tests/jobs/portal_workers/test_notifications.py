"""The daily portal notifications (jobs.tasks.notify_portal_employers → portal_notifications_create):
"may work until" 30 days before, a changed date, a follow-up due; their e-mails to the employer's active
portal users; idempotent and a fixed number of queries whatever the number of placements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from casework.models import LegalStatusPeriod, OutgoingEmail, WorkPermission
from jobs.models import PartnershipStatus, PortalNotification, PortalNotificationKind
from jobs.services.partner_workers import portal_notifications_create
from jobs.tasks import notify_portal_employers
from tests.jobs.factories import today

pytestmark = pytest.mark.django_db


def work_until(applicant, last_day) -> None:
    """Move the end of the person's period and permission (a renewal recorded, or one ending soon)."""
    LegalStatusPeriod.objects.filter(applicant=applicant).update(end_date=last_day)
    WorkPermission.objects.filter(applicant=applicant).update(end_date=last_day)


def kinds(employer=None) -> list[str]:
    rows = PortalNotification.objects.all()
    if employer is not None:
        rows = rows.filter(employer=employer)
    return sorted(rows.values_list("kind", flat=True))


def test_may_work_until_soon_follow_up_due_and_idempotent(place, opening, portal_user, company):
    placement = place(opening, days_ago=40)  # month 1 was due 10 days ago
    soon = today() + timedelta(days=20)
    work_until(placement.applicant, soon)
    run = portal_notifications_create()
    assert run.created == 2
    assert kinds(company) == [
        PortalNotificationKind.FOLLOW_UP_DUE,
        PortalNotificationKind.MAY_WORK_UNTIL_SOON,
    ]
    assert PortalNotification.objects.get(kind="may_work_until_soon").day == soon
    placement.refresh_from_db()
    assert placement.may_work_until_notified == soon
    emails = list(OutgoingEmail.objects.filter(recipient=portal_user))
    assert len(emails) == 2
    assert all(email.kind == "jobs.portal" for email in emails)
    # Running again (twice, through the task too) creates nothing new and queues no new e-mail.
    assert portal_notifications_create().created == 0
    assert notify_portal_employers() == 0
    assert PortalNotification.objects.count() == 2
    assert OutgoingEmail.objects.count() == 2


def test_a_changed_date_is_notified_once_and_not_on_the_first_run(place, opening):
    placement = place(opening, days_ago=5)  # no follow-up due yet; may work for almost a year
    portal_notifications_create()
    assert kinds() == []  # the first look only stores the date
    later = today() + timedelta(days=700)
    work_until(placement.applicant, later)
    assert portal_notifications_create().created == 1
    assert kinds() == [PortalNotificationKind.MAY_WORK_UNTIL_CHANGED]
    assert PortalNotification.objects.get().day == later
    assert portal_notifications_create().created == 0
    placement.refresh_from_db()
    assert placement.may_work_until_notified == later


def test_emails_in_the_recipients_language_with_a_stable_message_id(place, opening, portal_user):
    portal_user.language = "ja"
    portal_user.save()
    placement = place(opening, days_ago=40)
    portal_notifications_create()
    email = OutgoingEmail.objects.get(recipient=portal_user)
    with translation.override("ja"):  # rendered in the recipient's language (whatever the catalogue holds)
        expected = gettext("Follow-up due for %(code)s") % {"code": placement.applicant.reference_code}
    assert email.subject == expected
    assert email.message_id.startswith("<jobs.portal.")
    first_id = email.message_id
    email.delete()
    PortalNotification.objects.all().delete()
    portal_notifications_create()
    assert OutgoingEmail.objects.get(recipient=portal_user).message_id == first_id


def test_inactive_users_get_no_email(place, opening, portal_user):
    portal_user.is_active = False
    portal_user.save()
    place(opening, days_ago=40)
    portal_notifications_create()
    assert PortalNotification.objects.count() == 1
    assert not OutgoingEmail.objects.exists()


def test_no_consent_no_may_work_until_and_ended_partnership_nothing(
    place, opening, other_opening, other_company
):
    placement = place(opening, days_ago=40, scope=None)
    work_until(placement.applicant, today() + timedelta(days=10))
    place(other_opening, days_ago=40)
    other_company.partnership_status = PartnershipStatus.ENDED
    other_company.save()
    portal_notifications_create()
    # Without a current consent the date is not the employer's; the follow-up still is.
    assert kinds() == [PortalNotificationKind.FOLLOW_UP_DUE]
    assert not PortalNotification.objects.filter(employer=other_company).exists()


def test_ended_placements_are_left_alone(place, opening):
    placement = place(opening, days_ago=40)
    placement.ended_on = today() - timedelta(days=1)
    placement.leaving_reason = "moved"
    placement.save()
    assert portal_notifications_create().created == 0


def _queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        portal_notifications_create()
    return len(captured)


def test_queries_do_not_grow_with_placements(place, opening, portal_user):
    for _ in range(5):
        placement = place(opening, days_ago=40)
        work_until(placement.applicant, today() + timedelta(days=15))
    few = _queries()
    PortalNotification.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    from jobs.models import Placement

    Placement.objects.update(may_work_until_notified=None, may_work_until_checked_at=None)
    for _ in range(45):
        placement = place(opening, days_ago=40)
        work_until(placement.applicant, today() + timedelta(days=15))
    many = _queries()
    assert PortalNotification.objects.count() == 100
    if connection.vendor == "sqlite":  # SQLite splits a bulk INSERT at its 999-parameter limit
        assert many - few <= 2
    else:
        assert few == many
