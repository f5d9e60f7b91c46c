"""Reads of openings: the list with its referral counts, an opening's page, the pipeline board."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from jobs import rules
from jobs.models import JobOpening, Placement, Referral, Stage


def _count(rows: QuerySet) -> Coalesce:
    counted = (
        rows.filter(opening=OuterRef("pk")).order_by().values("opening").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def openings_for_list(*, user) -> QuerySet[JobOpening]:
    """Openings the user may see, with their employer, open referrals and placements."""
    return (
        JobOpening.objects.visible_to(user)
        .select_related("employer")
        .annotate(
            referrals_open=_count(Referral.objects.filter(stage__in=rules.OPEN_STAGES)),
            placements_count=_count(Placement.objects.all()),
        )
    )


def opening_for_page(*, user, pk: int) -> JobOpening | None:
    return openings_for_list(user=user).filter(pk=pk).first()


def pipeline_board(*, user, opening: JobOpening) -> dict[str, list[Referral]]:
    """The opening's referrals the user may see, by stage (one query; every stage present, empty or not)."""
    columns: dict[str, list[Referral]] = defaultdict(list)
    rows = (
        Referral.objects.visible_to(user)
        .filter(opening=opening)
        .select_related("applicant", "applicant__caseworker")
        .order_by("stage_changed_at", "pk")
    )
    for referral in rows:
        columns[referral.stage].append(referral)
    return {stage: columns.get(stage, []) for stage in Stage.values}
