"""The table registry: every list page and every report as a source an export can write.

A `TableSource` is small on purpose:

- `key` (the URL's `<table>`), `title`, `columns` (key, label), `roles` (who may export it: the list
  page's own role gate);
- `count(user, params)` and `rows(user, params)`: the rows the user sees on screen for the request's
  query parameters (`params`: a QueryDict or a dict of lists), one sequence of cells a row, in the
  order of `columns`. Rows are read from `visible_to(user)` through the list's own FilterSet, in chunks
  (`.iterator(chunk_size=CHUNK)`), so a 100,000-row export never holds the table in memory.

Invalid filters raise ValidationError naming the filter. Register with `register_table(source)` from an
AppConfig.ready() (reports/apps.py registers the three apps' lists; a report registers itself the same
way). `queryset_table()` builds a source from a queryset, a FilterSet and column lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext

from reports.rules import Cell

CHUNK = 2_000

Params = QueryDict | Mapping[str, Any]
RowsFn = Callable[[Any, QueryDict], Iterator[Sequence[Cell]]]
CountFn = Callable[[Any, QueryDict], int]


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation


@dataclass(frozen=True)
class TableSource:
    key: str
    title: Any
    columns: tuple[Column, ...]
    rows: RowsFn
    count: CountFn
    roles: tuple[str, ...]
    # The query parameters the list page understands (the others, e.g. `page` or `format`, are dropped
    # from what an export records as its filters).
    filter_names: tuple[str, ...] = field(default=())
    # A table whose column labels come with its rows (a report's: both from one computation):
    # (labels, rows) for (user, params), instead of `columns` and `rows`.
    table: Callable[[Any, QueryDict], tuple[list[str], Iterator[Sequence[Cell]]]] | None = None

    def allowed(self, user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and (
            user.has_role(*self.roles) or (user.is_superuser and "administrator" in self.roles)
        )

    def open(self, user, params: QueryDict) -> tuple[list[str], Iterator[Sequence[Cell]]]:
        """The column labels and the rows, for an export to write."""
        if self.table is not None:
            labels, rows = self.table(user, params)
            return [str(label) for label in labels], rows
        return [str(column.label) for column in self.columns], self.rows(user, params)

    def filters_of(self, params: Params) -> dict[str, list[str]]:
        """The query parameters that are this list's filters, as a dict of lists (stored on an export)."""
        query = as_querydict(params)
        return {
            name: [value for value in query.getlist(name) if value != ""]
            for name in sorted(query)
            if name in self.filter_names and any(value != "" for value in query.getlist(name))
        }


_TABLES: dict[str, TableSource] = {}


def register_table(source: TableSource) -> None:
    _TABLES[source.key] = source


def table(key: str) -> TableSource | None:
    return _TABLES.get(key)


def tables() -> list[TableSource]:
    return sorted(_TABLES.values(), key=lambda source: source.key)


def as_querydict(params: Params | None) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for name, value in (params or {}).items():
        if isinstance(value, list | tuple):
            query.setlist(str(name), [str(item) for item in value])
        elif value is not None:
            query[str(name)] = str(value)
    return query


def filtered(filterset_class, params: QueryDict, queryset: QuerySet, user) -> QuerySet:
    """The list's FilterSet over `queryset`, as the page runs it; invalid filters raise a ValidationError
    naming each field (the page shows the same message and an empty list)."""
    request = SimpleNamespace(user=user, GET=params, query_params=params)
    filterset = filterset_class(params, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError(
            {name: [str(message) for message in errors] for name, errors in filterset.form.errors.items()}
        )
    return filterset.qs


def chunks(iterable: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass(frozen=True)
class Col:
    """A column of `queryset_table`: one `values()` lookup, or several (then `display` receives them
    as a tuple), optionally shown through `display`."""

    key: str
    label: Any
    lookup: str | tuple[str, ...]
    display: Callable[[Any], Cell] | None = None

    @property
    def lookups(self) -> tuple[str, ...]:
        return (self.lookup,) if isinstance(self.lookup, str) else self.lookup


def choice_display(choices: Iterable[tuple[Any, Any]]) -> Callable[[Any], Cell]:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value)) if value not in (None, "") else ""


def yes_no(value: Any) -> Cell:
    return gettext("yes") if value else gettext("no")


def queryset_table(
    *,
    key: str,
    title: Any,
    roles: tuple[str, ...],
    queryset: Callable[[Any], QuerySet],
    filterset: type | None,
    columns: Sequence[Col],
    order_by: Sequence[str] = (),
) -> TableSource:
    """A source reading `columns` with `.values_list(...).iterator(chunk_size=CHUNK)` from
    `queryset(user)` (the list page's own selector, which starts from visible_to) filtered by
    `filterset` (None: a list without filters): one query for the rows, one for the count, whatever
    their number."""

    def rows_qs(user, params: QueryDict) -> QuerySet:
        qs = queryset(user)
        if filterset is not None:
            qs = filtered(filterset, params, qs, user)
        if order_by and not params.get("sort"):
            qs = qs.order_by(*order_by)
        return qs.prefetch_related(None)

    lookups = [lookup for column in columns for lookup in column.lookups]

    def rows(user, params: QueryDict) -> Iterator[Sequence[Cell]]:
        for values in rows_qs(user, params).values_list(*lookups).iterator(chunk_size=CHUNK):
            row: list[Cell] = []
            index = 0
            for column in columns:
                width = len(column.lookups)
                value: Any = values[index] if width == 1 else tuple(values[index : index + width])
                index += width
                row.append(column.display(value) if column.display else value)
            yield row

    def count(user, params: QueryDict) -> int:
        return rows_qs(user, params).order_by().count()

    names = tuple(getattr(filterset, "base_filters", {}).keys()) if filterset is not None else ()
    return TableSource(
        key=key,
        title=title,
        columns=tuple(Column(column.key, column.label) for column in columns),
        rows=rows,
        count=count,
        roles=roles,
        filter_names=names,
    )


def person_name(values: tuple[Any, ...]) -> str:
    """(family name, given name) as the lists show it: FAMILY Given."""
    family, given = values
    return " ".join(part for part in ((family or "").upper(), given or "") if part)


def choices_of(model, field_name: str) -> Callable[[Any], Cell]:
    return choice_display(model._meta.get_field(field_name).choices or ())
