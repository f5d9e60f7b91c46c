"""Forms of the portal's interview proposals, outcomes, offers and hire reports, and of the staff side's
confirm and decline. The shape only: the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.base import TobiraForm, date_field
from jobs.models import WageUnit
from jobs.services.offers import PORTAL_OUTCOMES


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class ProposalForm(TobiraForm):
    slot_1 = _datetime_field(_("First proposed time"))
    slot_2 = _datetime_field(_("Second proposed time (optional)"))
    slot_3 = _datetime_field(_("Third proposed time (optional)"))
    place = forms.CharField(label=_("Where"), max_length=300, required=False)
    link = forms.CharField(label=_("Online link"), max_length=200, required=False)
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    interpreter_language = forms.CharField(label=_("Interpreter's language"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def add_error(self, field: str | None, error: Any) -> None:
        # The service names the times together ("slots"): the message goes beside the first.
        super().add_error("slot_1" if field == "slots" else field, error)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["slots"] = [data.pop(f"slot_{number}") for number in (1, 2, 3)]
        return data


class OutcomeForm(TobiraForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *[(value, value.label) for value in PORTAL_OUTCOMES]],
        required=False,
    )


class TermsForm(TobiraForm):
    start_date = date_field(_("Start date"))
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"), required=False, max_digits=4, decimal_places=1
    )
    daily_hours = forms.DecimalField(label=_("Hours a day"), required=False, max_digits=4, decimal_places=2)
    wage = forms.IntegerField(label=_("Base wage (yen)"), required=False, min_value=1)
    wage_unit = forms.ChoiceField(label=_("Wage per"), choices=WageUnit.choices, required=False)

    def service_data(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class OfferForm(TermsForm):
    """An offer: the start date may be left out. Labels say "offered" so the page's two forms differ."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "offer")
        super().__init__(*args, **kwargs)
        self.fields["start_date"].label = _("Offered start date (optional)")
        self.fields["hours_per_week"].label = _("Offered hours a week")
        self.fields["daily_hours"].label = _("Offered hours a day")
        self.fields["wage"].label = _("Offered base wage (yen)")
        self.fields["wage_unit"].label = _("Offered wage per")


class PartnerHireReportForm(TermsForm):
    documents_seen_on = date_field(
        _("We saw the residence card and designation paper on"),
        required=True,
        help_text=_(
            "You must see the residence card (both sides) and the designation paper yourself before "
            "hiring; our own check does not replace it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "hire")
        super().__init__(*args, **kwargs)
        self.fields["start_date"].widget.attrs["required"] = True


class ConfirmSlotForm(TobiraForm):
    slot = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DeclineProposalForm(TobiraForm):
    decline_reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
