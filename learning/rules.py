"""Language-level rules: CEFR conversion tables with the test date each applies from (DOMAIN.md §6).

The one place that knows which JLPT score or JFT-Basic band means which CEFR level, what the score
ranges of each test are and how a level written by a person ("N 3", "ｎ３") is read. Services and
selectors ask here; nothing else re-derives a level.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The common scale, lowest first. JFT-Basic's A2.1 and A2.2 are halves of A2 for comparison.
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
CEFR_CHOICES = [(level, level) for level in CEFR_LEVELS]

JLPT_LEVELS = ("N5", "N4", "N3", "N2", "N1")  # lowest first
JLPT_SCORE_RANGE = (0, 180)
JFT_BASIC_SCORE_RANGE = (10, 250)
BJT_SCORE_RANGE = (0, 800)
PLACEMENT_SCORE_RANGE = (0, 1000)

# BJT J-bands (lower bound of each band); no CEFR level is derived from BJT.
BJT_BANDS = ((600, "J1+"), (530, "J1"), (420, "J2"), (320, "J3"), (200, "J4"), (0, "J5"))

# The longest session a course may have, in minutes (a full training day).
SESSION_MAX_MINUTES = 600

# Absences in a row (of a learner, in one course) that remind their caseworker; settings may override.
ABSENCE_STREAK_DEFAULT = 3


def cefr_rank(level: str) -> int:
    """A1 → 1 … C2 → 6; 0 for no level. Comparisons of levels go through this."""
    try:
        return CEFR_LEVELS.index(level) + 1
    except ValueError:
        return 0


@dataclass(frozen=True)
class JlptTable:
    """JLPT score report → CEFR, for tests from `applies_from`: per level, (lowest total, CEFR) bands."""

    applies_from: date
    bands: dict[str, tuple[tuple[int, str], ...]]  # highest band first


@dataclass(frozen=True)
class JftTable:
    """JFT-Basic score → (band label, CEFR level), for tests from `applies_from`."""

    applies_from: date
    bands: tuple[tuple[int, str, str], ...]  # (lowest score, band label, CEFR), highest band first


# From the December 2025 test the JLPT score report maps passers to CEFR by total score.
JLPT_TABLES = (
    JlptTable(
        applies_from=date(2025, 12, 1),
        bands={
            "N5": ((80, "A1"),),
            "N4": ((90, "A2"),),
            "N3": ((104, "B1"), (95, "A2")),
            "N2": ((112, "B2"), (90, "B1")),
            "N1": ((142, "C1"), (100, "B2")),
        },
    ),
)

# JFT-Basic: from its start (April 2019) 200+ is A2, the level asked for Specified Skilled Worker (i);
# from August 2026 the score report gives bands.
JFT_TABLES = (
    JftTable(applies_from=date(2019, 4, 1), bands=((200, "A2", "A2"),)),
    JftTable(
        applies_from=date(2026, 8, 1),
        bands=((200, "A2.2", "A2"), (175, "A2.1", "A2"), (145, "A1", "A1")),
    ),
)


def _table_for(tables, on: date):
    """The newest table that applies to a test taken on `on`; None before the first."""
    applying = [table for table in tables if table.applies_from <= on]
    return max(applying, key=lambda table: table.applies_from) if applying else None


def jlpt_pass_mark(level: str) -> int:
    return {"N5": 80, "N4": 90, "N3": 95, "N2": 90, "N1": 100}[level]


def jlpt_cefr(level: str, score: int | None, on: date) -> str:
    """The CEFR level of a JLPT result, or "" (failed, no score, or a test before the first table)."""
    table = _table_for(JLPT_TABLES, on)
    if table is None or score is None:
        return ""
    for lowest, cefr in table.bands.get(level, ()):
        if score >= lowest:
            return cefr
    return ""


def jft_band(score: int | None, on: date) -> tuple[str, str]:
    """(band label, CEFR level) of a JFT-Basic score; ("", "") below the lowest band or before 2019."""
    table = _table_for(JFT_TABLES, on)
    if table is None or score is None:
        return "", ""
    for lowest, label, cefr in table.bands:
        if score >= lowest:
            return label, cefr
    return "", ""


def bjt_band(score: int) -> str:
    for lowest, band in BJT_BANDS:
        if score >= lowest:
            return band
    return BJT_BANDS[-1][1]


class Framework:
    """Assessment frameworks (the model's choices are defined in learning.models)."""

    JLPT = "jlpt"
    JFT_BASIC = "jft_basic"
    BJT = "bjt"
    PLACEMENT = "placement"
    TRAINER = "trainer_cefr"

    OFFICIAL = (JLPT, JFT_BASIC)
    # On the same date an official test outranks a placement test, which outranks a trainer's judgement.
    PRECEDENCE = {JLPT: 3, JFT_BASIC: 3, BJT: 3, PLACEMENT: 2, TRAINER: 1}


@dataclass(frozen=True)
class Derived:
    level: str  # as shown: N3, A2.2, J2, B1
    cefr: str  # for comparison: A1 … C2, or "" when none can be derived


def assessment_cefr(*, framework: str, level: str, score: int | None, on: date) -> Derived:
    """The one conversion: an assessment's shown level and its CEFR level for comparison.

    JLPT: the level sat and the total score, by the table of the test date. JFT-Basic: the score band
    of the test date. BJT: its J-band, no CEFR. Placement test and trainer's judgement: CEFR as given.
    """
    if framework == Framework.JLPT:
        return Derived(level=level, cefr=jlpt_cefr(level, score, on))
    if framework == Framework.JFT_BASIC:
        band, cefr = jft_band(score, on)
        return Derived(level=band, cefr=cefr)
    if framework == Framework.BJT:
        return Derived(level=bjt_band(score) if score is not None else "", cefr="")
    return Derived(level=level, cefr=level if level in CEFR_LEVELS else "")


_JLPT_WRITTEN = re.compile(r"^N?([0-9])$")


def normalise_jlpt_level(raw: str) -> str:
    """ "N3", "n3", "N 3", "Ｎ３", "3" → "N3"; anything outside N5–N1 is refused, naming the field."""
    text = unicodedata.normalize("NFKC", raw or "").upper().replace(" ", "").replace("-", "")
    match = _JLPT_WRITTEN.match(text)
    if not match or f"N{match.group(1)}" not in JLPT_LEVELS:
        raise ValidationError(
            {"level": _("JLPT levels run from N5 to N1 (you entered “%(value)s”).") % {"value": raw}}
        )
    return f"N{match.group(1)}"


def normalise_cefr_level(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "").upper().replace(" ", "")
    if text not in CEFR_LEVELS:
        raise ValidationError({"level": _("Choose a CEFR level from A1 to C2.")})
    return text


def check_score(framework: str, score: int | None) -> None:
    """Refuse a score outside the test's range (or a missing one where the test has one), naming it."""
    ranges = {
        Framework.JLPT: JLPT_SCORE_RANGE,
        Framework.JFT_BASIC: JFT_BASIC_SCORE_RANGE,
        Framework.BJT: BJT_SCORE_RANGE,
        Framework.PLACEMENT: PLACEMENT_SCORE_RANGE,
    }
    if framework not in ranges:
        return
    if score is None:
        if framework == Framework.PLACEMENT:
            return
        raise ValidationError({"score": _("Enter the total score from the score report.")})
    low, high = ranges[framework]
    if not low <= score <= high:
        names = {
            Framework.JLPT: "JLPT",
            Framework.JFT_BASIC: "JFT-Basic",
            Framework.BJT: "BJT",
            Framework.PLACEMENT: _("placement test"),
        }
        raise ValidationError(
            {
                "score": _("A %(test)s score runs from %(low)s to %(high)s.")
                % {"test": names[framework], "low": low, "high": high}
            }
        )
