"""The window-function quartiles against values whose quartiles were worked out by hand."""

from __future__ import annotations

import pytest
from django.db.models import F

from casework.models import Team
from reports.selectors.quantiles import quartiles
from tests.casework.factories import TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def _teams(values, prefix):
    # A team's name carries its group; the value is the number after the dash.
    return [TeamFactory(name=f"{prefix}-{value:04d}-{index}") for index, value in enumerate(values)]


def test_quartiles_by_linear_interpolation():
    # 1 3 5 7 9 11 (n=6): positions p(n-1) = 1.25, 2.5, 3.75 from 0 → q1 = 3 + .25·2 = 3.5,
    # median = 5 + .5·2 = 6, q3 = 7 + .75·2 = 8.5.
    teams = _teams([7, 1, 11, 3, 9, 5], "a")
    values = {team.pk: int(team.name.split("-")[1]) for team in teams}
    rows = Team.objects.filter(pk__in=values)
    # Order by the value encoded in the name (the name sorts like the number, zero-padded).
    result = quartiles(rows, F("name"), as_number=lambda name: int(name.split("-")[1]))
    assert result[None].count == 6
    assert (result[None].q1, result[None].median, result[None].q3) == (3.5, 6, 8.5)


def test_quartiles_per_group_and_a_single_row():
    _teams([2, 4, 6, 8, 10], "g")  # n=5: positions 1, 2, 3 → q1 4, median 6, q3 8
    _teams([42], "h")  # one row: every quartile is the row's value
    rows = Team.objects.filter(name__regex=r"^[gh]-")
    from django.db.models.functions import Substr

    result = quartiles(
        rows.annotate(group=Substr("name", 1, 1)),
        F("name"),
        group="group",
        as_number=lambda name: int(name.split("-")[1]),
    )
    assert (result["g"].q1, result["g"].median, result["g"].q3, result["g"].count) == (4, 6, 8, 5)
    assert (result["h"].q1, result["h"].median, result["h"].q3, result["h"].count) == (42, 42, 42, 1)


def test_quartiles_of_several_values_in_one_query(django_assert_num_queries):
    from django.db.models import IntegerField, Value
    from django.db.models.functions import Cast, Length, Substr

    from reports.selectors.quantiles import quartiles_of_each

    _teams([7, 1, 11, 3, 9, 5], "m")  # names m-0007-0 …: the number, and a second value (its negative)
    rows = Team.objects.filter(name__startswith="m-")
    number = Cast(Substr("name", 3, 4), output_field=IntegerField())
    with django_assert_num_queries(1):
        found = quartiles_of_each(rows, {"up": number, "down": Value(0) - number, "len": Length("name")})
    assert (found["up"].q1, found["up"].median, found["up"].q3) == (3.5, 6, 8.5)
    assert (found["down"].q1, found["down"].median, found["down"].q3) == (-8.5, -6, -3.5)
    assert found["len"].median == 8 and found["up"].count == 6
    assert quartiles_of_each(Team.objects.none(), {"up": number}) == {"up": None}
