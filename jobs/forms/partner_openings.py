"""The portal's opening form: the staff form's fields without the status (a partner's opening is always
submitted for staff to approve) and with the version read, for concurrent changes."""

from __future__ import annotations

from typing import Any

from django import forms

from casework.forms.base import TobiraForm
from jobs.forms.openings import OpeningForm


class PartnerOpeningForm(OpeningForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["status"]
        del self.fields["status_note"]

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data.pop("status", None)
        data.pop("status_note", None)
        return data


class VersionForm(TobiraForm):
    """Close an opening: only the version read (someone may have changed it meanwhile)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
