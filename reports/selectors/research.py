"""Reads of the anonymised research export: whose rows it may hold, and those rows in one query.

Everything starts from Applicant.objects.visible_to(user), narrowed to the teams the user exports
(a supervisor's led teams; an administrator's organisation) and to people whose research consent is
current today. The outcome columns are subqueries over those people's own rows, so the export is one
query whatever the number of people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from casework.models import Applicant, ChangeRecord, Consent, ConsentPurpose, LegalStatusPeriod, Team
from casework.roles import Role
from casework.selectors import current_consent_condition
from jobs.models import FollowUp, Placement
from learning.selectors.assessments import current_level_subquery
from reports import rules
from reports.models import ResearchRelease

RETENTION_MONTHS = (3, 6, 12)


def may_export_research(user) -> bool:
    """Supervisors (for their teams) and administrators (for the organisation): DESIGN.md's matrix."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.has_role(Role.ADMINISTRATOR, Role.SUPERVISOR))
    )


def exports_whole_organisation(user) -> bool:
    return bool(user.is_superuser or user.has_role(Role.ADMINISTRATOR))


def research_teams(*, user) -> QuerySet[Team]:
    """The teams the user may export: all of the organisation for administrators, led teams otherwise."""
    if not may_export_research(user):
        return Team.objects.none()
    teams = Team.objects.visible_to(user).order_by("name", "pk")
    return teams if exports_whole_organisation(user) else teams.filter(supervisors=user)


@dataclass(frozen=True)
class ResearchFilters:
    team: Team | None = None
    intake_from: date | None = None
    intake_to: date | None = None


def research_people(*, user, filters: ResearchFilters, today: date) -> QuerySet[Applicant]:
    """The people an export over `filters` holds: readable, in the user's export teams, in the intake
    period, with a research consent current today."""
    people = Applicant.objects.visible_to(user)
    if not exports_whole_organisation(user):
        people = people.filter(team_id__in=research_teams(user=user).values("pk"))
    if filters.team is not None:
        people = people.filter(team_id=filters.team.pk)
    if filters.intake_from:
        people = people.filter(intake_date__gte=filters.intake_from)
    if filters.intake_to:
        people = people.filter(intake_date__lte=filters.intake_to)
    consented = Consent.objects.filter(
        current_consent_condition(today), applicant=OuterRef("pk"), purpose=ConsentPurpose.RESEARCH
    )
    return people.filter(Exists(consented))


def _status_at_intake() -> Subquery:
    covering = LegalStatusPeriod.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("intake_date")),
        applicant=OuterRef("pk"),
        start_date__lte=OuterRef("intake_date"),
    )
    return Subquery(covering.order_by("-start_date", "-pk").values("status_kind")[:1])


def _job_ready_at() -> Subquery:
    """The first change of the case stage to job-ready in the change history."""
    changes = ChangeRecord.objects.filter(
        applicant_id=OuterRef("pk"), model="casework.applicant", changes__case_stage__new="job_ready"
    )
    return Subquery(changes.order_by("at", "pk").values("at")[:1])


def _first_placement(field: str) -> Subquery:
    first = Placement.objects.filter(applicant_id=OuterRef("pk")).order_by("start_date", "pk")
    return Subquery(first.values(field)[:1])


def _follow_up_outcome(months: int) -> Subquery:
    return Subquery(
        FollowUp.objects.filter(placement_id=OuterRef("first_placement_id"), month=months).values("outcome")[
            :1
        ]
    )


def research_rows(*, user, filters: ResearchFilters, today: date) -> list[dict[str, str]]:
    """The export's rows before generalisation: coded values only (no name, contact, card number, free
    text), dates as months, birth years as bands. One query."""
    people = (
        research_people(user=user, filters=filters, today=today)
        .annotate(
            status_kind_at_intake=_status_at_intake(),
            job_ready_at=_job_ready_at(),
            first_placement_id=_first_placement("pk"),
            first_placement_start=_first_placement("start_date"),
            first_placement_ended=_first_placement("ended_on"),
            cefr=current_level_subquery(user),
            **{f"follow_up_{months}": _follow_up_outcome(months) for months in RETENTION_MONTHS},
        )
        .order_by()
        .values(
            "date_of_birth",
            "gender",
            "nationality",
            "prefecture",
            "intake_date",
            "case_stage",
            "status_kind_at_intake",
            "job_ready_at",
            "first_placement_start",
            "first_placement_ended",
            "cefr",
            *(f"follow_up_{months}" for months in RETENTION_MONTHS),
        )
    )
    return [_row(person, today) for person in people]


def _row(person: dict[str, Any], today: date) -> dict[str, str]:
    born = person["date_of_birth"]
    job_ready = person["job_ready_at"]
    start = person["first_placement_start"]
    row = {
        "birth_year_band": rules.birth_year_band(born.year if born else None),
        "gender": rules.gender_code(person["gender"]),
        "nationality": str(person["nationality"] or "") or rules.UNKNOWN,
        "prefecture": rules.prefecture_code(person["prefecture"]),
        "intake_month": rules.month_of(person["intake_date"]),
        "status_at_intake": person["status_kind_at_intake"] or rules.UNKNOWN,
        "case_stage": person["case_stage"],
        "job_ready_month": rules.month_of(timezone.localtime(job_ready).date() if job_ready else None),
        "first_placement_month": rules.month_of(start),
        "cefr_level": person["cefr"] or "",
    }
    for months in RETENTION_MONTHS:
        row[f"retained_{months}_months"] = rules.retention(
            start=start,
            months=months,
            outcome=person[f"follow_up_{months}"] or "",
            ended_on=person["first_placement_ended"],
            today=today,
        )
    return row


def releases_for_list(*, user) -> QuerySet[ResearchRelease]:
    """The research releases the user may see, newest first, with who made them and the team (one query)."""
    return (
        ResearchRelease.objects.visible_to(user)
        .select_related("created_by", "team")
        .order_by("-created_at", "-pk")
    )
