"""learning.rules: every row and boundary of the CEFR tables, dated; score ranges; level normalisation."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from learning import rules
from learning.rules import Framework, assessment_cefr

JLPT_FROM = date(2025, 12, 1)
AFTER_JLPT_TABLE = date(2026, 1, 10)
JFT_BANDS_FROM = date(2026, 8, 1)


@pytest.mark.parametrize(
    ("level", "score", "cefr"),
    [
        ("N5", 79, ""),
        ("N5", 80, "A1"),
        ("N5", 180, "A1"),
        ("N4", 89, ""),
        ("N4", 90, "A2"),
        ("N3", 94, ""),
        ("N3", 95, "A2"),
        ("N3", 103, "A2"),
        ("N3", 104, "B1"),
        ("N2", 89, ""),
        ("N2", 90, "B1"),
        ("N2", 111, "B1"),
        ("N2", 112, "B2"),
        ("N1", 99, ""),
        ("N1", 100, "B2"),
        ("N1", 141, "B2"),
        ("N1", 142, "C1"),
        ("N1", 180, "C1"),
    ],
)
def test_jlpt_table_rows_and_boundaries(level, score, cefr):
    assert rules.jlpt_cefr(level, score, AFTER_JLPT_TABLE) == cefr
    derived = assessment_cefr(framework=Framework.JLPT, level=level, score=score, on=AFTER_JLPT_TABLE)
    assert derived == rules.Derived(level=level, cefr=cefr)


def test_jlpt_table_applies_from_december_2025_only():
    assert rules.jlpt_cefr("N3", 150, date(2025, 11, 30)) == ""
    assert rules.jlpt_cefr("N3", 150, date(2025, 7, 6)) == ""
    assert rules.jlpt_cefr("N3", 150, JLPT_FROM) == "B1"
    assert assessment_cefr(framework=Framework.JLPT, level="N1", score=170, on=date(2024, 12, 1)).cefr == ""


def test_jlpt_without_a_score_has_no_cefr():
    assert rules.jlpt_cefr("N2", None, AFTER_JLPT_TABLE) == ""


@pytest.mark.parametrize(("level", "mark"), [("N5", 80), ("N4", 90), ("N3", 95), ("N2", 90), ("N1", 100)])
def test_jlpt_pass_marks(level, mark):
    assert rules.jlpt_pass_mark(level) == mark


@pytest.mark.parametrize(
    ("score", "band", "cefr"),
    [
        (10, "", ""),
        (144, "", ""),
        (145, "A1", "A1"),
        (174, "A1", "A1"),
        (175, "A2.1", "A2"),
        (199, "A2.1", "A2"),
        (200, "A2.2", "A2"),
        (250, "A2.2", "A2"),
    ],
)
def test_jft_basic_bands_from_august_2026(score, band, cefr):
    for day in (JFT_BANDS_FROM, date(2026, 10, 1)):
        assert rules.jft_band(score, day) == (band, cefr)
        assert assessment_cefr(framework=Framework.JFT_BASIC, level="", score=score, on=day) == rules.Derived(
            level=band, cefr=cefr
        )


@pytest.mark.parametrize(
    ("score", "band", "cefr"), [(145, "", ""), (199, "", ""), (200, "A2", "A2"), (250, "A2", "A2")]
)
def test_jft_basic_before_august_2026_only_200_is_a2(score, band, cefr):
    assert rules.jft_band(score, date(2026, 7, 31)) == (band, cefr)
    assert rules.jft_band(score, date(2019, 4, 1)) == (band, cefr)


def test_jft_basic_before_its_start_has_no_band():
    assert rules.jft_band(220, date(2019, 3, 31)) == ("", "")
    assert rules.jft_band(None, JFT_BANDS_FROM) == ("", "")


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "J5"),
        (199, "J5"),
        (200, "J4"),
        (319, "J4"),
        (320, "J3"),
        (419, "J3"),
        (420, "J2"),
        (529, "J2"),
        (530, "J1"),
        (599, "J1"),
        (600, "J1+"),
        (800, "J1+"),
    ],
)
def test_bjt_bands_and_no_cefr(score, band):
    assert rules.bjt_band(score) == band
    derived = assessment_cefr(framework=Framework.BJT, level="", score=score, on=AFTER_JLPT_TABLE)
    assert derived == rules.Derived(level=band, cefr="")


@pytest.mark.parametrize("framework", [Framework.PLACEMENT, Framework.TRAINER])
def test_placement_and_trainer_judgement_are_cefr_as_given(framework):
    assert assessment_cefr(framework=framework, level="B1", score=None, on=AFTER_JLPT_TABLE).cefr == "B1"
    assert assessment_cefr(framework=framework, level="N3", score=None, on=AFTER_JLPT_TABLE).cefr == ""


@pytest.mark.parametrize("written", ["N3", "n3", "N 3", "Ｎ３", "3", " n 3 ", "N-3", "ｎ3"])
def test_jlpt_level_written_any_way_is_n3(written):
    assert rules.normalise_jlpt_level(written) == "N3"


@pytest.mark.parametrize("written", ["N6", "N0", "X", "", "N33", "B1", "6"])
def test_impossible_jlpt_levels_are_refused_naming_level(written):
    with pytest.raises(ValidationError) as raised:
        rules.normalise_jlpt_level(written)
    assert set(raised.value.message_dict) == {"level"}
    assert "N5 to N1" in raised.value.message_dict["level"][0]


def test_cefr_levels_normalise_and_refuse():
    assert rules.normalise_cefr_level(" b1") == "B1"
    assert rules.normalise_cefr_level("Ｂ２") == "B2"
    with pytest.raises(ValidationError) as raised:
        rules.normalise_cefr_level("A3")
    assert set(raised.value.message_dict) == {"level"}


@pytest.mark.parametrize(
    ("framework", "low", "high"),
    [
        (Framework.JLPT, 0, 180),
        (Framework.JFT_BASIC, 10, 250),
        (Framework.BJT, 0, 800),
        (Framework.PLACEMENT, 0, 1000),
    ],
)
def test_score_ranges_inclusive_and_refused_outside(framework, low, high):
    rules.check_score(framework, low)
    rules.check_score(framework, high)
    for outside in (low - 1, high + 1):
        with pytest.raises(ValidationError) as raised:
            rules.check_score(framework, outside)
        assert set(raised.value.message_dict) == {"score"}
        assert f"{low} to {high}" in raised.value.message_dict["score"][0]


def test_official_tests_need_a_score_placement_and_trainer_do_not():
    for framework in (Framework.JLPT, Framework.JFT_BASIC, Framework.BJT):
        with pytest.raises(ValidationError) as raised:
            rules.check_score(framework, None)
        assert set(raised.value.message_dict) == {"score"}
    rules.check_score(Framework.PLACEMENT, None)
    rules.check_score(Framework.TRAINER, None)
    rules.check_score(Framework.TRAINER, 99999)  # the trainer's judgement has no score range


def test_cefr_rank_orders_levels():
    assert [rules.cefr_rank(level) for level in ("", "A1", "A2", "B1", "B2", "C1", "C2")] == [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert rules.cefr_rank("A2.1") == 0


def test_precedence_official_over_placement_over_trainer():
    p = Framework.PRECEDENCE
    assert p[Framework.JLPT] == p[Framework.JFT_BASIC] > p[Framework.PLACEMENT] > p[Framework.TRAINER]
