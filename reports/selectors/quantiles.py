"""Medians and quartiles computed by the database with ROW_NUMBER() and COUNT() OVER (SQLite and PostgreSQL).

The rows are numbered in order of the value within each group; the database returns only the rows at the
ranks that a quartile needs (at most six per group), and the quartile is interpolated linearly between the
two values around its position (PostgreSQL's percentile_cont, the same as jobs.selectors.outcomes): for p
in (1/4, 1/2, 3/4) and n rows, position p·(n−1) counting from 0, between the values at ranks
floor(p·(n−1))+1 and ceil(p·(n−1))+1. Unlike outcomes.quartiles_of, quartiles come per group (by course).
Nothing loops over the people: Python only interpolates between the two values the database chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Expression, F, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber

# (numerator, denominator) of each quartile's position.
POSITIONS = {"q1": (1, 4), "median": (1, 2), "q3": (3, 4)}


@dataclass(frozen=True)
class Quartiles:
    count: int
    q1: float
    median: float
    q3: float


def _ranks(numerator: int, denominator: int) -> tuple[Any, Any]:
    """The two ranks (1-based) around p·(n−1), as integer SQL expressions of the window's count."""
    scaled = (F("_n") - Value(1)) * Value(numerator)
    low = scaled / Value(denominator) + Value(1)
    high = (scaled + Value(denominator - 1)) / Value(denominator) + Value(1)
    return low, high


def quartiles(
    rows: QuerySet, value: Expression | F, *, group: str | None = None, as_number=float
) -> dict[Any, Quartiles]:
    """Quartiles of ``value`` over ``rows``, per value of the ``group`` field (key None without a group).

    ``as_number`` turns a value the database returns into a number (days of a duration, for instance).
    One query whatever the number of rows.
    """
    partition = [F(group)] if group else None
    ranked = (
        rows.order_by()
        .annotate(_v=value)
        .annotate(
            _rn=Window(RowNumber(), partition_by=partition, order_by=[F("_v").asc(), F("pk").asc()]),
            _n=Window(Count("pk"), partition_by=partition),
        )
    )
    wanted = Q()
    for numerator, denominator in POSITIONS.values():
        low, high = _ranks(numerator, denominator)
        wanted |= Q(_rn=low) | Q(_rn=high)
    fields = [group] if group else []
    picked: dict[Any, dict[int, float]] = {}
    counts: dict[Any, int] = {}
    for row in ranked.filter(wanted).values_list(*fields, "_rn", "_n", "_v"):
        key = row[0] if group else None
        rank, count, raw = row[-3], row[-2], row[-1]
        picked.setdefault(key, {})[rank] = as_number(raw)
        counts[key] = count
    return {key: _interpolated(values, counts[key]) for key, values in picked.items()}


def _interpolated(values: dict[int, float], n: int) -> Quartiles:
    figures = {}
    for name, (numerator, denominator) in POSITIONS.items():
        low = (n - 1) * numerator // denominator + 1
        high = -(-(n - 1) * numerator // denominator) + 1
        fraction = (n - 1) * numerator / denominator - (low - 1)
        figures[name] = values[low] + (values[high] - values[low]) * fraction
    return Quartiles(count=n, **figures)


def quartiles_of_each(rows: QuerySet, values: dict[str, Expression | F]) -> dict[str, Quartiles | None]:
    """Quartiles of several values over the same rows in one query (one scan; a ROW_NUMBER() per value);
    None for a value when there are no rows."""
    names = list(values)
    ranked = rows.order_by().annotate(**{f"_v{i}": values[name] for i, name in enumerate(names)})
    ranked = ranked.annotate(
        _n=Window(Count("pk")),
        **{
            f"_rn{i}": Window(RowNumber(), order_by=[F(f"_v{i}").asc(), F("pk").asc()])
            for i in range(len(names))
        },
    )
    wanted = Q()
    for numerator, denominator in POSITIONS.values():
        low, high = _ranks(numerator, denominator)
        for i in range(len(names)):
            wanted |= Q(**{f"_rn{i}": low}) | Q(**{f"_rn{i}": high})
    columns = ["_n"] + [column for i in range(len(names)) for column in (f"_rn{i}", f"_v{i}")]
    picked: list[dict[int, float]] = [{} for _name in names]
    n = 0
    for row in ranked.filter(wanted).values_list(*columns):
        n = row[0]
        for i in range(len(names)):
            picked[i][row[1 + 2 * i]] = float(row[2 + 2 * i])
    return {name: (_interpolated(picked[i], n) if n else None) for i, name in enumerate(names)}
