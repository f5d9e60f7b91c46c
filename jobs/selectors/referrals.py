"""Reads of referrals: the list, one referral with its history, a person's referrals."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from casework.models import Applicant
from jobs.models import Referral, StageChange
from jobs.selectors.ordering import newest_first


def referrals_for_list(*, user) -> QuerySet[Referral]:
    return Referral.objects.visible_to(user).select_related(
        "applicant", "applicant__caseworker", "opening", "opening__employer"
    )


def newest_moves_first(rows: QuerySet[Referral], *, user) -> QuerySet[Referral]:
    """The referrals list's order, most recent move first (jobs.selectors.ordering)."""
    return newest_first(rows, field="stage_changed_at", user=user)


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
