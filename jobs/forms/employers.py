"""Forms of employers and their contact people: the shape of the input; the services judge the values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework import rules as casework_rules
from casework.forms.base import TobiraForm
from jobs.models import Industry, PartnershipStatus, SizeBand


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class EmployerForm(TobiraForm):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    name_kana = forms.CharField(label=_("Name in kana"), max_length=200, required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=_blank(Industry.choices), required=False)
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    size_band = forms.ChoiceField(label=_("Size"), choices=_blank(SizeBand.choices), required=False)
    partnership_status = forms.ChoiceField(
        label=_("Partnership"), choices=PartnershipStatus.choices, required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = _blank(casework_rules.prefecture_choices())  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ContactForm(TobiraForm):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_primary = forms.BooleanField(label=_("Main contact"), required=False)

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
