"""Forms of the referral pipeline: moving a card, interviews, confirming a hire, recording a follow-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.base import TobiraForm, date_field
from jobs.models import (
    FollowUpOutcome,
    InterviewOutcome,
    LeavingReason,
    ReasonCode,
    Reporter,
    Stage,
    WageUnit,
)


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "")}


class MoveForm(TobiraForm):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason_code = forms.ChoiceField(
        label=_("Reason"), choices=[("", "—"), *ReasonCode.choices], required=False
    )
    reason_text = forms.CharField(label=_("Reason in words"), required=False)
    start_date = date_field(_("Start date"))

    def service_data(self) -> dict[str, Any]:
        return _drop_empty(self.cleaned_data)


class HireReportForm(MoveForm):
    """Reporting a hire: the start date and the day the employer saw the documents itself (DOMAIN.md §9)."""

    documents_seen_on = date_field(
        _("The employer saw the residence card and designation paper on"),
        required=True,
        help_text=_(
            "The employer must see the residence card (both sides) and the designation paper itself before "
            "hiring; our own check does not replace it."
        ),
    )


class ProposeForm(TobiraForm):
    applicant = forms.CharField(widget=forms.HiddenInput, required=False)
    opening = forms.IntegerField(widget=forms.HiddenInput, required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class InterviewForm(TobiraForm):
    starts_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Where"), max_length=300, required=False)
    link = forms.CharField(label=_("Online link"), max_length=200, required=False)
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    interpreter_language = forms.CharField(label=_("Interpreter's language"), max_length=60, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=InterviewOutcome.choices, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


INSURANCE_CHOICES = [
    ("", _("Work it out from the hours and contract")),
    ("yes", _("Covered")),
    ("no", _("Not covered")),
]


class ConfirmForm(TobiraForm):
    start_date = date_field(_("Start date"), required=True)
    contract_end = date_field(_("Contract ends"))
    probation_end = date_field(_("Probation ends"))
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"), required=False, max_digits=4, decimal_places=1
    )
    daily_hours = forms.DecimalField(label=_("Hours a day"), required=False, max_digits=4, decimal_places=2)
    wage = forms.IntegerField(label=_("Base wage (yen)"), required=False, min_value=1)
    wage_unit = forms.ChoiceField(label=_("Wage per"), choices=WageUnit.choices, required=False)
    employment_insurance = forms.ChoiceField(
        label=_("Employment insurance"), choices=INSURANCE_CHOICES, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_data(self) -> dict[str, Any]:
        data = _drop_empty(self.cleaned_data)
        insured = data.pop("employment_insurance", "")
        if insured:
            data["employment_insurance"] = insured == "yes"
        return data


class FollowUpForm(TobiraForm):
    month = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *FollowUpOutcome.choices], required=False
    )
    leaving_reason = forms.ChoiceField(
        label=_("Reason for leaving"), choices=[("", "—"), *LeavingReason.choices], required=False
    )
    reported_by = forms.ChoiceField(label=_("Reported by"), choices=Reporter.choices, required=False)
    note = forms.CharField(label=_("Note"), required=False)

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "month"}
