"""What the partner portal's home shows an employer user, in a fixed number of queries whatever the data:
their openings counted by status, candidates waiting for an answer, interviews ahead and follow-ups to
confirm, unread notifications. Only through jobs.selectors.partner, and of a candidate only the reference code and the given
name (the share packet's base; the packet itself is the candidate page's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from jobs.models import FollowUp, Interview, OpeningStatus, Stage
from jobs.selectors.partner import (
    SHARED_STAGES,
    partner_notifications,
    partner_openings,
    partner_placements,
    partner_referrals,
)

HOME_ROWS = 10  # each card lists at most this many, with the total
FOLLOW_UP_WINDOW_DAYS = 30


@dataclass
class HomeCard:
    rows: list[Any] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


@dataclass
class PartnerHome:
    opening_counts: list[tuple[str, str, int]]  # (status, label, count), in the statuses' order
    waiting: HomeCard
    interviews: HomeCard
    follow_ups: HomeCard
    notifications: HomeCard = field(default_factory=HomeCard)  # unread ones, newest first

    @property
    def openings_total(self) -> int:
        return sum(count for _status, _label, count in self.opening_counts)


def _card(queryset, fields: tuple[str, ...]) -> HomeCard:
    rows = list(queryset.values(*fields)[:HOME_ROWS])
    return HomeCard(rows=rows, total=queryset.count())  # always counted: the same queries at any size


def partner_home(user, *, now=None, today: date | None = None) -> PartnerHome:
    now = now or timezone.now()
    today = today or timezone.localdate()
    counted = dict(
        partner_openings(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    opening_counts = [(value, str(label), counted.get(value, 0)) for value, label in OpeningStatus.choices]
    waiting = _card(
        partner_referrals(user, now=now).filter(stage=Stage.SHARED).order_by("stage_changed_at", "pk"),
        ("pk", "applicant__reference_code", "applicant__given_name", "opening__title", "stage_changed_at"),
    )
    interviews = _card(
        Interview.objects.filter(
            referral__in=partner_referrals(user, now=now).filter(stage__in=SHARED_STAGES).values("pk"),
            starts_at__gte=now,
        ).order_by("starts_at", "pk"),
        (
            "pk",
            "starts_at",
            "place",
            "interpreter_needed",
            "referral_id",
            "referral__applicant__reference_code",
            "referral__applicant__given_name",
            "referral__opening__title",
        ),
    )
    follow_ups = _card(
        FollowUp.objects.filter(
            placement__in=partner_placements(user).values("pk"),
            recorded_at__isnull=True,
            due_on__lte=today + timedelta(days=FOLLOW_UP_WINDOW_DAYS),
        ).order_by("due_on", "pk"),
        (
            "pk",
            "placement_id",
            "month",
            "due_on",
            "placement__applicant__reference_code",
            "placement__applicant__given_name",
            "placement__opening__title",
        ),
    )
    for row in follow_ups.rows:
        row["overdue"] = row["due_on"] < today
    unread = partner_notifications(user).filter(read_at__isnull=True)
    notifications = HomeCard(rows=list(unread[:HOME_ROWS]), total=unread.count())
    return PartnerHome(opening_counts, waiting, interviews, follow_ups, notifications)
