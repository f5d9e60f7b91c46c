"""reports.rules: the formula escaping of export cells."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reports.rules import cell_text, escape_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+81 3 1234", "'+81 3 1234"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("Tanaka", "Tanaka"),
        ("a=b", "a=b"),
        ("", ""),
        (" =1", " =1"),
        ("田中", "田中"),
    ],
)
def test_escape_cell_text(value, expected):
    assert escape_cell(value) == expected


@pytest.mark.parametrize("value", [-5, 3.5, Decimal("-1.25"), date(2026, 1, 2), True, None])
def test_escape_cell_leaves_numbers_dates_and_none(value):
    assert escape_cell(value) == value


def test_cell_text():
    assert cell_text(None) == ""
    assert cell_text(date(2026, 4, 1)) == "2026-04-01"
    assert cell_text("-1") == "'-1"
    assert cell_text(-1) == "-1"
