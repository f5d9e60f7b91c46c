"""Forms of casework: sign-in, two-factor and service accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework.models import Team
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
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("For the caseworker role: the team whose people it works with."),
    )
    led_teams = forms.ModelMultipleChoiceField(
        label=_("Teams led"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("For the supervisor role: the teams it oversees."),
    )

    def __init__(self, *args: Any, teams: QuerySet[Team] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams  # type: ignore[attr-defined]
            self.fields["led_teams"].queryset = teams  # type: ignore[attr-defined]
