"""The deadline registry and the sweep: which reminders exist for which deadlines, exactly once.

A deadline source (registered in an AppConfig.ready) answers, in ONE query, the live deadlines of its
kind: (source id, applicant, organisation, deadline date, offsets, when the record was made), for
all records, some records (`source_ids`) or the records of some applicants (`applicants`). The
sweep turns them into Reminder rows with a handful of set-based queries per kind, whatever the number
of deadlines: bulk creation under the unique constraint (exactly once, however often and however
concurrently it runs), the most urgent due offset live and older ones skipped, one "overdue" row once
the deadline has passed, and pending reminders of deadlines that are gone (dealt with) or moved
(corrected date) cancelled. DESIGN.md, "Reminders: the semantics", points 1-6.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casework.models.reminders import ON_RECORD, OVERDUE, Reminder


@dataclass(frozen=True)
class Deadline:
    source_id: int
    applicant_id: int
    organisation_id: int
    deadline_date: date
    offsets: tuple[int | str, ...]
    recorded_on: date | None = None  # the day the record was saved ("on record" fires then)
    overdue_after: date | None = None  # default: the deadline date itself


@dataclass(frozen=True)
class DeadlineSource:
    kind: str
    label: Any  # lazy translation
    # live(today=, grace_days=, source_ids=None, applicants=None): applicants, an Applicant queryset,
    # restricts the answer to their records (the deadlines page asks for a user's caseload only).
    live: Callable[..., Iterable[Deadline]]
    urgent: bool = False  # delivered at once, bypassing the digest (appeal, "on record")


_SOURCES: dict[str, DeadlineSource] = {}


def register_source(source: DeadlineSource) -> None:
    _SOURCES[source.kind] = source


def sources() -> dict[str, DeadlineSource]:
    return dict(_SOURCES)


def source(kind: str) -> DeadlineSource:
    return _SOURCES[kind]


def offset_label(offset: int | str) -> str:
    if isinstance(offset, int):
        return f"{offset:+d}" if offset else "0"
    return offset


def offset_days(label: str) -> int | None:
    """-30 for "-30"; None for "on_record" and "overdue"."""
    if label in (ON_RECORD, OVERDUE):
        return None
    return int(label)


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


def _plan(deadline: Deadline, kind: str, today: date, urgent_kind: bool) -> list[Reminder]:
    """The rows a deadline should have by today: the most urgent due one live, the rest skipped."""
    overdue_after = deadline.overdue_after or deadline.deadline_date
    common = {
        "organisation_id": deadline.organisation_id,
        "applicant_id": deadline.applicant_id,
        "source_kind": kind,
        "source_id": deadline.source_id,
        "deadline_date": deadline.deadline_date,
    }
    due: list[tuple[date, str, bool]] = []
    for offset in deadline.offsets:
        if offset == ON_RECORD:
            recorded = deadline.recorded_on or today
            if recorded <= today:
                due.append((recorded, ON_RECORD, True))
        else:
            day = deadline.deadline_date + timedelta(days=int(offset))
            if day <= today:
                due.append((day, offset_label(offset), urgent_kind))
    rows: list[Reminder] = []
    if today > overdue_after:
        # Passed unhandled: one overdue reminder, never a late T-7.
        rows.append(Reminder(**common, offset=OVERDUE, due_on=overdue_after + timedelta(days=1), urgent=True))
        rows += [
            Reminder(**common, offset=label, due_on=day, urgent=urgent, state=Reminder.State.SKIPPED)
            for day, label, urgent in due
        ]
        return rows
    if not due:
        return rows
    due.sort(key=lambda item: (item[0], item[1] != ON_RECORD))
    *older, (day, label, urgent) = due
    rows.append(Reminder(**common, offset=label, due_on=day, urgent=urgent))
    rows += [
        Reminder(**common, offset=o_label, due_on=o_day, urgent=o_urgent, state=Reminder.State.SKIPPED)
        for o_day, o_label, o_urgent in older
    ]
    return rows


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
    for kind, registered in sorted(_SOURCES.items()):
        if kinds is not None and kind not in set(kinds):
            continue
        deadlines = list(registered.live(today=today, grace_days=grace, source_ids=ids))
        planned = [row for deadline in deadlines for row in _plan(deadline, kind, today, registered.urgent)]
        current = {(d.source_id, d.deadline_date) for d in deadlines}
        if dry_run:
            _dry_run(kind, planned, current, ids, result)
            continue
        with transaction.atomic():
            _apply(kind, planned, current, ids, result)
    return result


def _existing_live(kind: str, ids: list[int] | None):
    rows = Reminder.objects.filter(source_kind=kind, state=Reminder.State.LIVE)
    if ids is not None:
        rows = rows.filter(source_id__in=ids)
    return rows.values_list("pk", "source_id", "deadline_date", "offset", "due_on", "delivered_at")


def _existing_keys(kind: str, planned: list[Reminder], ids: list[int] | None) -> set[tuple[int, date, str]]:
    """Keys of rows already there for the planned deadlines (one query, bounded by the live window)."""
    if not planned:
        return set()
    rows = Reminder.objects.filter(source_kind=kind, deadline_date__gte=min(r.deadline_date for r in planned))
    if ids is not None:
        rows = rows.filter(source_id__in=ids)
    return set(rows.values_list("source_id", "deadline_date", "offset"))


def _count(kind: str, rows: Iterable[Reminder], result: SweepResult) -> None:
    for row in rows:
        if row.state == Reminder.State.SKIPPED:
            result.skipped[kind] += 1
        elif row.offset == OVERDUE:
            result.overdue[kind] += 1
        else:
            result.created[kind] += 1


def _apply(
    kind: str, planned: list[Reminder], current: set, ids: list[int] | None, result: SweepResult
) -> None:
    existing = _existing_keys(kind, planned, ids)
    new = [row for row in planned if (row.source_id, row.deadline_date, row.offset) not in existing]
    # The unique constraint makes this exactly once even when another sweep inserts the same rows now.
    Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=2000)
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
    if to_cancel:
        result.cancelled[kind] += Reminder.objects.filter(pk__in=to_cancel).update(
            state=Reminder.State.CANCELLED, cancelled_at=now, cancel_reason="no_longer_live"
        )
    if to_skip:
        Reminder.objects.filter(pk__in=to_skip).update(state=Reminder.State.SKIPPED)


def _dry_run(
    kind: str, planned: list[Reminder], current: set, ids: list[int] | None, result: SweepResult
) -> None:
    existing = _existing_keys(kind, planned, ids)
    new = [row for row in planned if (row.source_id, row.deadline_date, row.offset) not in existing]
    result.planned.extend(new)
    _count(kind, new, result)
    for _pk, source_id, deadline_date, *_rest in _existing_live(kind, ids):
        if (source_id, deadline_date) not in current:
            result.cancelled[kind] += 1
