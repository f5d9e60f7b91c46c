"""The importer registry: what each app can import from a spreadsheet, and how (issue 18).

Casework owns the import framework (upload, sheet, mapping, dry run, task, report, undo, lease:
`casework/services/imports.py`); each app registers its importers here from `AppConfig.ready()` —
applicants and periods (casework), attendance (learning), employers (jobs) — so casework never
imports the other apps.

An importer is a handful of functions over `ParsedRow`s, called by the framework in this order:

1. ``prepare(by=, target=, mapping=)`` → a context object (bulk lookups: the team's caseworkers, a
   course's learners, existing names …). Raises PermissionDenied / ValidationError for a target the user
   may not import into.
2. ``parse(context=, row=)`` for every row: turns ``row.values`` (mapped field key → Cell) into
   ``row.data`` with `casework.cells`, appends ``row.errors`` (field key, message), sets ``row.key``
   (what makes two rows of one file the same record; None = never the same).
3. ``find_duplicates(context=, rows=)`` once per chunk of rows without errors: sets ``row.candidates``
   (existing records the row may duplicate), in a fixed number of queries per chunk.
4. ``save(by=, context=, row=, decision=, candidate=)`` → `Saved`: through the app's services, in a
   savepoint. The dry run calls it too, inside a transaction it rolls back, so a dry run accepts exactly
   what the import will. A service's ValidationError names its fields; ``field_map`` of the importer
   translates a service's field name into the import field it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise

from casework.cells import Cell

# What to do with a row that duplicates an existing record or an earlier row of the file.
SKIP = "skip"
CREATE = "create"
UPDATE = "update"


@dataclass(frozen=True)
class ImportField:
    """A column Tobira can take. ``aliases``: header names (English and Japanese) that propose it."""

    key: str
    label: str | Promise
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str | Promise = ""


@dataclass(frozen=True)
class Candidate:
    """An existing record a row may duplicate: enough for a person to decide, nothing more."""

    pk: int
    label: str


@dataclass
class ParsedRow:
    number: int  # the row's number in the sheet, as the spreadsheet shows it (the header is row 1 or later)
    values: dict[str, Cell]  # mapped field key → the cell
    extra: dict[str, Cell] = field(default_factory=dict)  # unmapped columns by header (attendance's dates)
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field key or "", message)
    notes: list[str] = field(default_factory=list)  # said, not errors: a formula's saved value used …
    key: Hashable | None = None
    candidates: list[Candidate] = field(default_factory=list)

    def error(self, key: str, message: str) -> None:
        self.errors.append((key, str(message)))


@dataclass
class Saved:
    """What one row's save did: records created, and records updated with their values before."""

    created: list[models.Model] = field(default_factory=list)
    updated: list[tuple[models.Model, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class Importer:
    kind: str  # "applicants", "periods", "attendance", "employers"
    label: str | Promise
    description: str | Promise
    fields: tuple[ImportField, ...]
    may_import: Callable[[Any], bool]  # may_import(user)
    prepare: Callable[..., Any]
    parse: Callable[..., None]
    find_duplicates: Callable[..., None]
    save: Callable[..., Saved]
    # What to import into: targets(user) → [(value, label)] (a team, a course); None: no choice to make.
    targets: Callable[[Any], list[tuple[str, str]]] | None = None
    target_label: str | Promise = ""
    # A field whose distinct labels the user maps to Tobira's status kinds (issue 18: 特定活動 is never
    # guessed); the chosen kinds reach prepare() as mapping["statuses"] {label: kind}.
    status_field: str | None = None
    propose_status: Callable[[str], str | None] | None = None  # a label → a kind, or None: never guessed
    # Unmapped columns are part of the row (row.extra): attendance's grid of dates.
    grid: bool = False
    # The decisions a duplicate row may take; the first is the default.
    decisions: tuple[str, ...] = (SKIP, CREATE)
    field_map: dict[str, str] = field(default_factory=dict)  # service field → import field
    # Optional, for speed (the bench: 10,000 people in a minute). check(by=, context=, rows=): the dry
    # run's verdict on a chunk of new rows through the services' own checks, nothing saved (instead of
    # saving each row in a rolled-back savepoint). save_new(by=, context=, rows=) → {row number: Saved}:
    # a chunk of rows to create, through the services' bulk path; when it refuses, the framework saves
    # those rows one by one with `save`, so each row gets its own errors.
    check: Callable[..., None] | None = None
    save_new: Callable[..., dict[int, Saved]] | None = None
    order: int = 100


_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    _IMPORTERS[importer.kind] = importer


def importer_for(kind: str) -> Importer | None:
    return _IMPORTERS.get(kind)


def importers_for(user) -> list[Importer]:
    """The importers this user may use, in menu order."""
    return sorted(
        (importer for importer in _IMPORTERS.values() if importer.may_import(user)),
        key=lambda importer: (importer.order, importer.kind),
    )
