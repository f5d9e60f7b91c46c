"""Reads of language results: a person's current assessed level, one query for one or many people.

`current_assessed_level` / `assessed_levels` are what jobs uses for a person's Japanese level
(DESIGN.md: jobs → learning through learning.selectors).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from learning.models import (
    Assessment,
    AssessmentFramework,
)
from learning.rules import Framework


@dataclass(frozen=True)
class AssessedLevel:
    """A person's current assessed level: the CEFR level, and where it comes from (source and date)."""

    cefr: str
    framework: str
    level: str
    assessed_on: date
    assessment_id: int

    @property
    def source(self) -> str:
        return str(AssessmentFramework(self.framework).label)

    @property
    def is_official(self) -> bool:
        return self.framework in Framework.OFFICIAL

    def __str__(self) -> str:
        shown = (
            f"{self.source} {self.level}".strip() if self.level and self.level != self.cefr else self.source
        )
        return f"{self.cefr} ({shown}, {self.assessed_on.isoformat()})"


def _precedence() -> Case:
    return Case(
        *[When(framework=name, then=Value(rank)) for name, rank in Framework.PRECEDENCE.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


# Most recent first; on the same date an official test, then a placement test, then a trainer's
# judgement; then the one recorded last.
LEVEL_ORDER = (F("assessed_on").desc(), F("precedence").desc(), F("pk").desc())


def _to_level(row: dict) -> AssessedLevel:
    return AssessedLevel(
        cefr=row["cefr_level"],
        framework=row["framework"],
        level=row["level"],
        assessed_on=row["assessed_on"],
        assessment_id=row["pk"],
    )


_LEVEL_FIELDS = ("pk", "applicant_id", "framework", "level", "cefr_level", "assessed_on")


def current_assessed_level(*, user, applicant_id: int) -> AssessedLevel | None:
    """The person's current assessed level, or None when no result has a CEFR level (one query)."""
    row = (
        Assessment.objects.visible_to(user)
        .filter(applicant_id=applicant_id)
        .exclude(cefr_level="")
        .annotate(precedence=_precedence())
        .order_by(*LEVEL_ORDER)
        .values(*_LEVEL_FIELDS)
        .first()
    )
    return _to_level(row) if row else None


def _current_levels(
    assessments: QuerySet[Assessment], applicant_ids: Iterable[int]
) -> dict[int, AssessedLevel]:
    """The current level (latest, official first) of each person among `assessments`, in one query."""
    ids = list(applicant_ids)
    if not ids:
        return {}
    rows = (
        assessments.filter(applicant_id__in=ids)
        .exclude(cefr_level="")
        .annotate(precedence=_precedence())
        .annotate(rank=Window(RowNumber(), partition_by=[F("applicant_id")], order_by=list(LEVEL_ORDER)))
        .filter(rank=1)
        .values(*_LEVEL_FIELDS)
    )
    return {row["applicant_id"]: _to_level(row) for row in rows}


def assessed_levels(*, user, applicant_ids: Iterable[int]) -> dict[int, AssessedLevel]:
    """Current assessed levels of many people in one query (for lists: matching, candidates)."""
    return _current_levels(Assessment.objects.visible_to(user), applicant_ids)


def shared_levels(applicant_ids: Iterable[int]) -> dict[int, AssessedLevel]:
    """assessed_levels() without a reader's visibility, for the share packet (one query): the caller
    (jobs.selectors.packets) has already chosen people whose level it may show, under their consent."""
    return _current_levels(Assessment.objects.all(), applicant_ids)


def current_level_subquery(user, applicant_ref: str = "pk") -> Subquery:
    """The current assessed CEFR level (as current_assessed_level() picks it) of the person an outer query's
    row names (OuterRef(applicant_ref)), for annotating many people at once: jobs' matching compares it
    with an opening's required level (CEFR codes compare as text: A1 < A2 < B1 < … < C2)."""
    return Subquery(
        Assessment.objects.visible_to(user)
        .filter(applicant=OuterRef(applicant_ref))
        .exclude(cefr_level="")
        .annotate(precedence=_precedence())
        .order_by(*LEVEL_ORDER)
        .values("cefr_level")[:1]
    )
