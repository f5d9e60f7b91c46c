"""Outcome figures computed by the database: retention at month marks, time to fill, placements by month.

Every function takes querysets the caller has already restricted (the portal passes one employer's,
from jobs.selectors.partner; staff reports pass `visible_to(user)`), so who-sees-what stays with the
caller and these functions only count. Each runs a fixed number of queries whatever the data: aggregates
and window functions (ROW_NUMBER() and COUNT() OVER, which SQLite and PostgreSQL both run), never a
Python loop over people.

Definitions (the page and the API say them in words):

- Retention at m months. The mark of a placement is its m-month follow-up's due date (start + m months,
  jobs.rules.follow_up_dates: created with the placement, so no month arithmetic is needed in SQL). A
  placement counts only once it has started (start ≤ as_of). Its window has *ended* when the mark is on
  or before as_of; otherwise it is *within the window* (counted as such, never as left). Of the ended
  windows: *left* = the placement ended (`ended_on`, set when someone records that the person left)
  before the mark; *retained* = not left, and known to have worked at the mark: a follow-up at m months
  or later recorded "still working there" or "at risk", or a leaving day on or after the mark;
  *unconfirmed* = neither (no follow-up recorded yet and no leaving recorded). The rate is retained ÷
  (retained + left): the placements whose outcome at the mark is known; None when there is none.
- Time to fill. Per opening that has a placement: days from the day the opening was entered in Tobira
  (`created_at`, Asia/Tokyo; an employer's submitted opening counts from its creation, so the wait for
  approval is included: the model keeps no separate publication date) to the day its first hire was
  confirmed (`Placement.confirmed_at`, Asia/Tokyo). The confirmed hire, not the start date: the start
  date is the employer's calendar (an opening filled in January for an April start is not slow), and a
  placement exists only after its hire was confirmed, so the figure is never negative.
- Quartiles are linear interpolation between the closest ranks (PostgreSQL's percentile_cont): the
  p-quantile of n sorted values is at position p × (n − 1) counting from 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate, TruncMonth

from jobs.models import FollowUp, FollowUpOutcome, JobOpening, Placement
from jobs.rules import FOLLOW_UP_MONTHS, RETENTION_MONTHS

WORKING = (FollowUpOutcome.RETAINED, FollowUpOutcome.AT_RISK)
QUARTER_POINTS = (1, 2, 3)  # q1, median, q3 as quarters


@dataclass(frozen=True)
class Quartiles:
    """How many values, and their first quartile, median and third quartile (None when count is 0)."""

    count: int
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None


@dataclass(frozen=True)
class Retention:
    """Retention at one month mark, as of a day."""

    months: int
    retained: int
    left: int
    unconfirmed: int  # window ended, nothing recorded yet about the mark
    within_window: int  # started, but the mark is still ahead

    @property
    def ended(self) -> int:
        """Placements whose window has ended."""
        return self.retained + self.left + self.unconfirmed

    @property
    def known(self) -> int:
        """The placements behind the rate: their outcome at the mark is known."""
        return self.retained + self.left

    @property
    def rate(self) -> Decimal | None:
        """retained ÷ (retained + left), 0 to 1 with four decimals; None when no outcome is known."""
        if not self.known:
            return None
        return (Decimal(self.retained) / Decimal(self.known)).quantize(Decimal("0.0001"))


def retention(
    placements: QuerySet[Placement], *, as_of: date, months: Sequence[int] = RETENTION_MONTHS
) -> list[Retention]:
    """Retention at each month mark (one query for all marks), in the order of `months`."""
    unknown = [m for m in months if m not in FOLLOW_UP_MONTHS]
    if unknown:
        raise ValueError(f"Follow-ups are at {FOLLOW_UP_MONTHS} months, not {unknown}.")
    ended = Q(due_on__lte=as_of)
    left = ended & Q(placement__ended_on__isnull=False, placement__ended_on__lt=F("due_on"))
    worked_at_mark = Exists(
        FollowUp.objects.filter(
            placement_id=OuterRef("placement_id"), month__gte=OuterRef("month"), outcome__in=WORKING
        )
    )
    retained = ended & ~left & (Q(placement__ended_on__gte=F("due_on")) | Q(worked_at_mark))
    rows = (
        FollowUp.objects.filter(
            placement__in=placements.values("pk"), month__in=list(months), placement__start_date__lte=as_of
        )
        .order_by()
        .values("month")
        .annotate(
            n_ended=Count("pk", filter=ended),
            n_left=Count("pk", filter=left),
            n_retained=Count("pk", filter=retained),
            n_within=Count("pk", filter=Q(due_on__gt=as_of)),
        )
    )
    found = {row["month"]: row for row in rows}
    result = []
    for m in months:
        row = found.get(m, {"n_ended": 0, "n_left": 0, "n_retained": 0, "n_within": 0})
        result.append(
            Retention(
                months=m,
                retained=row["n_retained"],
                left=row["n_left"],
                unconfirmed=row["n_ended"] - row["n_left"] - row["n_retained"],
                within_window=row["n_within"],
            )
        )
    return result


def _local_day(expression) -> TruncDate:
    return TruncDate(expression, tzinfo=ZoneInfo(settings.TIME_ZONE))


def quartiles_of(rows: QuerySet, *, value: str) -> Quartiles:
    """Count, q1, median and q3 of an annotated duration or number `value` over `rows` (one query).

    The database numbers the rows in order of the value (ROW_NUMBER() OVER) and counts them (COUNT()
    OVER); only the rows at the ranks the quartiles need come back (at most six), interpolated here.
    Rank r (from 0) is needed for quarter k when |4r − k(n − 1)| < 4, integer arithmetic in SQL.
    """
    ranked = rows.order_by().annotate(
        rank0=Window(RowNumber(), order_by=[F(value).asc()]) - Value(1),
        total=Window(Count("pk")),
    )
    ranked = ranked.annotate(
        **{f"gap{k}": Value(4) * F("rank0") - Value(k) * (F("total") - Value(1)) for k in QUARTER_POINTS}
    )
    needed = Q()
    for k in QUARTER_POINTS:
        needed |= Q(**{f"gap{k}__gt": -4, f"gap{k}__lt": 4})
    picked = list(ranked.filter(needed).values_list("rank0", "total", value))
    if not picked:
        return Quartiles(0, None, None, None)
    total = picked[0][1]
    by_rank = {rank: _number(v) for rank, _n, v in picked}

    def at(k: int) -> Decimal:
        position = Decimal(k * (total - 1)) / 4
        low = int(position)  # non-negative: floor
        high = low + (1 if position > low else 0)
        fraction = position - low
        return by_rank[low] + (by_rank[high] - by_rank[low]) * fraction

    return Quartiles(total, at(1), at(2), at(3))


def _number(value) -> Decimal:
    """A duration as whole days, or a number as it is."""
    if hasattr(value, "days"):
        return Decimal(value.days)
    return Decimal(value)


def time_to_fill(openings: QuerySet[JobOpening]) -> Quartiles:
    """Days from an opening's creation to its first confirmed hire, over the openings that have one."""
    first_hire = Subquery(
        Placement.objects.filter(opening_id=OuterRef("pk"))
        .order_by("confirmed_at", "pk")
        .values("confirmed_at")[:1],
        output_field=DateTimeField(),
    )
    rows = (
        openings.annotate(first_hire=first_hire)
        .filter(first_hire__isnull=False)
        .annotate(
            days=ExpressionWrapper(
                _local_day(F("first_hire")) - _local_day(F("created_at")), output_field=DurationField()
            )
        )
    )
    return quartiles_of(rows, value="days")


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first day of the month
    count: int


def placements_by_month(placements: QuerySet[Placement], *, months: Iterable[date]) -> list[MonthCount]:
    """Placements started in each of `months` (first days of months, in order), zeros included."""
    wanted = list(months)
    if not wanted:
        return []
    rows = (
        placements.filter(start_date__gte=wanted[0], start_date__lt=_next_month(wanted[-1]))
        .order_by()
        .annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts = {_as_date(row["month"]): row["n"] for row in rows}
    return [MonthCount(month, counts.get(month, 0)) for month in wanted]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
