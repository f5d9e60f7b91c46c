"""The portal's forms for placed workers: confirming a follow-up and recording the employment
notification's filing. Shapes only: what is allowed is the services' (jobs.services.placements,
jobs.services.partner_workers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.base import TobiraForm
from jobs.models import Difficulty, LeavingReason

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FollowUpConfirmForm(TobiraForm):
    still_employed = forms.ChoiceField(
        label=_("Still employed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        required=False,
    )
    left_on = forms.DateField(
        label=_("Left on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Only if they no longer work for you."),
    )
    leaving_reason = forms.ChoiceField(
        label=_("Reason for leaving"), choices=[("", "—"), *LeavingReason.choices], required=False
    )
    difficulties = forms.MultipleChoiceField(
        label=_("Difficulties"),
        choices=Difficulty.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What, if anything, has been hard for you or for them at work."),
    )
    difficulty_note = forms.CharField(
        label=_("Difficulties in your words"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["still_employed"] = data.get("still_employed") or None
        return data


class NotificationFilingForm(TobiraForm):
    hire_notification_filed_on = forms.DateField(
        label=_("Hire notification filed on"), required=False, widget=DATE_INPUT
    )
    leaving_notification_filed_on = forms.DateField(
        label=_("Leaving notification filed on"), required=False, widget=DATE_INPUT
    )

    def __init__(self, *args: Any, has_left: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_left:  # nothing to notify about leaving yet
            del self.fields["leaving_notification_filed_on"]

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
