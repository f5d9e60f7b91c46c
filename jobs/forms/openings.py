"""The opening form: the shape of the input; the services judge the values (the wage check included)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework import rules as casework_rules
from casework.forms.base import TobiraForm, date_field
from jobs.models import ContractType, OpeningStatus, ShiftPattern, WageUnit
from jobs.services.openings import STAFF_STATUSES
from learning.rules import CEFR_CHOICES


class OpeningForm(TobiraForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False)
    address = forms.CharField(label=_("Workplace address"), max_length=300, required=False)
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"), required=False, max_digits=4, decimal_places=1
    )
    daily_hours = forms.DecimalField(label=_("Hours a day"), required=False, max_digits=4, decimal_places=2)
    shift_pattern = forms.ChoiceField(label=_("Shifts"), choices=ShiftPattern.choices, required=False)
    wage = forms.IntegerField(label=_("Base wage (yen)"), required=False, min_value=1)
    wage_unit = forms.ChoiceField(label=_("Wage per"), choices=WageUnit.choices, required=False)
    contract_type = forms.ChoiceField(label=_("Contract"), choices=ContractType.choices, required=False)
    start_date = date_field(_("Start date"), required=True)
    probation_months = forms.IntegerField(
        label=_("Probation (months)"), required=False, min_value=0, max_value=24
    )
    required_level = forms.ChoiceField(
        label=_("Japanese level required"), choices=[("", "—"), *CEFR_CHOICES], required=False
    )
    required_skills = forms.CharField(
        label=_("Skills required"), required=False, help_text=_("Separate the skills with commas.")
    )
    places = forms.IntegerField(label=_("Places"), required=False, min_value=1, max_value=500)
    status = forms.ChoiceField(label=_("Status"), required=False)
    status_note = forms.CharField(label=_("Status note"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, current_status: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", "—"), *casework_rules.prefecture_choices()]  # type: ignore[attr-defined]
        statuses: list[str] = list(STAFF_STATUSES)
        if current_status and current_status not in statuses:
            statuses.insert(0, current_status)
        self.fields["status"].choices = [(s, OpeningStatus(s).label) for s in statuses]  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["required_skills"] = data.get("required_skills") or ""
        return data


def opening_initial(opening: Any) -> dict[str, Any]:
    from jobs.services.openings import OPENING_FIELDS

    initial = {key: getattr(opening, key) for key in OPENING_FIELDS}
    initial["required_skills"] = ", ".join(opening.required_skills or [])
    initial.update(status=opening.status, status_note=opening.status_note, version=opening.version)
    return initial


class OpeningReturnForm(TobiraForm):
    """Return an employer's submitted opening: the reason is required (the service says so) and shown to them."""

    status_note = forms.CharField(
        label=_("Reason for returning it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The employer reads this."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OpeningApproveForm(TobiraForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
