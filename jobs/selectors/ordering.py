"""One list order, planned for who is asking (the referrals and placements lists).

An administrator sees the whole organisation: the page is read down the list's index on `field`
(referral_recent_idx, placement_recent_idx). A caseload is a small part of the table, and PostgreSQL
cannot know how small: walking that index it skipped thousands of other people's rows (53 ms for the
referrals at 100,000 people); ordering by an expression the index does not cover (the same value) makes it
fetch the caseload's own rows and sort those (a few ms). The order is the same either way.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from jobs.models.base import is_admin, signed_in


def newest_first(rows: QuerySet, *, field: str, user) -> QuerySet:
    if signed_in(user) and is_admin(user):
        return rows.order_by(f"-{field}", "-pk")
    return rows.order_by(Coalesce(field, field).desc(), "-pk")


def sees_whole_organisation(user) -> bool:
    """An administrator (or superuser) signed in: their lists cover every person of the organisation."""
    return signed_in(user) and is_admin(user)
