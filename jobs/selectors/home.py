"""Reads of jobs' home panel: the follow-ups due of a caseworker's (a supervisor's teams') placed people.

From FollowUp.objects.visible_to(user), narrowed to the caseload the home speaks of; two queries (the
first rows, their count) whatever the number of placements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from casework.models import User
from casework.selectors.home import caseload
from jobs.models import FollowUp

HOME_ROWS = 8
FOLLOW_UPS_AHEAD_DAYS = 14  # due within two weeks, or already due and not yet recorded


@dataclass(frozen=True)
class FollowUpsDue:
    rows: list[FollowUp]
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


def follow_ups_due(*, user: User, scope: str, today: date | None = None) -> FollowUpsDue:
    """Open follow-ups of running placements due by today + 14 days, the most overdue first."""
    today = today or timezone.localdate()
    rows = FollowUp.objects.visible_to(user).filter(
        outcome="",
        placement__ended_on__isnull=True,
        due_on__lte=today + timedelta(days=FOLLOW_UPS_AHEAD_DAYS),
        placement__applicant__in=caseload(user=user, scope=scope).values("pk"),
    )
    shown = list(
        rows.select_related("placement__applicant", "placement__opening__employer").order_by("due_on", "pk")[
            :HOME_ROWS
        ]
    )
    return FollowUpsDue(shown, rows.order_by().count())
