"""The research export's form: recipient, k, team and intake period (the service decides what is allowed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.selectors.research import exports_whole_organisation, research_teams


class ResearchExportForm(forms.Form):
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=200,
        help_text=_("Who receives the file: the research partner and the person responsible there."),
    )
    k = forms.IntegerField(
        label=_("k (smallest group size)"),
        help_text=_("Every combination of the quasi-identifiers must be shared by at least k people."),
    )
    # A plain number with a list to choose from: a team that is not the user's gets the service's message.
    team = forms.IntegerField(label=_("Team"), required=False, widget=forms.Select)
    intake_from = forms.DateField(
        label=_("Intake from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    intake_to = forms.DateField(
        label=_("Intake to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        minimum = settings.RESEARCH_EXPORT_K
        # The organisation's minimum, read when the form is made (a setting, changeable in tests).
        self.fields["k"] = forms.IntegerField(
            label=self.fields["k"].label,
            help_text=self.fields["k"].help_text,
            min_value=minimum,
            initial=minimum,
        )
        everyone = _("All teams") if exports_whole_organisation(user) else _("All the teams I lead")
        self.fields["team"].widget.choices = [("", everyone)] + [
            (team.pk, team.name) for team in research_teams(user=user)
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "recipient": data["recipient"],
            "k": data["k"],
            "team_id": data.get("team"),
            "intake_from": data.get("intake_from"),
            "intake_to": data.get("intake_to"),
        }
