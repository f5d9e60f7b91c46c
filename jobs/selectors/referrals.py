"""Reads of referrals: the list, one referral with its history, a person's referrals."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce

from casework.models import Applicant
from jobs.models import Referral, StageChange
from jobs.models.base import is_admin, signed_in


def referrals_for_list(*, user) -> QuerySet[Referral]:
    return Referral.objects.visible_to(user).select_related(
        "applicant", "applicant__caseworker", "opening", "opening__employer"
    )


def newest_moves_first(rows: QuerySet[Referral], *, user) -> QuerySet[Referral]:
    """The referrals list's order, most recent move first, planned for who is asking. An administrator
    sees the whole organisation: the page is read down the referral_recent_idx index. A caseload is a
    small part of the table, and PostgreSQL cannot know how small: walking that index it skipped
    thousands of other people's referrals (53 ms at 100,000 people); ordering by an expression the index
    does not cover (the same value) makes it fetch the caseload's referrals and sort those (a few ms)."""
    if signed_in(user) and is_admin(user):
        return rows.order_by("-stage_changed_at", "-pk")
    return rows.order_by(Coalesce("stage_changed_at", "stage_changed_at").desc(), "-pk")


def referral_for_page(*, user, pk: int) -> Referral | None:
    return (
        referrals_for_list(user=user)
        .prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("by").order_by("at", "pk")),
            "interviews",
        )
        .filter(pk=pk)
        .first()
    )


def referrals_of(*, user, applicant: Applicant) -> list[Referral]:
    """A person's referrals the user may see, newest move first (the employment panel)."""
    return list(
        referrals_for_list(user=user).filter(applicant=applicant).order_by("-stage_changed_at", "-pk")
    )
