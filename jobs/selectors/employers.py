"""Reads of employers: the list with its figures, one employer's page."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from jobs.models import (
    Employer,
    EmployerContact,
    FollowUp,
    JobOpening,
    OpeningStatus,
    PartnershipStatus,
    Placement,
)
from jobs.rules import employer_ref


def _count(rows: QuerySet, path: str) -> Coalesce:
    """A per-employer count as a correlated subquery (no GROUP BY over the joined tables)."""
    counted = (
        rows.filter(**{path: OuterRef("pk")}).order_by().values(path).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def employers_for_list(*, user) -> QuerySet[Employer]:
    """The employers the user may see, with open openings, placements and people still working there."""
    return Employer.objects.visible_to(user).annotate(
        open_openings=_count(JobOpening.objects.filter(status=OpeningStatus.OPEN), "employer"),
        placements_total=_count(Placement.objects.all(), "opening__employer"),
        placements_running=_count(Placement.objects.filter(ended_on__isnull=True), "opening__employer"),
    )


def consent_recipients(user) -> list[tuple[str, str]]:
    """The partner employers a share-with-employer consent can name (casework's consent form and
    service ask through their registry): the organisation's employers but those whose partnership
    ended, by name, as (reference, name)."""
    rows = (
        Employer.objects.visible_to(user)
        .exclude(partnership_status=PartnershipStatus.ENDED)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    return [(employer_ref(pk), name) for pk, name in rows]


def employer_for_page(*, user, pk: int) -> Employer | None:
    return employers_for_list(user=user).filter(pk=pk).first()


def employer_contacts(employer: Employer) -> list[EmployerContact]:
    return list(employer.contacts.all())


def retention(*, employer: Employer) -> dict[int, tuple[int, int]]:
    """Per follow-up month (1, 3, 6, 12): (people still working there, people whose follow-up is recorded).
    People whose month has not come yet are counted in neither (still within the window, not left)."""
    rows = (
        FollowUp.objects.filter(placement__opening__employer=employer)
        .exclude(outcome="")
        .values("month")
        .annotate(retained=Count("pk", filter=~Q(outcome="left")), recorded=Count("pk"))
        .order_by("month")
    )
    return {row["month"]: (row["retained"], row["recorded"]) for row in rows}
