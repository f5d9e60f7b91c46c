"""Forms of the portal's users: inviting someone (staff and employer admins) and choosing a password
when accepting an invitation. The services judge the values (address, role, password strength)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.base import TobiraForm
from jobs.models import MembershipRole

LANGUAGE_CHOICES = [("", _("Not known (the organisation's default)")), ("en", "English"), ("ja", "日本語")]


class InvitationForm(TobiraForm):
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MembershipRole.choices,
        initial=MembershipRole.MEMBER,
        required=False,
        help_text=_("Employer administrators invite and remove colleagues."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation e-mail"), choices=LANGUAGE_CHOICES, required=False
    )

    def service_data(self) -> dict[str, Any]:
        return {
            "email": self.cleaned_data.get("email", ""),
            "role": self.cleaned_data.get("role") or MembershipRole.MEMBER,
            "language": self.cleaned_data.get("language", ""),
        }


class AcceptInvitationForm(TobiraForm):
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password and not only numbers."),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ApiAccountForm(TobiraForm):
    """An API service account for the employer's integrations: only its name (the service checks it)."""

    username = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Letters, digits, hyphens and underscores, e.g. sakura-foods-hr-system."),
    )
