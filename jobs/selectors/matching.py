"""Matching: for an opening, every active person the user may see, eligible or not, with the reasons as data.

Set-based (DESIGN.md, Matching): one annotated queryset, no Python loop over people. Each reason is a
boolean annotation computed per row through the person's own indexes (the "may work" condition is
casework's, made fast by issue 14), so a page of 25 costs about 25 rows of work whatever the caseload:

- may_work_start: may work on the start date (casework's may_work_condition, which holds inside the
  special period of a period renewed in time — **uncertain**, see casework.rules);
- may_work_probation: may still work on the last day of the probation (False is a warning with its
  date, worked out for the page's rows by probation_warnings(), never an exclusion);
- level_ok: the current assessed level (learning's precedence: latest, official first) ≥ the required;
- skills_ok: every required skill among the person's skills;
- place_ok: the workplace's prefecture among those the person can commute to (none recorded: unknown,
  not excluded);
- availability_ok: can start by the start date, wants at least the opening's hours (or did not say),
  works the opening's shift (rotating and flexible fit anyone);
- referred: already referred to this opening.

eligible = may work on the start date, level, skills, place and availability, and not yet referred.
Sorted eligible first, then by name. A person whose legal records the user may not read (a shared team
caseload) is never eligible: "may work" is unknown to them, and says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast

from casework.models import Applicant, CaseStage, LegalStatusPeriod, WorkPermission, codes_of
from casework.rules import add_months
from casework.selectors.legal import legal_visibility, may_work_condition, may_work_on, may_work_until
from jobs.models import JobOpening, OpeningStatus, Referral, ShiftPattern
from jobs.selectors.ordering import sees_whole_organisation
from learning.selectors.assessments import current_assessed_level, current_level_subquery

# People still looking for work: placed, followed up and closed cases are not matched.
SEEKING = (CaseStage.INTAKE, CaseStage.ACTIVE, CaseStage.JOB_READY)
# What a row of the list shows (MatchRow, the page and the API's MatchRowSerializer).
ROW_FIELDS = (
    "pk",
    "organisation_id",
    "team_id",
    "caseworker_id",
    "reference_code",
    "family_name",
    "given_name",
)
REASONS = ("may_work_start", "level_ok", "skills_ok", "place_ok", "availability_ok")


def _flag(condition: Q) -> ExpressionWrapper:
    if not condition:  # no requirement (no level, no skills): an empty Q() cannot be a When() condition
        return ExpressionWrapper(Value(True), BooleanField())
    return ExpressionWrapper(Case(When(condition, then=Value(True)), default=Value(False)), BooleanField())


def _skill(skill: str) -> Q:
    """The person's skills (a JSON list) hold this skill: matched on the list's text, which SQLite keeps
    ASCII-escaped and PostgreSQL as written, so both spellings of the quoted skill are asked for."""
    return Q(skills_text__icontains=json.dumps(skill)) | Q(
        skills_text__icontains=json.dumps(skill, ensure_ascii=False)
    )


def _availability(opening: JobOpening) -> Q:
    starts = Q(available_from__isnull=True) | Q(available_from__lte=opening.start_date)
    hours = Q(hours_per_week_wanted__isnull=True) | Q(hours_per_week_wanted__gte=opening.hours_per_week)
    if opening.shift_pattern in (ShiftPattern.ROTATING, ShiftPattern.FLEXIBLE):
        shift = Q()
    else:
        shift = Q(available_shifts="") | Q(available_shifts__contains=f",{opening.shift_pattern},")
    return starts & hours & shift


def probation_end_of(opening: JobOpening) -> date | None:
    if not opening.probation_months:
        return None
    return add_months(opening.start_date, opening.probation_months)


def matching(*, user, opening: JobOpening, day: date | None = None) -> QuerySet[Applicant]:
    """Every active person the user may see for this opening, the reasons annotated, eligible first."""
    start = opening.start_date
    probation_end = probation_end_of(opening)
    legal = Q(legal_visible=True)
    # An administrator's list sorts the whole organisation eligible first: "may work" is then found once
    # per day as a set rather than probed person by person (casework's may_work_condition, whole_table).
    whole = sees_whole_organisation(user)
    rows = (
        Applicant.objects.visible_to(user)
        .filter(case_stage__in=SEEKING)
        .annotate(legal_visible=legal_visibility(user))
        .annotate(
            current_level=current_level_subquery(user),
            skills_text=Cast("skills", TextField()),
            referred=Exists(Referral.objects.filter(applicant=OuterRef("pk"), opening=opening)),
        )
    )
    skills = Q()
    for skill in opening.required_skills or []:
        skills &= _skill(skill)
    level = Q(current_level__gte=opening.required_level) if opening.required_level else Q()
    place = Q(commute_prefectures="") | Q(commute_prefectures__contains=f",{opening.prefecture},")
    available = _availability(opening)
    # The reasons shown: computed for the page's rows only (PostgreSQL evaluates them after the sort).
    rows = rows.annotate(
        may_work_start=_flag(legal & may_work_condition(start)),
        may_work_probation=_flag(legal & may_work_condition(probation_end or start)),
        level_ok=_flag(level),
        skills_ok=_flag(skills),
        place_ok=_flag(place),
        availability_ok=_flag(available),
    )
    # The sort key, evaluated for every row, cheapest first (PostgreSQL stops at the first false): the
    # person's columns, then "already referred" and, for an administrator, "may work" as sets built once
    # (an uncorrelated IN, hashed) rather than probed person by person; the level last, probed only for
    # the people who passed everything else. Only the columns a row shows are read (the sort carries
    # every row's columns).
    may_work = legal & may_work_condition(start, whole_table=whole)
    return (
        rows.annotate(eligible=_flag(place & available & skills & Q(referred=False) & may_work & level))
        .only(*ROW_FIELDS)
        .order_by(F("eligible").desc(), "family_name", "given_name", "pk")
    )


@dataclass(frozen=True)
class MatchRow:
    applicant: Applicant
    eligible: bool
    reasons: tuple[str, ...]  # the reasons that fail, in REASONS order (+ "referred")
    level: str  # the current assessed level ("" when none)
    legal_known: bool
    works_until: date | None  # when may-work ends inside the probation (a warning), else None


def match_rows(page: list[Applicant], *, opening: JobOpening) -> list[MatchRow]:
    """The page's rows as data, with the probation warning's date: two queries for the whole page."""
    probation_end = probation_end_of(opening)
    warn_ids = [
        a.pk
        for a in page
        if probation_end and a.may_work_start and not a.may_work_probation  # type: ignore[attr-defined]
    ]
    periods: dict[int, list[LegalStatusPeriod]] = {pk: [] for pk in warn_ids}
    permissions: dict[int, list[WorkPermission]] = {pk: [] for pk in warn_ids}
    if warn_ids:
        for period in LegalStatusPeriod.objects.filter(applicant_id__in=warn_ids):
            periods[period.applicant_id].append(period)
        for permission in WorkPermission.objects.filter(applicant_id__in=warn_ids):
            permissions[permission.applicant_id].append(permission)
    rows = []
    for applicant in page:
        values = applicant.__dict__
        failed = tuple(reason for reason in REASONS if not values[reason])
        if values["referred"]:
            failed += ("referred",)
        until = None
        if applicant.pk in periods:
            until = may_work_until(periods[applicant.pk], permissions[applicant.pk], opening.start_date)
        rows.append(
            MatchRow(
                applicant=applicant,
                eligible=values["eligible"],
                reasons=failed,
                level=values["current_level"] or "",
                legal_known=values["legal_visible"],
                works_until=until,
            )
        )
    return rows


def openings_for(*, user, applicant: Applicant) -> list[JobOpening]:
    """The reverse: open openings the person is eligible for (the applicant page), in four queries.

    The level, place and availability conditions are written against the openings' columns; "may work on
    the start date", skills and shift are then checked against the person's own rows, loaded once (a loop
    over a handful of openings, never over people)."""
    current = current_assessed_level(user=user, applicant_id=applicant.pk)
    level = current.cefr if current is not None else ""
    rows = (
        JobOpening.objects.visible_to(user)
        .filter(status=OpeningStatus.OPEN)
        .exclude(pk__in=Referral.objects.filter(applicant=applicant).values("opening_id"))
        .filter(Q(required_level="") | Q(required_level__lte=level))
        .select_related("employer")
        .order_by("start_date", "pk")
    )
    if applicant.commute_prefectures:
        rows = rows.filter(prefecture__in=codes_of(applicant.commute_prefectures))
    if applicant.available_from:
        rows = rows.filter(start_date__gte=applicant.available_from)
    if applicant.hours_per_week_wanted:
        rows = rows.filter(hours_per_week__lte=applicant.hours_per_week_wanted)
    periods = list(LegalStatusPeriod.objects.filter(applicant=applicant))
    permissions = list(WorkPermission.objects.filter(applicant=applicant))
    skills = {skill.casefold() for skill in applicant.skills or []}
    shifts = set(codes_of(applicant.available_shifts))
    return [
        opening
        for opening in rows
        if may_work_on(periods, permissions, opening.start_date)
        and all(skill.casefold() in skills for skill in opening.required_skills or [])
        and (
            not shifts
            or opening.shift_pattern in (ShiftPattern.ROTATING, ShiftPattern.FLEXIBLE)
            or opening.shift_pattern in shifts
        )
    ]
