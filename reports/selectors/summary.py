"""The printable one-page case summary: what a caseworker takes to a meeting with the person.

Read through each app's own door: the applicant through Applicant.objects.visible_to(user), the legal
records only where the user may read them (a teammate's shared case shows no legal data), the level
through learning's selector, the employment through jobs' querysets. A fixed number of queries: one per
deadline source plus a handful, whatever the person's records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings

from casework.deadlines import registry
from casework.models import Applicant
from casework.selectors import HIDDEN_SUMMARY, LegalSummary, legal_summaries, legal_visibility
from casework.selectors.reminders import DeadlineAhead
from jobs import rules as jobs_rules
from jobs.models import Placement, Referral
from learning.models import Enrollment, EnrollmentStatus
from learning.selectors.assessments import AssessedLevel, current_assessed_level

SUMMARY_DEADLINE_DAYS = 90
# The page is one A4 sheet: longer lists say how many more there are.
SUMMARY_DEADLINES_SHOWN = 6
SUMMARY_REFERRALS_SHOWN = 4


@dataclass
class CaseSummary:
    applicant: Applicant
    today: date
    legal: LegalSummary
    deadlines: list[DeadlineAhead] = field(default_factory=list)
    more_deadlines: int = 0
    level: AssessedLevel | None = None
    courses: list[Enrollment] = field(default_factory=list)
    placement: Placement | None = None
    referrals: list[Referral] = field(default_factory=list)
    more_referrals: int = 0

    @property
    def legal_hidden(self) -> bool:
        return self.legal.hidden


def summary_applicant(*, user, reference_code: str) -> Applicant | None:
    return (
        Applicant.objects.visible_to(user)
        .annotate(legal_visible=legal_visibility(user))
        .select_related("team", "caseworker")
        .filter(reference_code=reference_code)
        .first()
    )


def _deadlines(*, user, applicant: Applicant, today: date) -> list[DeadlineAhead]:
    """The person's live deadlines (overdue ones within the grace days too) up to 90 days ahead, most
    urgent first: the deadlines page's computation for one person, one query per deadline source."""
    applicants = Applicant.objects.legal_visible_to(user).filter(pk=applicant.pk)
    last = today + timedelta(days=SUMMARY_DEADLINE_DAYS)
    found = []
    for kind, source in sorted(registry.sources().items()):
        for deadline in source.live(
            today=today, grace_days=settings.REMINDER_GRACE_DAYS, source_ids=None, applicants=applicants
        ):
            due = deadline.overdue_after or deadline.deadline_date
            if due <= last:
                found.append(
                    DeadlineAhead(
                        kind, deadline.source_id, deadline.applicant_id, deadline.deadline_date, due, today
                    )
                )
    return sorted(found, key=lambda row: (row.due_date, row.kind, row.source_id))


def case_summary(*, user, applicant: Applicant, today: date) -> CaseSummary:
    legal = legal_summaries([applicant], user=user, day=today).get(applicant.pk, HIDDEN_SUMMARY)
    summary = CaseSummary(applicant=applicant, today=today, legal=legal)
    if not legal.hidden:
        deadlines = _deadlines(user=user, applicant=applicant, today=today)
        summary.deadlines = deadlines[:SUMMARY_DEADLINES_SHOWN]
        summary.more_deadlines = max(len(deadlines) - SUMMARY_DEADLINES_SHOWN, 0)
    summary.level = current_assessed_level(user=user, applicant_id=applicant.pk)
    summary.courses = list(
        Enrollment.objects.visible_to(user)
        .filter(applicant=applicant, status=EnrollmentStatus.ENROLLED)
        .select_related("course")
        .order_by("course__name", "pk")
    )
    summary.placement = (
        Placement.objects.visible_to(user)
        .filter(applicant=applicant, ended_on__isnull=True)
        .select_related("opening", "opening__employer")
        .order_by("-start_date", "-pk")
        .first()
    )
    referrals = list(
        Referral.objects.visible_to(user)
        .filter(applicant=applicant, stage__in=jobs_rules.OPEN_STAGES)
        .select_related("opening", "opening__employer")
        .order_by("-stage_changed_at", "-pk")[: SUMMARY_REFERRALS_SHOWN + 1]
    )
    summary.referrals = referrals[:SUMMARY_REFERRALS_SHOWN]
    summary.more_referrals = max(len(referrals) - SUMMARY_REFERRALS_SHOWN, 0)
    return summary
