"""Forms of the inbox: snooze a deadline until a date. The service judges the date."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.base import DateInput, TobiraForm


class SnoozeForm(TobiraForm):
    # Presence and range are the service's to check (the same message in the UI and the API).
    until = forms.DateField(label=_("Snooze until"), required=False, widget=DateInput({"required": True}))

    def __init__(self, *args: Any, window=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if window is not None:
            # The browser's date picker offers only the allowed days; the service checks them anyway.
            self.fields["until"].widget.attrs.update(min=window[0].isoformat(), max=window[1].isoformat())
