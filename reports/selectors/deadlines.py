"""Deadlines met and missed, reminders sent and acknowledged.

A legal status period whose end date falls in the period is met when a renewal was filed or a next period
(starting after it) is recorded, and missed otherwise. Reminders sent are the live reminders delivered in
the period; acknowledged, those whose deadline someone acknowledged. Two queries whatever the data.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from casework.models import DeadlineState, LegalStatusPeriod, Reminder
from reports.selectors.results import Bar, Figure, ReportResult, percent
from reports.selectors.scope import ReportFilters, people


def deadlines(*, user, filters: ReportFilters) -> ReportResult:
    scope = people(user, filters).values("pk")
    following = LegalStatusPeriod.objects.filter(
        applicant_id=OuterRef("applicant_id"), start_date__gt=OuterRef("start_date")
    )
    periods = (
        LegalStatusPeriod.objects.visible_to(user)
        .filter(applicant_id__in=scope, end_date__gte=filters.start, end_date__lte=filters.end)
        .annotate(followed=Exists(following))
        .aggregate(
            ended=Count("pk"),
            met=Count("pk", filter=Q(renewal_filed_on__isnull=False) | Q(followed=True)),
        )
    )
    acknowledged = DeadlineState.objects.filter(
        source_kind=OuterRef("source_kind"),
        source_id=OuterRef("source_id"),
        deadline_date=OuterRef("deadline_date"),
        acknowledged_at__isnull=False,
    )
    reminders = (
        Reminder.objects.filter(
            applicant_id__in=scope, delivered_at__gte=filters.since, delivered_at__lt=filters.until
        )
        .annotate(was_acknowledged=Exists(acknowledged))
        .aggregate(sent=Count("pk"), acknowledged=Count("pk", filter=Q(was_acknowledged=True)))
    )
    missed = periods["ended"] - periods["met"]
    steps = [
        ("met", _("Deadlines met"), periods["met"]),
        ("missed", _("Deadlines missed"), missed),
        ("sent", _("Reminders sent"), reminders["sent"]),
        ("acknowledged", _("Reminders acknowledged"), reminders["acknowledged"]),
    ]
    figures = [Figure(key, label, count) for key, label, count in steps]
    figures.insert(
        2, Figure("met_rate", _("Deadlines met, as a share"), percent(periods["met"], periods["ended"]), "%")
    )
    figures.append(
        Figure(
            "ack_rate",
            _("Reminders acknowledged, as a share"),
            percent(reminders["acknowledged"], reminders["sent"]),
            "%",
        )
    )
    return ReportResult(
        key="deadlines",
        title=_("Deadlines met and missed, reminders"),
        unit=_("count"),
        figures=figures,
        bars=[Bar(key, label, count, f"{label}: {count}") for key, label, count in steps],
        columns=[_("Figure"), _("Count")],
        rows=[[label, count] for _key, label, count in steps],
    )
