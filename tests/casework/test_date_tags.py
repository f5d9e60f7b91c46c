"""Dates for people: the distance phrase at its boundaries, in English and Japanese, and the <time>
elements the tags render."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from casework.templatetags.date_tags import (
    add_months,
    as_time,
    date_phrase,
    day_heading,
    distance_phrase,
    relative_date,
    whole_months_between,
)

TODAY = date(2026, 9, 1)


def days(count: int) -> date:
    return TODAY + timedelta(days=count)


@pytest.mark.parametrize(
    ("offset", "english"),
    [
        (0, "today"),
        (1, "tomorrow"),
        (2, "in 2 days"),
        (30, "in 30 days"),
        (31, "in 31 days"),
        (59, "in 59 days"),
        # Two whole months (September 1 → November 1) before a distance is said in months.
        (60, "in 60 days"),
        (61, "in 2 months"),
        (364, "in 11 months"),
        (365, "in 1 year"),
        (400, "in 1 year 1 month"),
        (731, "in 2 years"),
        (1400, "in 3 years 10 months"),
        (-1, "yesterday"),
        (-3, "3 days ago"),
        (-59, "59 days ago"),
        (-400, "1 year 1 month ago"),
    ],
)
def test_the_distance_in_english(offset, english):
    with translation.override("en"):
        assert distance_phrase(days(offset), TODAY) == english


@pytest.mark.parametrize(
    ("offset", "japanese"),
    [
        (0, "今日"),
        (1, "明日"),
        (-1, "昨日"),
        (12, "12日後"),
        (31, "31日後"),
        (61, "2か月後"),
        (365, "1年後"),
        (1400, "3年10か月後"),
        (-3, "3日前"),
        (-400, "1年1か月前"),
    ],
)
def test_the_distance_in_japanese(offset, japanese):
    with translation.override("ja"):
        assert distance_phrase(days(offset), TODAY) == japanese


def test_something_due_in_the_past_is_overdue():
    with translation.override("en"):
        assert distance_phrase(days(-1), TODAY, overdue=True) == "overdue by 1 day"
        assert distance_phrase(days(-3), TODAY, overdue=True) == "overdue by 3 days"
        assert distance_phrase(days(3), TODAY, overdue=True) == "in 3 days"
    with translation.override("ja"):
        assert distance_phrase(days(-3), TODAY, overdue=True) == "3日超過"


def test_the_phrase_carries_the_date():
    with translation.override("en"):
        assert date_phrase(date(2030, 9, 27), date(2026, 11, 16)) == "in 3 years 10 months (2030-09-27)"
        assert date_phrase(days(12), TODAY) == "in 12 days (2026-09-13)"
        assert date_phrase(TODAY, TODAY) == "today (2026-09-01)"
    with translation.override("ja"):
        assert date_phrase(date(2030, 9, 27), date(2026, 11, 16)) == "3年10か月後（2030-09-27）"


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 31), date(2026, 2, 28), 1),  # the last day of a shorter month is a whole month
        (date(2026, 1, 31), date(2026, 2, 27), 0),
        (date(2026, 1, 31), date(2026, 3, 30), 1),
        (date(2026, 1, 31), date(2026, 3, 31), 2),
        (date(2026, 1, 31), date(2026, 4, 30), 3),
        (date(2028, 2, 29), date(2029, 2, 28), 12),  # from a leap day
        (date(2026, 3, 15), date(2026, 3, 15), 0),
    ],
)
def test_whole_months_at_month_ends(start, end, months):
    assert whole_months_between(start, end) == months


def test_adding_months_stays_inside_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_month_end_distances_read_naturally():
    with translation.override("en"):
        assert distance_phrase(date(2026, 3, 31), date(2026, 1, 31)) == "in 2 months"  # 59 days
        assert distance_phrase(date(2026, 2, 28), date(2026, 1, 31)) == "in 28 days"
        assert distance_phrase(date(2029, 2, 28), date(2028, 2, 29)) == "in 1 year"


# --- The tags ---------------------------------------------------------------------------------------------


def test_relative_date_renders_a_time_element_styled_by_urgency():
    with translation.override("en"):
        far = relative_date(days(1400), 1400)
        assert far == '<time class="days-left" datetime="2030-07-02">in 3 years 10 months (2030-07-02)</time>'
        soon = relative_date(days(12), 12)
        assert (
            'class="days-left urgent badge bg-orange-lt text-orange' in soon
            and "in 12 days (2026-09-13)" in soon
        )
        late = relative_date(days(-3), -3, overdue=True)
        assert 'class="days-left overdue badge bg-red-lt text-red' in late
        assert 'datetime="2026-08-29">overdue by 3 days (2026-08-29)</time>' in late
        assert ">in 12 days</time>" in relative_date(days(12), 12, with_date=False)
        assert relative_date(None) == ""


def test_relative_date_without_a_count_measures_from_today_in_tokyo():
    # 23:30 UTC on August 31 is already September 1 in Tokyo.
    moment = datetime(2026, 8, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(moment, tick=False), translation.override("en"):
        assert ">tomorrow (2026-09-02)</time>" in relative_date(date(2026, 9, 2))


def test_the_old_days_left_tag_says_the_same_phrase():
    moment = datetime(2026, 9, 1, 12, tzinfo=ZoneInfo("Asia/Tokyo"))
    with time_machine.travel(moment, tick=False), translation.override("en"):
        html = Template("{% load applicant_tags %}{% days_left 1400 %}").render(Context())
    assert html == '<time class="days-left" datetime="2030-07-02">in 3 years 10 months (2030-07-02)</time>'


def test_as_time_makes_dates_and_moments_machine_readable():
    assert as_time(date(2026, 12, 5)) == '<time datetime="2026-12-05">2026-12-05</time>'
    moment = datetime(2026, 12, 4, 15, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 the next day in Tokyo
    assert as_time(moment) == '<time datetime="2026-12-05T00:30:00+09:00">2026-12-05 00:30</time>'
    assert as_time(date(2026, 12, 5), "m-d") == '<time datetime="2026-12-05">12-05</time>'
    assert as_time(None) == ""
    html = Template('{% load date_tags %}{{ day|as_time|default:"—" }}').render(Context({"day": None}))
    assert html == "—"


def test_day_headings_in_the_readers_language():
    with translation.override("en"):
        assert day_heading(date(2026, 12, 5)) == "Saturday, 5 December 2026"
    with translation.override("ja"):
        assert day_heading(date(2026, 12, 5)) == "2026年12月5日（土曜日）"
