"""The consent and sensitive-information sections of the applicant page and their in-place writes.

The consent section is shown to whoever may read the person's consents (Consent.objects.visible_to);
the sensitive section only to the assigned caseworker and the team's supervisors
(selectors.sensitive_access_allowed; administrators are not among them), and its texts only while a
sensitive-information consent is current. Every rendering that shows the texts writes a
`sensitive_view` entry in the access log; renderings that show none (no consent, someone not allowed)
write nothing. With htmx the writes answer both sections (the sensitive one out of band, since a new
or revoked consent changes it); without JavaScript they redirect, or show the form on its own page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework import audit, selectors, services
from casework.access import role_required
from casework.forms.base import apply_service_error
from casework.forms.consent import ConsentForm, ConsentRevokeForm, SensitiveRecordForm
from casework.models import AccessLogEntry, Applicant, Consent, ConsentPurpose, FieldGroup, SensitiveRecord
from casework.roles import Role
from casework.services.consent import sensitive_consent_message
from casework.typing import AuthenticatedRequest
from casework.views.base import detail_url

staff_required = role_required(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)

CONSENT_TEMPLATE = "casework/applicants/sections/consent.html"
SENSITIVE_TEMPLATE = "casework/applicants/sections/sensitive.html"
SCOPE_LABELS = dict(FieldGroup.choices)
STATE_LABELS = dict(selectors.ConsentState.choices)


def _detail_url(applicant: Applicant, anchor: str = "") -> str:
    return detail_url(applicant, anchor)  # on the tab that shows the section


def _visible_applicant(user, reference_code: str) -> Applicant:
    return get_object_or_404(
        Applicant.objects.visible_to(user).select_related("team", "caseworker"), reference_code=reference_code
    )


def _can_edit(user, applicant: Applicant) -> bool:
    return Applicant.objects.editable_by(user).filter(pk=applicant.pk).exists()


def _consent_applicant(user, reference_code: str) -> Applicant:
    """For a consent write: 404 outside visible_to(), 403 for a case the user may only read."""
    applicant = _visible_applicant(user, reference_code)
    if not _can_edit(user, applicant):
        raise PermissionDenied
    return applicant


def _sensitive_applicant(user, reference_code: str) -> Applicant:
    """404 outside visible_to(); 403 for anyone but the assigned caseworker and the team's supervisors."""
    applicant = _visible_applicant(user, reference_code)
    if not selectors.sensitive_access_allowed(user=user, applicant=applicant):
        raise PermissionDenied
    return applicant


# --- What the two sections show ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    state: str
    state_label: str
    scope_labels: list[str]
    revocable: bool


@dataclass(frozen=True)
class SensitiveRow:
    category: str
    label: str
    record: SensitiveRecord | None
    form: forms.Form


def consent_section(
    applicant: Applicant,
    *,
    user,
    can_edit: bool,
    form: ConsentForm | None = None,
    notice: str = "",
    error: str = "",
) -> dict[str, Any]:
    """The consent section from the prefetched consents (no query but the signed-form choices)."""
    if not selectors.consents_visible(user=user, applicant=applicant):
        return {"shown": False}
    today = timezone.localdate()
    rows = []
    for consent in applicant.consents.all():
        state = selectors.consent_state(consent, today)
        rows.append(
            ConsentRow(
                consent=consent,
                state=state,
                state_label=str(STATE_LABELS[state]),
                scope_labels=[str(SCOPE_LABELS.get(group, group)) for group in consent.scope or []],
                revocable=can_edit
                and state in (selectors.ConsentState.CURRENT, selectors.ConsentState.NOT_YET),
            )
        )
    if can_edit and form is None:
        form = ConsentForm(prefix="consent", applicant=applicant, user=user, initial={"granted_on": today})
    return {
        "shown": True,
        "rows": rows,
        "can_edit": can_edit,
        "form": form if can_edit else None,
        "today": today,
        "notice": notice,
        "error": error,
    }


def sensitive_section(
    applicant: Applicant,
    *,
    user,
    bound: dict[str, forms.Form] | None = None,
    notice: str = "",
    error: str = "",
    via: str = "page",
) -> dict[str, Any]:
    """The sensitive section; logs `sensitive_view` whenever it shows the texts."""
    if not selectors.sensitive_access_allowed(user=user, applicant=applicant):
        return {"shown": False}
    today = timezone.localdate()
    check = selectors.consent_check(applicant.consents.all(), ConsentPurpose.SENSITIVE_INFORMATION, on=today)
    held = sorted(record.category for record in getattr(applicant, "sensitive_held", []))
    context: dict[str, Any] = {
        "shown": True,
        "allowed": check.allowed,
        "consent": check.current,
        "notice": notice,
        "error": error,
        "held": [SensitiveRecord.Category(category).label for category in held],
    }
    if not check.allowed:
        context["reason"] = sensitive_consent_message(check)
        context["erasure_offered"] = bool(held)
        return context
    # Readable rows only (visible_to: the consent is current): the page never loads hidden texts.
    records = {record.category: record for record in applicant.sensitive_records.all()}
    bound = bound or {}
    rows = []
    for category, label in SensitiveRecord.Category.choices:
        record = records.get(category)
        form = bound.get(category) or SensitiveRecordForm(
            prefix=f"sensitive-{category}", initial={"text": record.text if record else ""}
        )
        form.fields["text"].label = label
        rows.append(SensitiveRow(category=category, label=str(label), record=record, form=form))
    context["rows"] = rows
    audit.log_access(
        actor=user,
        kind=AccessLogEntry.Kind.SENSITIVE_VIEW,
        applicant_id=applicant.pk,
        object_label=applicant.reference_code,
        detail={"via": via, "categories": sorted(records)},
    )
    return context


def applicant_page_context(
    request: AuthenticatedRequest, applicant: Applicant, *, can_edit: bool
) -> dict[str, Any]:
    """What the applicant page adds for these two sections (the applicant comes from
    selectors.applicant_detail_queryset, which prefetches consents and sensitive records)."""
    return {
        "consent_section": consent_section(applicant, user=request.user, can_edit=can_edit),
        "sensitive_section": sensitive_section(applicant, user=request.user),
    }


def _render_sections(
    request: AuthenticatedRequest,
    reference_code: str,
    *,
    main: str,
    consent_form: ConsentForm | None = None,
    sensitive_bound: dict[str, forms.Form] | None = None,
    notice: str = "",
    error: str = "",
) -> HttpResponse:
    """The section a write changed (`main`), and the other one out of band: a consent added or revoked
    changes the sensitive section, and the page must not keep showing texts that are now hidden."""
    user = request.user
    applicant = get_object_or_404(selectors.applicant_consent_queryset(user), reference_code=reference_code)
    can_edit = _can_edit(user, applicant)
    on_main = {"notice": notice, "error": error}
    consent = consent_section(
        applicant, user=user, can_edit=can_edit, form=consent_form, **(on_main if main == "consent" else {})
    )
    sensitive = sensitive_section(
        applicant, user=user, bound=sensitive_bound, **(on_main if main == "sensitive" else {})
    )
    context = {"applicant": applicant, "consent_section": consent, "sensitive_section": sensitive}
    first, second = (
        (CONSENT_TEMPLATE, SENSITIVE_TEMPLATE)
        if main == "consent"
        else (SENSITIVE_TEMPLATE, CONSENT_TEMPLATE)
    )
    html = render_to_string(first, context, request=request)
    html += render_to_string(second, {**context, "oob": True}, request=request)
    return HttpResponse(html)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Consent ----------------------------------------------------------------------------------------------


@staff_required
def consent_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    user = request.user
    applicant = _consent_applicant(user, reference_code)
    data = request.POST if request.method == "POST" else None
    form = ConsentForm(
        data, prefix="consent", applicant=applicant, user=user, initial={"granted_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(by=user, applicant=applicant, data=form.consent_data())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            done = _("The consent is recorded.")
            if request.htmx:  # type: ignore[attr-defined]
                return _render_sections(request, reference_code, main="consent", notice=done)
            messages.success(request, done)
            return redirect(_detail_url(applicant, "consent"))
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        return _render_sections(request, reference_code, main="consent", consent_form=form)
    return render(
        request,
        "casework/applicants/record_form.html",
        {"applicant": applicant, "form": form, "title": _("Record a consent"), "section": "consent"},
    )


@staff_required
def consent_revoke(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    """Revoke with a confirmation: htmx asks in the browser (hx-confirm) and sends `confirmed`; without
    JavaScript the first POST (or a GET) shows a page that asks."""
    user = request.user
    applicant = _consent_applicant(user, reference_code)
    consent = get_object_or_404(Consent.objects.visible_to(user), pk=pk, applicant=applicant)
    today = timezone.localdate()
    confirmed = request.method == "POST" and request.POST.get("confirmed") == "1"
    asked_day = request.POST.get("revoked_on") if request.method == "POST" else None
    form = ConsentRevokeForm(request.POST if confirmed else None, initial={"revoked_on": asked_day or today})
    if confirmed and form.is_valid():
        try:
            services.consent_revoke(
                by=user, consent=consent, revoked_on=form.cleaned_data["revoked_on"] or today
            )
        except ValidationError as error:
            apply_service_error(form, error)
            if request.htmx:  # type: ignore[attr-defined]
                return _render_sections(request, reference_code, main="consent", error=_error_text(error))
        else:
            done = _("The consent is revoked.")
            if consent.purpose == ConsentPurpose.SENSITIVE_INFORMATION:
                done = _("The consent is revoked. The sensitive information is hidden from now on.")
            if request.htmx:  # type: ignore[attr-defined]
                return _render_sections(request, reference_code, main="consent", notice=done)
            messages.success(request, done)
            return redirect(_detail_url(applicant, "consent"))
    return render(
        request,
        "casework/applicants/consent_revoke.html",
        {
            "applicant": applicant,
            "consent": consent,
            "form": form,
            "scope_labels": [str(SCOPE_LABELS.get(group, group)) for group in consent.scope or []],
        },
    )


# --- Sensitive information --------------------------------------------------------------------------------


@staff_required
def sensitive_edit(request: AuthenticatedRequest, reference_code: str, category: str) -> HttpResponse:
    user = request.user
    if category not in SensitiveRecord.Category.values:
        raise Http404
    applicant = _sensitive_applicant(user, reference_code)
    form = SensitiveRecordForm(
        request.POST if request.method == "POST" else None, prefix=f"sensitive-{category}"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sensitive_record_save(
                by=user, applicant=applicant, category=category, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            done = _("The sensitive information is saved.")
            if request.htmx:  # type: ignore[attr-defined]
                return _render_sections(request, reference_code, main="sensitive", notice=done)
            messages.success(request, done)
            return redirect(_detail_url(applicant, "sensitive"))
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        return _render_sections(request, reference_code, main="sensitive", sensitive_bound={category: form})
    # The page of its own (without JavaScript): the text only under a current consent, and logged.
    loaded = get_object_or_404(selectors.applicant_consent_queryset(user), pk=applicant.pk)
    section = sensitive_section(loaded, user=user, bound={category: form} if form.is_bound else None)
    row = next((row for row in section.get("rows", []) if row.category == category), None)
    return render(
        request,
        "casework/applicants/sensitive_edit.html",
        {
            "applicant": applicant,
            "section": section,
            "row": row,
            "category_label": SensitiveRecord.Category(category).label,
        },
    )


@staff_required
def sensitive_erase(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    """Erase the texts once no consent covers them; confirmed like a revocation."""
    user = request.user
    applicant = _sensitive_applicant(user, reference_code)
    confirmed = request.method == "POST" and request.POST.get("confirmed") == "1"
    error_text = ""
    if confirmed:
        try:
            erased = services.sensitive_records_erase(by=user, applicant=applicant)
        except ValidationError as error:
            error_text = _error_text(error)
            if request.htmx:  # type: ignore[attr-defined]
                return _render_sections(request, reference_code, main="sensitive", error=error_text)
        else:
            done = ngettext(
                "The sensitive information is erased (%(count)d category).",
                "The sensitive information is erased (%(count)d categories).",
                erased,
            ) % {"count": erased}
            if request.htmx:  # type: ignore[attr-defined]
                return _render_sections(request, reference_code, main="sensitive", notice=done)
            messages.success(request, done)
            return redirect(_detail_url(applicant, "sensitive"))
    held = [
        SensitiveRecord.Category(category).label
        for category in SensitiveRecord.objects.held_for(user)
        .filter(applicant=applicant)
        .order_by("category")
        .values_list("category", flat=True)
    ]
    return render(
        request,
        "casework/applicants/sensitive_erase.html",
        {"applicant": applicant, "held": held, "error": error_text},
        status=400 if error_text else 200,
    )
