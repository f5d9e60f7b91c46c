"""What every form shares: labels without a colon, date inputs, and service errors shown next to their field.

Forms check the shape of the input (dates, numbers, choices, line formats); the services decide what is
allowed. Service errors are mapped back onto forms with `apply_service_error`, so a message from a
service appears next to the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as YYYY-MM-DD whatever the interface language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    # Presence is checked by the services (the same message in the UI and the API); the browser
    # still asks for required dates through the `required` attribute.
    attrs = {"required": True} if required else {}
    return forms.DateField(label=label, required=False, widget=DateInput(attrs), help_text=help_text)


class TobiraForm(forms.Form):
    """Labels without a trailing colon: Pico sets labels above their fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_codes(error: ValidationError, field: str) -> set[str]:
    if not hasattr(error, "error_dict"):
        return set()
    return {item.code for item in error.error_dict.get(field, []) if item.code}
