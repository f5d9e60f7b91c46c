"""Forms of casework: sign-in, two-factor and service accounts."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from casework.roles import Role


class SignInForm(AuthenticationForm):
    error_messages = {
        # One message whether the name or the password was wrong: never say which.
        "invalid_login": _("The username or password is not correct."),
        "inactive": _("The username or password is not correct."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split()).replace("-", "")


class ServiceAccountForm(forms.Form):
    username = forms.SlugField(label=_("Name"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in Role if r != Role.ADMINISTRATOR],
        help_text=_("The service account can do through the API exactly what a person with this role can."),
    )
