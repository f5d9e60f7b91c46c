"""Intake → job-ready → referred → placed: people who reached each step in the period.

Intake, job-ready and placed count the people whose case stage changed to that stage in the period, from
casework's change history (ChangeRecord of casework.applicant, ``changes["case_stage"]["new"]``; an
applicant's creation counts as intake). Referred counts the people whose first referral falls in the
period. Two queries whatever the data.
"""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from casework.models import ChangeRecord
from casework.models.applicants import CaseStage
from jobs.models import Referral
from reports.selectors.results import Bar, Figure, ReportResult, percent
from reports.selectors.scope import ReportFilters, people


def _stage(stage: str) -> Q:
    return Q(changes__case_stage__new=stage)


def funnel(*, user, filters: ReportFilters) -> ReportResult:
    scope = people(user, filters).values("pk")
    changes = ChangeRecord.objects.filter(
        model="casework.applicant", applicant_id__in=scope, at__gte=filters.since, at__lt=filters.until
    ).aggregate(
        intake=Count(
            "applicant_id",
            distinct=True,
            filter=Q(action=ChangeRecord.Action.CREATE) | _stage(CaseStage.INTAKE),
        ),
        job_ready=Count("applicant_id", distinct=True, filter=_stage(CaseStage.JOB_READY)),
        placed=Count("applicant_id", distinct=True, filter=_stage(CaseStage.PLACED)),
    )
    referred = (
        Referral.objects.filter(applicant_id__in=scope)
        .values("applicant_id")
        .annotate(first=Min("created_at"))
        .filter(first__gte=filters.since, first__lt=filters.until)
        .count()
    )
    steps = [
        ("intake", _("Intake"), changes["intake"]),
        ("job_ready", _("Job-ready"), changes["job_ready"]),
        ("referred", _("Referred"), referred),
        ("placed", _("Placed"), changes["placed"]),
    ]
    intake = changes["intake"]
    figures = [Figure(key, label, count, _("people")) for key, label, count in steps]
    figures.append(
        Figure("placed_of_intake", _("Placed, as a share of intake"), percent(changes["placed"], intake), "%")
    )
    bars = [
        Bar(key, label, count, _("%(step)s: %(count)d people") % {"step": label, "count": count})
        for key, label, count in steps
    ]
    return ReportResult(
        key="funnel",
        title=_("Intake to placement"),
        unit=_("people"),
        figures=figures,
        bars=bars,
        columns=[_("Step"), _("People"), _("Share of intake (%)")],
        rows=[[label, count, percent(count, intake)] for _key, label, count in steps],
    )
