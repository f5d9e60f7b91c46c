"""The sweep: which reminders exist for which deadlines, exactly once.

The sweep turns the registered sources' deadlines into Reminder rows with a handful of set-based
queries per kind, whatever the number of deadlines: bulk creation under the unique constraint (exactly
once, however often and however concurrently it runs), the most urgent due offset live and older ones
skipped, one "overdue" row once the deadline has passed, and pending reminders of deadlines that are
gone (dealt with) or moved (corrected date) cancelled. DESIGN.md, "Reminders: the semantics", points 1-6.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from casework.deadlines.registry import Deadline, offset_label, sources
from casework.models.accounts import Heartbeat
from casework.models.reminders import ON_RECORD, OVERDUE, Reminder


@dataclass
class SweepResult:
    today: date
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    cancelled: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    overdue: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    planned: list[Reminder] = field(default_factory=list)  # what a dry run would create

    def total(self, counter: dict[str, int]) -> int:
        return sum(counter.values())


class Planned(NamedTuple):
    """A reminder row a deadline should have by today. Plain tuples: a sweep plans every live deadline
    (tens of thousands) and builds model instances only for the few rows that are new."""

    source_id: int
    deadline_date: date
    offset: str
    due_on: date
    urgent: bool
    skipped: bool
    applicant_id: int
    organisation_id: int

    @property
    def key(self) -> tuple[int, date, str]:
        return (self.source_id, self.deadline_date, self.offset)

    def reminder(self, kind: str) -> Reminder:
        return Reminder(
            organisation_id=self.organisation_id,
            applicant_id=self.applicant_id,
            source_kind=kind,
            source_id=self.source_id,
            deadline_date=self.deadline_date,
            offset=self.offset,
            due_on=self.due_on,
            urgent=self.urgent,
            state=Reminder.State.SKIPPED if self.skipped else Reminder.State.LIVE,
        )


@lru_cache(maxsize=128)
def _ladder(offsets: tuple[int | str, ...]) -> tuple[tuple[timedelta | None, str], ...]:
    """A source's offsets as (days after the deadline, or None for "on record"; the row's label), worked
    out once per ladder: a sweep plans every live deadline (about 100,000 at 100,000 people) and most
    share a handful of ladders."""
    return tuple(
        (None, ON_RECORD) if offset == ON_RECORD else (timedelta(days=int(offset)), offset_label(offset))
        for offset in offsets
    )


def _plan(deadline: Deadline, kind: str, today: date, urgent_kind: bool) -> list[Planned]:
    """The rows a deadline should have by today: the most urgent due one live, the rest skipped."""
    deadline_date = deadline.deadline_date
    overdue_after = deadline.overdue_after or deadline_date
    due: list[tuple[date, str, bool]] = []
    for delta, label in _ladder(deadline.offsets):
        if delta is None:
            recorded = deadline.recorded_on or today
            if recorded <= today:
                due.append((recorded, ON_RECORD, True))
        else:
            day = deadline_date + delta
            if day <= today:
                due.append((day, label, urgent_kind))
    ids = (deadline.applicant_id, deadline.organisation_id)
    source_id = deadline.source_id
    if today > overdue_after:
        # Passed unhandled: one overdue reminder, never a late T-7.
        overdue = Planned(
            source_id, deadline_date, OVERDUE, overdue_after + timedelta(days=1), True, False, *ids
        )
        return [overdue] + [
            Planned(source_id, deadline_date, label, day, urgent, True, *ids) for day, label, urgent in due
        ]
    if not due:
        return []
    due.sort(key=lambda item: (item[0], item[1] != ON_RECORD))
    *older, (day, label, urgent) = due
    return [Planned(source_id, deadline_date, label, day, urgent, False, *ids)] + [
        Planned(source_id, deadline_date, o_label, o_day, o_urgent, True, *ids)
        for o_day, o_label, o_urgent in older
    ]


def sweep(
    *,
    today: date | None = None,
    kinds: Iterable[str] | None = None,
    source_ids: Iterable[int] | None = None,
    dry_run: bool = False,
) -> SweepResult:
    """Evaluate every registered source (or some kinds, or some records of one kind) for `today`."""
    today = today or timezone.localdate()
    grace = settings.REMINDER_GRACE_DAYS
    result = SweepResult(today=today)
    ids = list(source_ids) if source_ids is not None else None
    wanted = set(kinds) if kinds is not None else None  # once: `kinds` may be a one-shot iterator
    for kind, registered in sorted(sources().items()):
        if wanted is not None and kind not in wanted:
            continue
        deadlines = list(registered.live(today=today, grace_days=grace, source_ids=ids))
        planned = [row for deadline in deadlines for row in _plan(deadline, kind, today, registered.urgent)]
        current = {(d.source_id, d.deadline_date) for d in deadlines}
        if dry_run:
            _dry_run(kind, planned, current, ids, result)
            continue
        with transaction.atomic():
            _apply(kind, planned, current, ids, result)
    if not dry_run and wanted is None and ids is None:
        # A whole sweep ran: the administrator's home shows when (the "sweep" heartbeat).
        # One upsert, the same query whether or not a sweep ran before (the sweep's count is constant).
        Heartbeat.objects.bulk_create(
            [Heartbeat(name="sweep", at=timezone.now())],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["at"],
        )
    return result


def _existing_live(kind: str, ids: list[int] | None):
    rows = Reminder.objects.filter(source_kind=kind, state=Reminder.State.LIVE)
    if ids is not None:
        rows = rows.filter(source_id__in=ids)
    return rows.values_list("pk", "source_id", "deadline_date", "offset", "due_on", "delivered_at")


def _existing_keys(kind: str, planned: list[Planned], ids: list[int] | None) -> set[tuple[int, date, str]]:
    """Keys of rows already there for the planned deadlines (one query, bounded by the live window)."""
    if not planned:
        return set()
    rows = Reminder.objects.filter(source_kind=kind, deadline_date__gte=min(r.deadline_date for r in planned))
    if ids is not None:
        rows = rows.filter(source_id__in=ids)
    return set(rows.values_list("source_id", "deadline_date", "offset"))


def _insert(kind: str, rows: list[Planned]) -> None:
    """INSERT … ON CONFLICT DO NOTHING. On PostgreSQL one statement for all the rows of a kind, the
    values passed as one array per column (unnest), so the number of queries does not grow with the
    rows: a first sweep of a large caseload creates ~100,000 rows, and bulk_create spent most of its
    time preparing each field of each model instance in Python (16 s instead of 7 s at 100,000 people)."""
    if connection.vendor != "postgresql":
        Reminder.objects.bulk_create(
            [row.reminder(kind) for row in rows], ignore_conflicts=True, batch_size=2000
        )
        return
    table = connection.ops.quote_name(Reminder._meta.db_table)
    column = {f.name: f.column for f in Reminder._meta.concrete_fields}
    columns = ", ".join(
        connection.ops.quote_name(column[name])
        for name in (
            "organisation",
            "applicant",
            "source_kind",
            "source_id",
            "deadline_date",
            "offset",
            "due_on",
            "urgent",
            "state",
            "created_at",
            "cancel_reason",
        )
    )
    # Only identifiers from the model's own metadata are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        "SELECT o, a, %s, s, d, f, u, g, t, %s, '' FROM unnest("
        "%s::bigint[], %s::bigint[], %s::bigint[], %s::date[], %s::text[], %s::date[], %s::boolean[], %s::text[]"
        ") AS r(o, a, s, d, f, u, g, t) ON CONFLICT DO NOTHING"
    )
    now = timezone.now()
    live, skipped = Reminder.State.LIVE.value, Reminder.State.SKIPPED.value
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                kind,
                now,
                [row.organisation_id for row in rows],
                [row.applicant_id for row in rows],
                [row.source_id for row in rows],
                [row.deadline_date for row in rows],
                [row.offset for row in rows],
                [row.due_on for row in rows],
                [row.urgent for row in rows],
                [skipped if row.skipped else live for row in rows],
            ],
        )


def _count(kind: str, rows: Iterable[Planned], result: SweepResult) -> None:
    for row in rows:
        if row.skipped:
            result.skipped[kind] += 1
        elif row.offset == OVERDUE:
            result.overdue[kind] += 1
        else:
            result.created[kind] += 1


def _apply(
    kind: str, planned: list[Planned], current: set, ids: list[int] | None, result: SweepResult
) -> None:
    existing = _existing_keys(kind, planned, ids)
    new = [row for row in planned if row.key not in existing]
    # The unique constraint makes this exactly once even when another sweep inserts the same rows now.
    # In key order: two sweeps inserting the same keys in different orders (the sources' queries have
    # no ORDER BY) could each wait for the other's row on PostgreSQL, a deadlock.
    new.sort(key=lambda row: row.key)
    _insert(kind, new)
    _count(kind, new, result)

    live_rows = list(_existing_live(kind, ids))
    newest: dict[tuple[int, date], date] = {}
    for _pk, source_id, deadline_date, offset, due_on, _delivered in live_rows:
        key = (source_id, deadline_date)
        newest[key] = max(newest.get(key, date.min), date.max if offset == OVERDUE else due_on)
    to_cancel, to_skip = [], []
    for pk, source_id, deadline_date, offset, due_on, _delivered in live_rows:
        key = (source_id, deadline_date)
        if key not in current:
            to_cancel.append(pk)  # dealt with, or its date was corrected: the old ladder stops
        elif (date.max if offset == OVERDUE else due_on) < newest[key]:
            to_skip.append(pk)  # a more urgent reminder of the same deadline is live now
    now = timezone.now()
    to_cancel.sort()  # a stable lock order for concurrent sweeps
    to_skip.sort()
    if to_cancel:
        result.cancelled[kind] += Reminder.objects.filter(pk__in=to_cancel).update(
            state=Reminder.State.CANCELLED, cancelled_at=now, cancel_reason="no_longer_live"
        )
    if to_skip:
        Reminder.objects.filter(pk__in=to_skip).update(state=Reminder.State.SKIPPED)


def _dry_run(
    kind: str, planned: list[Planned], current: set, ids: list[int] | None, result: SweepResult
) -> None:
    existing = _existing_keys(kind, planned, ids)
    new = [row for row in planned if row.key not in existing]
    result.planned.extend(row.reminder(kind) for row in new)
    _count(kind, new, result)
    for _pk, source_id, deadline_date, *_rest in _existing_live(kind, ids):
        if (source_id, deadline_date) not in current:
            result.cancelled[kind] += 1
