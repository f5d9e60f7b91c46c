"""The deadline registry: the sources apps register (AppConfig.ready), and how offsets are written.

A deadline source answers, in ONE query, the live deadlines of its kind: (source id, applicant,
organisation, deadline date, offsets, when the record was made), for all records, some records
(`source_ids`) or the records of some applicants (`applicants`). DESIGN.md, "Reminders: the semantics", point 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from casework.models.reminders import ON_RECORD, OVERDUE


class Deadline(NamedTuple):
    """One live deadline. A NamedTuple, not a frozen dataclass: a sweep builds one per live deadline
    (about 100,000 at 100,000 people), and a frozen dataclass's __init__ cost three times as much."""

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
    # live(today=, grace_days=, source_ids=None, applicants=None, due_between=None): applicants, an
    # Applicant queryset, restricts the answer to their records (the deadlines page asks for a user's
    # caseload only); due_between, (first, last) days, lets a source skip records that cannot fall due
    # in that window (a hint: the caller checks each due date; a source may ignore it).
    live: Callable[..., Iterable[Deadline]]
    urgent: bool = False  # delivered at once, bypassing the digest (appeal, "on record")
    # Unacknowledged at T-7 or nearer, the team's supervisors are told (legal deadlines); a signal that
    # is the caseworker's alone to follow up (learning: absences) says False.
    escalates: bool = True
    # describe(source_ids) -> {source id: a short detail}, in one query: what the inbox shows beside
    # the label when the label alone does not say which record (learning: which course).
    describe: Callable[[list[int]], dict[int, str]] | None = None


_SOURCES: dict[str, DeadlineSource] = {}
# Details other apps add to a kind's reminders (jobs: "working at …" beside a period's end), each
# describe(source_ids) -> {source id: text}, in one query; shown after the source's own detail.
_EXTRA_DETAILS: dict[str, list[Callable[[list[int]], dict[int, str]]]] = defaultdict(list)


def register_source(source: DeadlineSource) -> None:
    _SOURCES[source.kind] = source


def sources() -> dict[str, DeadlineSource]:
    return dict(_SOURCES)


def register_detail(kind: str, describe: Callable[[list[int]], dict[int, str]]) -> None:
    """Another app's detail for a kind's records (jobs names the placement when a period of stay ends)."""
    if describe not in _EXTRA_DETAILS[kind]:
        _EXTRA_DETAILS[kind].append(describe)


def source(kind: str) -> DeadlineSource:
    return _SOURCES[kind]


def source_details(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Details of some (kind, source id) pairs from the sources that describe theirs: one query per
    such kind present, whatever the number of rows."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, source_id in keys:
        registered = _SOURCES.get(kind)
        if registered is not None and (registered.describe is not None or _EXTRA_DETAILS.get(kind)):
            wanted[kind].add(source_id)
    found: dict[tuple[str, int], str] = {}
    for kind, ids in sorted(wanted.items()):
        own = _SOURCES[kind].describe
        for describe in ([own] if own is not None else []) + list(_EXTRA_DETAILS.get(kind, [])):
            for source_id, text in describe(sorted(ids)).items():
                earlier = found.get((kind, source_id))
                found[(kind, source_id)] = f"{earlier} · {text}" if earlier else text
    return found


def offset_label(offset: int | str) -> str:
    if isinstance(offset, int):
        return f"{offset:+d}" if offset else "0"
    return offset


def offset_days(label: str) -> int | None:
    """-30 for "-30"; None for "on_record" and "overdue"."""
    if label in (ON_RECORD, OVERDUE):
        return None
    return int(label)
