"""Reads of placements and follow-ups: the lists, a person's placement, follow-ups due."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from casework.models import Applicant
from jobs.models import FollowUp, Placement
from jobs.selectors.ordering import newest_first


def placements_for_list(*, user) -> QuerySet[Placement]:
    return (
        Placement.objects.visible_to(user)
        .select_related("applicant", "applicant__caseworker", "opening", "opening__employer")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("month")))
    )


def newest_starts_first(rows: QuerySet[Placement], *, user) -> QuerySet[Placement]:
    """The placements list's order, newest start first (jobs.selectors.ordering)."""
    return newest_first(rows, field="start_date", user=user)


def placements_of(*, user, applicant: Applicant) -> list[Placement]:
    return list(placements_for_list(user=user).filter(applicant=applicant).order_by("-start_date", "-pk"))


def follow_ups_due(*, user, today: date | None = None, days: int = 30) -> QuerySet[FollowUp]:
    """Open follow-ups of running placements due by today + days (overdue ones included), soonest first."""
    today = today or timezone.localdate()
    return (
        FollowUp.objects.visible_to(user)
        .filter(outcome="", placement__ended_on__isnull=True, due_on__lte=today + timedelta(days=days))
        .select_related(
            "placement", "placement__applicant", "placement__opening", "placement__opening__employer"
        )
        .order_by("due_on", "pk")
    )
