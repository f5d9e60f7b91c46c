"""Forms of legal records: status periods, work permission, reporting obligations, procedures and events,
right-to-work checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework import rules
from casework.forms.base import TobiraForm, date_field
from casework.models import (
    LegalStatusPeriod,
    ProcedureEvent,
    ProcedureOutcome,
    RenewalDecision,
    ReportingObligation,
    WorkPermission,
)


def status_kind_choices() -> list[tuple[str, str]]:
    return [(code, rule.label) for code, rule in rules.STATUS_KINDS.items()]


class LegalStatusPeriodForm(TobiraForm):
    status_kind = forms.ChoiceField(label=_("Status"))
    status_other_label = forms.CharField(
        label=_("Status name (for another status)"), max_length=120, required=False
    )
    other_grants_work = forms.BooleanField(label=_("This other status allows work"), required=False)
    start_date = date_field(_("Start"), required=True)
    end_date = date_field(
        _("End (last day)"),
        help_text=_("The effective last day. Leave empty only for an indefinite other status."),
    )
    is_indefinite = forms.BooleanField(label=_("Indefinite (other status only)"), required=False)
    card_expiry_date = date_field(_("Expiry printed on the card"))
    card_number = forms.CharField(
        label=_("Residence card number"),
        max_length=40,
        required=False,
        help_text=_("2 letters, 8 digits, 2 letters. Spaces, hyphens and full-width letters are fine."),
    )
    confirm_card_conflict = forms.BooleanField(
        label=_("I checked: this card number is right although it is recorded for another person"),
        required=False,
    )
    designation_wording = forms.CharField(
        label=_("Designation sheet wording"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    renewal_filed_on = date_field(_("Renewal filed on"))
    renewal_decision = forms.ChoiceField(
        label=_("Renewal decision"), required=False, choices=[("", "—"), *RenewalDecision.choices]
    )
    renewal_decided_on = date_field(_("Renewal decided on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    end_current = forms.BooleanField(
        label=_("This replaces the current status: end the current period the day before"),
        required=False,
    )

    DATA_FIELDS = (
        "status_kind",
        "status_other_label",
        "other_grants_work",
        "start_date",
        "end_date",
        "is_indefinite",
        "card_expiry_date",
        "designation_wording",
        "renewal_filed_on",
        "renewal_decision",
        "renewal_decided_on",
        "note",
    )

    def __init__(self, *args: Any, show_card_confirm: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status_kind"].choices = status_kind_choices()  # type: ignore[attr-defined]
        self.show_card_confirm = show_card_confirm or bool(
            self.is_bound and self.data.get(self.add_prefix("confirm_card_conflict"))
        )

    def period_data(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in self.DATA_FIELDS}


class LegalStatusPeriodEditForm(LegalStatusPeriodForm):
    remove_card_number = forms.BooleanField(label=_("Remove the card number"), required=False)

    def __init__(self, *args: Any, period: LegalStatusPeriod, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {key: getattr(period, key) for key in self.DATA_FIELDS})
        super().__init__(*args, **kwargs)
        del self.fields["end_current"]
        if period.card_number_hint:
            self.fields["card_number"].help_text = _(
                "Recorded: %(masked)s. Leave empty to keep it, or type a new number."
            ) % {"masked": period.card_number_masked}

    def card_number_for_service(self) -> str | None:
        """None keeps the recorded number, "" removes it, anything else replaces it."""
        if self.cleaned_data.get("remove_card_number"):
            return ""
        return self.cleaned_data.get("card_number") or None


class WorkPermissionForm(TobiraForm):
    basis = forms.ChoiceField(label=_("Basis"), choices=WorkPermission.Basis.choices)
    scope = forms.ChoiceField(
        label=_("Scope"), choices=WorkPermission.Scope.choices, initial=WorkPermission.Scope.FULL
    )
    hours_per_week = forms.IntegerField(label=_("Hours per week (limited scope)"), required=False)
    start_date = date_field(_("Start"), required=True)
    end_date = date_field(_("End (last day)"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RightToWorkCheckForm(TobiraForm):
    """The day a caseworker saw the documents; the service decides what is allowed (dates, a document)."""

    checked_on = date_field(_("Checked on"), required=True)
    saw_residence_card = forms.BooleanField(label=_("I saw the residence card (both sides)"), required=False)
    saw_designation_paper = forms.BooleanField(
        label=_("I saw the designation paper (指定書)"), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportingObligationForm(TobiraForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportingObligation.Kind.choices)
    next_report_date = date_field(_("Next report date"), required=True)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    supervisor_name = forms.CharField(label=_("Supervisor (監理人)"), max_length=200, required=False)
    last_reported_on = date_field(_("Last reported on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RefugeeProcedureForm(TobiraForm):
    ordinal = forms.IntegerField(
        label=_("Application number"),
        min_value=1,
        max_value=99,
        help_text=_("1 for a first application, 2 for a second, and so on."),
    )
    applied_on = date_field(_("Applied on"), required=True)
    grounds_submitted = forms.BooleanField(
        label=_("Material showing reasonable grounds submitted (3rd or later application)"), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProcedureEventForm(TobiraForm):
    kind = forms.ChoiceField(label=_("Event"), choices=ProcedureEvent.Kind.choices)
    date = date_field(_("Date"), required=True)
    triage_category = forms.ChoiceField(
        label=_("Triage category"), required=False, choices=[("", "—"), *ProcedureEvent.Triage.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (decisions)"), required=False, choices=[("", "—"), *ProcedureOutcome.choices]
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
