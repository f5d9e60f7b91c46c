"""Whether to suggest that a person is job-ready: an assessed language level and a right to work today
(DESIGN.md: job-ready = a level and a right to work), while the case is not yet job-ready or beyond.

Learning knows levels; casework knows the right to work (casework.selectors.legal, the one answer to
"may this person work on this day"). Casework never imports learning, so the suggestion is learning's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from casework.models import Applicant, CaseStage
from casework.selectors.legal import may_work_on
from learning.selectors.assessments import AssessedLevel, current_assessed_level

# Stages at which the suggestion has nothing left to suggest.
AT_OR_BEYOND_JOB_READY = (CaseStage.JOB_READY, CaseStage.PLACED, CaseStage.FOLLOW_UP, CaseStage.CLOSED)


@dataclass(frozen=True)
class JobReadySuggestion:
    level: AssessedLevel
    day: date


def may_confirm_job_ready(user, applicant: Applicant) -> bool:
    """Who may confirm: a staff member who may change the person (own caseload, led teams, administrators).
    Uses the applicant page's `legal_visible` annotation (the same door) when it is there: no query."""
    annotated = getattr(applicant, "legal_visible", None)
    if annotated is not None:
        return bool(annotated)
    return Applicant.objects.editable_by(user).filter(pk=applicant.pk).exists()


def job_ready_suggestion(*, user, applicant: Applicant, day: date | None = None) -> JobReadySuggestion | None:
    """The suggestion, or None: a stage at or beyond job-ready, no right to work on `day`, no assessed
    level. Reads the applicant's periods and work permissions through their prefetch when the page made
    one (the applicant page's header does), and the level in one query."""
    if applicant.case_stage in AT_OR_BEYOND_JOB_READY:
        return None
    day = day or timezone.localdate()
    if not may_work_on(list(applicant.periods.all()), list(applicant.work_permissions.all()), day):
        return None
    level = current_assessed_level(user=user, applicant_id=applicant.pk)
    if level is None:
        return None
    return JobReadySuggestion(level, day)
