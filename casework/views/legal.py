"""The legal part of the applicant page: its context (current period, timeline, procedures), the in-place
adding of records to the page's sections, and one status period's edit, delete and full card number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from casework import selectors, services
from casework.audit import log_access
from casework.forms.applicants import (
    HouseholdMemberForm,
)
from casework.forms.base import apply_service_error, error_codes
from casework.forms.legal import (
    LegalStatusPeriodEditForm,
    LegalStatusPeriodForm,
    ProcedureEventForm,
    RefugeeProcedureForm,
    ReportingObligationForm,
    RightToWorkCheckForm,
    WorkPermissionForm,
    status_kind_choices,
)
from casework.models import (
    AccessLogEntry,
    Applicant,
    LegalStatusPeriod,
    RefugeeProcedure,
)
from casework.selectors import reminders as reminder_selectors
from casework.typing import AuthenticatedRequest
from casework.ui import timeline
from casework.ui.applicant_page import section_tab
from casework.views.base import detail_url, editable_applicant, may_edit, staff_required

SECTION_TEMPLATES = {
    "periods": "casework/applicants/sections/periods.html",
    "work": "casework/applicants/sections/work.html",
    "right-to-work": "casework/applicants/sections/right_to_work.html",
    "reporting": "casework/applicants/sections/reporting.html",
    "procedures": "casework/applicants/sections/procedures.html",
    "household": "casework/applicants/sections/household.html",
}


# Sections whose change moves the header's legal summary (current status, may work, next deadline).
SECTIONS_IN_HEADER = {"periods", "work", "reporting", "procedures"}


@dataclass(frozen=True)
class ProcedureRow:
    procedure: RefugeeProcedure
    appeal: selectors.AppealStatus | None
    event_form: forms.Form | None


def _record_forms(applicant: Applicant, bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    next_ordinal = max((p.ordinal for p in applicant.procedures.all()), default=0) + 1
    return {
        "periods": bound.get("periods") or LegalStatusPeriodForm(prefix="period"),
        "work": bound.get("work") or WorkPermissionForm(prefix="work"),
        "right_to_work": bound.get("right_to_work")
        or RightToWorkCheckForm(prefix="rtw", initial={"checked_on": timezone.localdate()}),
        "reporting": bound.get("reporting") or ReportingObligationForm(prefix="reporting"),
        "procedures": bound.get("procedures")
        or RefugeeProcedureForm(prefix="procedure", initial={"ordinal": next_ordinal}),
    }


def summary_context(request: AuthenticatedRequest, applicant: Applicant, *, today: date) -> dict[str, Any]:
    """The header's legal summary: selectors.legal_summary (the list's and the API's computation) from
    the prefetched periods and permissions, and the next deadline (one query per deadline source).
    Nothing for a user who may not read the person's legal records."""
    if not applicant.__dict__.get("legal_visible", False):
        return {"can_see_legal": False}
    periods = list(applicant.periods.all())
    summary = selectors.legal_summary(periods, list(applicant.work_permissions.all()), today)
    return {
        "can_see_legal": True,
        "legal": summary,
        "current_period": selectors.current_period(periods, today),
        "lawful_until": summary.lawful_until,
        "lawful_days_left": summary.days_left,
        "renewal_pending": summary.renewal_pending,
        "may_work_today": summary.may_work,
        "may_work_until": summary.may_work_until,
        "may_work_days_left": (summary.may_work_until - today).days if summary.may_work_until else None,
        "next_deadline": reminder_selectors.next_deadline_of(
            user=request.user, applicant=applicant, today=today
        ),
    }


def detail_context(
    request: AuthenticatedRequest,
    applicant: Applicant,
    *,
    bound: dict[str, forms.Form] | None = None,
    notice: str = "",
) -> dict[str, Any]:
    """The Legal status tab and its sections, from the prefetched rows (no queries)."""
    user = request.user
    today = timezone.localdate()
    bound = bound or {}
    can_edit = may_edit(user, applicant)
    periods = list(applicant.periods.all())
    permissions = list(applicant.work_permissions.all())
    current = selectors.current_period(periods, today)
    procedures = [
        ProcedureRow(
            procedure=procedure,
            appeal=selectors.appeal_status(procedure, today),
            event_form=(
                bound.get(f"event-{procedure.pk}") or ProcedureEventForm(prefix=f"event-{procedure.pk}")
            )
            if can_edit
            else None,
        )
        for procedure in applicant.procedures.all()
    ]
    return {
        "applicant": applicant,
        "today": today,
        "can_edit": can_edit,
        "can_show_card": can_edit,
        "can_see_legal": applicant.__dict__.get("legal_visible", False),
        "current_period": current,
        "periods": periods,
        "timeline": timeline.timeline_svg(periods, today=today),
        "gaps": timeline.gaps_between(periods, today),
        "work_permissions": [(permission, permission.covers(today)) for permission in permissions],
        "right_to_work_checks": list(applicant.right_to_work_checks.all()),
        "reporting": [
            (obligation, (obligation.next_report_date - today).days)
            for obligation in applicant.reporting_obligations.all()
        ],
        "procedures": procedures,
        "forms": _record_forms(applicant, bound) if can_edit else {},
        "notice": notice,
        "status_kinds": status_kind_choices(),
    }


def household_context(
    request: AuthenticatedRequest,
    applicant: Applicant,
    *,
    bound: dict[str, forms.Form] | None = None,
    notice: str = "",
    can_edit: bool | None = None,
) -> dict[str, Any]:
    """The household section (on the Overview tab) from the prefetched members."""
    if can_edit is None:
        can_edit = may_edit(request.user, applicant)
    form = (bound or {}).get("household") or HouseholdMemberForm(prefix="household")
    return {
        "applicant": applicant,
        "can_edit": can_edit,
        "forms": {"household": form} if can_edit else {},
        "notice": notice,
    }


def render_section(
    request: AuthenticatedRequest,
    reference_code: str,
    section: str,
    *,
    bound: dict[str, forms.Form] | None = None,
    notice: str = "",
) -> HttpResponse:
    """One section in place (htmx), with the header's legal summary out of band when it changed."""
    tab = section_tab(section)
    applicant = get_object_or_404(
        selectors.applicant_page_queryset(request.user, tab=tab, header=False), reference_code=reference_code
    )
    if tab == "overview":
        context = household_context(request, applicant, bound=bound, notice=notice)
    else:
        context = detail_context(request, applicant, bound=bound, notice=notice)
    html = render_to_string(SECTION_TEMPLATES[section], context, request=request)
    if section in SECTIONS_IN_HEADER and not bound:
        summary = summary_context(request, applicant, today=timezone.localdate())
        html += render_to_string(
            "casework/applicants/legal_summary.html", {**context, **summary, "oob": True}, request=request
        )
    return HttpResponse(html)


def add_record(
    request: AuthenticatedRequest,
    reference_code: str,
    *,
    section: str,
    form_key: str,
    make_form: Callable[[QueryDict | None], forms.Form],
    save: Callable[[forms.Form, Applicant], object],
    on_error: Callable[[forms.Form, ValidationError], None] | None = None,
    title: str,
    done: str,
    applicant: Applicant | None = None,
) -> HttpResponse:
    """Add one legal record: in place with htmx (the section comes back), or as a plain form post."""
    applicant = applicant or editable_applicant(request.user, reference_code)
    form = make_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(form, applicant)
        except ValidationError as error:
            apply_service_error(form, error)
            if on_error is not None:
                on_error(form, error)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render_section(request, reference_code, section, notice=done)
            messages.success(request, done)
            return redirect(detail_url(applicant, section))
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        return render_section(request, reference_code, section, bound={form_key: form})
    return render(
        request,
        "casework/applicants/record_form.html",
        {"applicant": applicant, "form": form, "title": title, "section": section},
    )


def _show_card_confirm(form: forms.Form, error: ValidationError) -> None:
    if "card_conflict" in error_codes(error, "card_number"):
        form.show_card_confirm = True  # type: ignore[attr-defined]


@staff_required
def period_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    def save(form, applicant):
        return services.legal_period_record(
            by=request.user,
            applicant=applicant,
            data=form.period_data(),
            card_number=form.cleaned_data["card_number"],
            confirm_card_conflict=form.cleaned_data["confirm_card_conflict"],
            end_current=form.cleaned_data["end_current"],
        )

    return add_record(
        request,
        reference_code,
        section="periods",
        form_key="periods",
        make_form=lambda data: LegalStatusPeriodForm(data, prefix="period"),
        save=save,
        on_error=_show_card_confirm,
        title=_("Add a status period"),
        done=_("The status period is added."),
    )


@staff_required
def work_permission_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return add_record(
        request,
        reference_code,
        section="work",
        form_key="work",
        make_form=lambda data: WorkPermissionForm(data, prefix="work"),
        save=lambda form, applicant: services.work_permission_record(
            by=request.user, applicant=applicant, data=form.cleaned_data
        ),
        title=_("Add a work permission"),
        done=_("The work permission is added."),
    )


@staff_required
def right_to_work_check_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return add_record(
        request,
        reference_code,
        section="right-to-work",
        form_key="right_to_work",
        make_form=lambda data: RightToWorkCheckForm(data, prefix="rtw"),
        save=lambda form, applicant: services.right_to_work_check_record(
            by=request.user, applicant=applicant, data=form.cleaned_data
        ),
        title=_("Record a right-to-work check"),
        done=_("The right-to-work check is recorded."),
    )


@staff_required
def reporting_obligation_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return add_record(
        request,
        reference_code,
        section="reporting",
        form_key="reporting",
        make_form=lambda data: ReportingObligationForm(data, prefix="reporting"),
        save=lambda form, applicant: services.reporting_obligation_record(
            by=request.user, applicant=applicant, data=form.cleaned_data
        ),
        title=_("Add a reporting obligation"),
        done=_("The reporting obligation is added."),
    )


@staff_required
def procedure_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return add_record(
        request,
        reference_code,
        section="procedures",
        form_key="procedures",
        make_form=lambda data: RefugeeProcedureForm(data, prefix="procedure"),
        save=lambda form, applicant: services.procedure_record(
            by=request.user, applicant=applicant, data=form.cleaned_data
        ),
        title=_("Add a refugee status application"),
        done=_("The application is added."),
    )


@staff_required
def procedure_event_add(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    applicant = editable_applicant(request.user, reference_code)
    procedure = get_object_or_404(
        RefugeeProcedure.objects.visible_to(request.user), pk=pk, applicant=applicant
    )
    prefix = f"event-{procedure.pk}"
    return add_record(
        request,
        reference_code,
        section="procedures",
        form_key=prefix,
        make_form=lambda data: ProcedureEventForm(data, prefix=prefix),
        save=lambda form, _applicant: services.procedure_event_record(
            by=request.user, procedure=procedure, data=form.cleaned_data
        ),
        title=_("Add an event to application %(number)d") % {"number": procedure.ordinal},
        done=_("The event is added."),
        applicant=applicant,
    )


def _period_of(user, applicant: Applicant, pk: int) -> LegalStatusPeriod:
    return get_object_or_404(LegalStatusPeriod.objects.visible_to(user), pk=pk, applicant=applicant)


@staff_required
def period_edit(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    user = request.user
    applicant = editable_applicant(user, reference_code)
    period = _period_of(user, applicant, pk)
    form = LegalStatusPeriodEditForm(
        request.POST if request.method == "POST" else None, period=period, prefix="period"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_period_update(
                by=user,
                period=period,
                data=form.period_data(),
                card_number=form.card_number_for_service(),
                confirm_card_conflict=form.cleaned_data["confirm_card_conflict"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
            _show_card_confirm(form, error)
        else:
            messages.success(request, _("The status period is saved."))
            return redirect(detail_url(applicant, "periods"))
    return render(
        request,
        "casework/applicants/period_edit.html",
        {"applicant": applicant, "period": period, "form": form},
    )


@staff_required
def period_delete(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    user = request.user
    applicant = editable_applicant(user, reference_code)
    period = _period_of(user, applicant, pk)
    if request.method == "POST":
        services.legal_period_delete(by=user, period=period)
        messages.success(request, _("The status period is deleted."))
        return redirect(detail_url(applicant, "periods"))
    return render(
        request, "casework/applicants/period_delete.html", {"applicant": applicant, "period": period}
    )


@staff_required
def period_card_number(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    """The full residence card number, on an explicit request, for those who may change the case."""
    user = request.user
    applicant = editable_applicant(user, reference_code)
    period = _period_of(user, applicant, pk)
    template = (
        "casework/applicants/card_number_cell.html"
        if request.htmx  # type: ignore[attr-defined]
        else "casework/applicants/card_number.html"
    )
    log_access(
        actor=user,
        kind=AccessLogEntry.Kind.CARD_NUMBER_VIEW,
        applicant_id=applicant.pk,
        object_label=str(period),
        detail={"period": period.pk},
    )
    response = render(request, template, {"applicant": applicant, "period": period})
    add_never_cache_headers(response)
    return response
