"""Who and what a report counts: the filters as checked values, and the people a user reports on.

Every report starts here, from ``visible_to(user)``, narrowed to the report scope of DESIGN.md's access
matrix ("reports, exports"): a caseworker their own caseload (not a shared team caseload they may only
read), a supervisor the teams they lead, an administrator the organisation. Trainers report on their own
courses only (attendance and language progress), through learning's ``visible_to``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from casework import rules
from casework.models import Applicant, Team
from casework.roles import Role


@dataclass(frozen=True)
class ReportFilters:
    """Checked filter values (reports.forms.filters makes them); None: not filtered."""

    start: date
    end: date
    team: Team | None = None
    nationality: str = ""
    course_id: int | None = None
    employer_id: int | None = None
    industry: str = ""
    prefecture: str = ""

    @property
    def since(self) -> datetime:
        """The period's first moment (local midnight of the start day)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The moment just after the period (local midnight after the end day)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (links, the API's echo)."""
        values = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.team is not None:
            values["team"] = str(self.team.pk)
        for name in ("nationality", "industry", "prefecture"):
            if getattr(self, name):
                values[name] = getattr(self, name)
        for name in ("course", "employer"):
            if getattr(self, f"{name}_id") is not None:
                values[name] = str(getattr(self, f"{name}_id"))
        return values


def is_organisation_wide(user) -> bool:
    return bool(user.is_superuser or user.has_role(Role.ADMINISTRATOR))


def may_report_on_people(user) -> bool:
    """Casework reports (everything but attendance and language progress) are for casework staff."""
    return is_organisation_wide(user) or user.has_role(Role.SUPERVISOR, Role.CASEWORKER)


def people(user, filters: ReportFilters) -> QuerySet[Applicant]:
    """The applicants a report counts for this user, with the person filters applied."""
    rows = Applicant.objects.visible_to(user)
    if not is_organisation_wide(user):
        condition = Q(pk__in=[])
        if user.has_role(Role.SUPERVISOR):
            condition |= Q(
                team_id__in=Team.supervisors.through.objects.filter(user_id=user.pk).values("team_id")
            )
        if user.has_role(Role.CASEWORKER):
            condition |= Q(caseworker_id=user.pk)
        rows = rows.filter(condition)
    return person_filtered(rows, filters)


def narrower_than_visible(user, filters: ReportFilters) -> bool:
    """Whether people() narrows visible_to(user): not for an administrator without person filters (the
    report then need not join the applicants a second time)."""
    person_filters = filters.team is not None or filters.nationality or filters.prefecture
    return bool(person_filters) or not is_organisation_wide(user)


def person_filtered(rows: QuerySet, filters: ReportFilters, *, prefix: str = "") -> QuerySet:
    """Team, nationality and prefecture on the applicant (``prefix`` leads from another model to it)."""
    if filters.team is not None:
        rows = rows.filter(**{f"{prefix}team_id": filters.team.pk})
    if filters.nationality:
        rows = rows.filter(**{f"{prefix}nationality": filters.nationality})
    if filters.prefecture:
        rows = rows.filter(prefecture_condition(filters.prefecture, prefix=prefix))
    return rows


def prefecture_condition(code: str, *, prefix: str = "") -> Q:
    """An applicant's prefecture is free text: its code, English or Japanese name (with or without 都府県)."""
    prefecture = rules.PREFECTURE_BY_CODE[code]
    names = {code, prefecture.label_ja}
    if prefecture.label_ja[-1] in "都府県":
        names.add(prefecture.label_ja[:-1])
    condition = Q(**{f"{prefix}prefecture__in": sorted(names)})
    return condition | Q(**{f"{prefix}prefecture__iexact": prefecture.label_en})
