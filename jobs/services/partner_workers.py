"""The portal's placed workers: the employer records filing the employment notification, reads its
portal notifications, and the daily task that creates those notifications (and their e-mails).

- placement_notification_file: "filed on DATE" for the hire and, once the person has left, the leaving
  (外国人雇用状況の届出, DOMAIN.md §9); not in the future, not before the start or the leaving day.
- portal_notification_mark_read / portal_notifications_mark_all_read: one read state per employer.
- portal_notifications_create: daily and idempotent (a unique key per employer and event; a rerun
  creates nothing): "may work until" 30 days before that date (once per date), a changed "may work
  until" (a renewal recorded: compared with the date stored on the placement), and a follow-up that has
  fallen due. Each new notification is e-mailed to the employer's active portal users through
  casework's outbox, in their language, with a stable Message-ID. A fixed number of queries whatever
  the number of placements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.deadlines.delivery import queue_notification_emails
from casework.models import User
from jobs import rules
from jobs.models import (
    EmployerMembership,
    FollowUp,
    PartnershipStatus,
    Placement,
    PortalNotification,
    PortalNotificationKind,
    Referral,
)
from jobs.selectors.packets import share_packets
from jobs.selectors.partner import partner_access, partner_notifications, partner_placements
from jobs.selectors.partner_workers import is_shared
from jobs.services.base import require

EMAIL_KIND = "jobs.portal"
EMAIL_TEMPLATE = "jobs/email/portal_notification"
NOTICE_FIELDS = ("hire_notification_filed_on", "leaving_notification_filed_on")


def _day(day: date) -> str:
    return formats.date_format(day, "Y-m-d")


def _writer(by: User) -> None:
    access = partner_access(by)
    require(access is not None and not access.read_only)


@transaction.atomic
def placement_notification_file(*, by: User, placement: Placement, data: dict[str, Any]) -> Placement:
    """Record the day the employer filed the hire and/or the leaving notification (a date, or None to
    clear it). Refused, naming the field: a day in the future, a hire filed before the start, a leaving
    filed before the person left or while they have not; the person's consent no longer current (the
    placement's details are no longer shared, DESIGN.md's share packet)."""
    _writer(by)
    require(partner_placements(by).filter(pk=placement.pk).exists())
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    packet = share_packets([Referral(pk=locked.referral_id)]).get(locked.referral_id)
    if not is_shared(packet):
        raise ValidationError(
            {"placement": _("The person's consent to share no longer covers this placement's details.")}
        )
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    changes: dict[str, date | None] = {}
    if not any(field in data for field in NOTICE_FIELDS):
        raise ValidationError({"hire_notification_filed_on": _("Enter the day you filed the notification.")})
    for field in NOTICE_FIELDS:
        if field not in data:
            continue
        day = data[field] or None
        if day is not None and not isinstance(day, date):
            errors.setdefault(field, []).append(_("Enter a date."))
            continue
        if day is not None and day > today:
            errors.setdefault(field, []).append(_("The filing day cannot be in the future."))
        elif day is not None and field == "hire_notification_filed_on" and day < locked.start_date:
            errors.setdefault(field, []).append(
                _("The hire cannot be notified before the start date (%(day)s).")
                % {"day": _day(locked.start_date)}
            )
        elif day is not None and field == "leaving_notification_filed_on":
            if locked.ended_on is None:
                errors.setdefault(field, []).append(
                    _("The person has not left: there is no leaving to notify.")
                )
            elif day < locked.ended_on:
                errors.setdefault(field, []).append(
                    _("The leaving cannot be notified before the day the person left (%(day)s).")
                    % {"day": _day(locked.ended_on)}
                )
        changes[field] = day
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked)
    for field, day in changes.items():
        setattr(locked, field, day)
    locked.save(update_fields=list(changes))
    record_change(actor=by, instance=locked, before=before, applicant_id=locked.applicant_id)
    return locked


def portal_notification_mark_read(*, by: User, notification: PortalNotification) -> PortalNotification:
    """Mark one of the employer's notifications read (for all its portal users); already read: unchanged."""
    _writer(by)
    require(partner_notifications(by).filter(pk=notification.pk).exists())
    PortalNotification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db(fields=["read_at"])
    return notification


def portal_notifications_mark_all_read(*, by: User) -> int:
    _writer(by)
    return partner_notifications(by).filter(read_at__isnull=True).update(read_at=timezone.now())


@dataclass(frozen=True)
class NotificationRun:
    created: int
    emails: int


def _running_placements() -> list[Placement]:
    """Running placements of partnerships that have not ended (paused ones are still told)."""
    return list(
        Placement.objects.filter(ended_on__isnull=True)
        .exclude(opening__employer__partnership_status=PartnershipStatus.ENDED)
        .select_related("applicant", "opening")
        .only(
            "pk",
            "referral_id",
            "start_date",
            "may_work_until_notified",
            "may_work_until_checked_at",
            "applicant__reference_code",
            "applicant__given_name",
            "opening__employer_id",
            "opening__title",
        )
    )


def _key(kind: str, placement_id: int, detail: Any) -> str:
    return f"{kind}:{placement_id}:{detail}"


def portal_notifications_create(*, today: date | None = None) -> NotificationRun:
    """The daily run (jobs.tasks.notify_portal_employers): see the module's docstring."""
    today = today or timezone.localdate()
    now = timezone.now()
    placements = _running_placements()
    by_pk = {placement.pk: placement for placement in placements}
    packets = share_packets([Referral(pk=placement.referral_id) for placement in placements], on=today)
    wanted: list[PortalNotification] = []
    checked: list[Placement] = []
    for placement in placements:
        packet = packets.get(placement.referral_id)
        if not is_shared(packet):  # no current consent: the date is not the employer's to know
            continue
        assert packet is not None
        until = packet["may_work_until"]
        employer_id = placement.opening.employer_id
        if until is not None and until - timedelta(days=rules.MAY_WORK_UNTIL_NOTICE_DAYS) <= today <= until:
            wanted.append(
                PortalNotification(
                    employer_id=employer_id,
                    kind=PortalNotificationKind.MAY_WORK_UNTIL_SOON,
                    placement=placement,
                    day=until,
                    key=_key("mwu", placement.pk, until.isoformat()),
                )
            )
        seen = placement.may_work_until_checked_at is not None
        if seen and until is not None and until != placement.may_work_until_notified:
            wanted.append(
                PortalNotification(
                    employer_id=employer_id,
                    kind=PortalNotificationKind.MAY_WORK_UNTIL_CHANGED,
                    placement=placement,
                    day=until,
                    key=_key("mwuc", placement.pk, until.isoformat()),
                )
            )
        if not seen or until != placement.may_work_until_notified:
            placement.may_work_until_notified = until
            placement.may_work_until_checked_at = now
            checked.append(placement)
    for follow_up in FollowUp.objects.filter(
        placement_id__in=list(by_pk), recorded_at__isnull=True, due_on__lte=today
    ).only("pk", "placement_id", "due_on", "month"):
        placement = by_pk[follow_up.placement_id]
        wanted.append(
            PortalNotification(
                employer_id=placement.opening.employer_id,
                kind=PortalNotificationKind.FOLLOW_UP_DUE,
                placement=placement,
                day=follow_up.due_on,
                key=_key("fu", placement.pk, follow_up.month),
            )
        )
    with transaction.atomic():
        existing = set(
            PortalNotification.objects.filter(key__in=[n.key for n in wanted]).values_list(
                "employer_id", "key"
            )
        )
        new = [n for n in wanted if (n.employer_id, n.key) not in existing]
        # A concurrent run's rows are skipped by the unique key; the e-mails are once per topic too.
        PortalNotification.objects.bulk_create(new, ignore_conflicts=True)
        if checked:
            Placement.objects.bulk_update(checked, ["may_work_until_notified", "may_work_until_checked_at"])
        emails = _queue_emails(new)
    return NotificationRun(created=len(new), emails=emails)


def _queue_emails(notifications: list[PortalNotification]) -> int:
    """Every new notification to the active portal users of its employer (one query for the users)."""
    if not notifications:
        return 0
    users: dict[int, list[User]] = {}
    for membership in EmployerMembership.objects.filter(
        employer_id__in={n.employer_id for n in notifications}, user__is_active=True
    ).select_related("user", "employer"):
        users.setdefault(membership.employer_id, []).append(membership.user)
    items = []
    for notification in notifications:
        placement = notification.placement
        assert placement is not None
        for user in users.get(notification.employer_id, []):
            items.append(
                (
                    user,
                    EMAIL_KIND,
                    f"{notification.employer_id}:{notification.key}",
                    EMAIL_TEMPLATE,
                    {
                        "kind": notification.kind,
                        "day": notification.day,
                        "reference_code": placement.applicant.reference_code,
                        "given_name": placement.applicant.given_name,
                        "opening_title": placement.opening.title,
                        "placement_id": placement.pk,
                    },
                )
            )
    return queue_notification_emails(items)
