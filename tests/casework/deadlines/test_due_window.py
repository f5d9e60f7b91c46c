"""The deadlines page asks each source for the records due in its window only (issue 14): the same
deadlines as reading every live record and keeping those due in the window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casework.deadlines.sources import SOURCES
from casework.models import LegalStatusPeriod
from tests.casework.applicant_factories import bulk_applicants

TODAY = date(2026, 12, 31)  # month ends: end + 2 months is clamped (59 days from 31 December)
GRACE = 60


def due_in(source, window, **kwargs) -> set[tuple[int, date]]:
    first, last = window
    found = set()
    for deadline in source.live(today=TODAY, grace_days=GRACE, source_ids=None, applicants=None, **kwargs):
        due = deadline.overdue_after or deadline.deadline_date
        if first <= due <= last:
            found.add((deadline.source_id, due))
    return found


@pytest.mark.django_db
def test_a_source_asked_for_a_window_finds_the_same_deadlines_in_it(team):
    people = bulk_applicants(120, team=team)
    periods = []
    for number, person in enumerate(people):
        end = TODAY + timedelta(days=number * 3 - 130)  # from 130 days ago to 227 days ahead
        filed = end - timedelta(days=10) if number % 2 else None
        periods.append(
            LegalStatusPeriod(
                applicant=person,
                status_kind="da_refugee_applicant" if number % 5 else "provisional_release",
                start_date=end - timedelta(days=180),
                end_date=end,
                renewal_filed_on=filed,
            )
        )
    LegalStatusPeriod.objects.bulk_create(periods)
    for window in [
        (TODAY, TODAY + timedelta(days=90)),
        (TODAY + timedelta(days=5), TODAY + timedelta(days=33)),
    ]:
        for source in SOURCES:
            everything = due_in(source, window)
            assert due_in(source, window, due_between=window) == everything, source.kind
    kinds_found = {s.kind for s in SOURCES if due_in(s, (TODAY, TODAY + timedelta(days=90)))}
    assert {"period_end", "renewal_pending", "provisional_release_expiry"} <= kinds_found
