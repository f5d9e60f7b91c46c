"""Admin of users, roles, teams, organisations and the scheduler heartbeat.

A caseworker must belong to a team and a supervisor must lead one (services.accounts.role_assignment_check):
without, they would see nobody and not know why. The user form asks for the teams a person leads beside
their own team, and the team form will not take away a supervisor's last team.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casework.models import Heartbeat, Organisation, Team, User, UserSession
from casework.roles import Role
from casework.services import accounts as account_services


class RoleAssignmentMixin(forms.ModelForm):
    """The teams a person leads, edited with their roles, and the rule that roles need teams."""

    led_teams = forms.ModelMultipleChoiceField(
        label=_("Teams led"),
        queryset=Team.objects.all(),
        required=False,
        widget=FilteredSelectMultiple(_("teams"), is_stacked=False),
        help_text=_("For a supervisor: the teams whose people they oversee."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "led_teams" in self.fields:
            self.fields["led_teams"].initial = list(self.instance.led_teams.all())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        groups = cleaned.get("groups")
        roles = [group.name for group in groups] if groups is not None else list(self.instance.roles)
        try:
            account_services.role_assignment_check(
                roles=roles, team=cleaned.get("team"), led_teams=cleaned.get("led_teams") or []
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


class TobiraUserChangeForm(RoleAssignmentMixin, UserChangeForm):
    pass


class TobiraUserCreationForm(RoleAssignmentMixin, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = TobiraUserChangeForm
    add_form = TobiraUserCreationForm
    list_display = ["username", "first_name", "last_name", "email", "team", "is_active", "is_service_account"]
    list_filter = ["is_active", "is_service_account", "groups", "team"]
    list_select_related = ["team"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Tobira"), {"fields": ("organisation", "team", "led_teams", "language", "is_service_account")}),
        (_("Signed-in sessions"), {"fields": ("signed_in_sessions",)}),
    )
    readonly_fields = ["signed_in_sessions"]
    actions = ["end_sessions"]
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Tobira"),
            {"fields": ("email", "first_name", "last_name", "groups", "team", "led_teams", "language")},
        ),
    )

    @admin.display(description=_("Signed-in sessions"))
    def signed_in_sessions(self, user: User) -> str:
        """The person's live browser sessions; "End all sessions" (above the form) signs them out."""
        if user.pk is None:
            return "—"
        sessions = list(UserSession.objects.filter(user=user).live())
        if not sessions:
            return str(_("None"))
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} {} · {} {} · {}</li>",
                (
                    (
                        _("since"),
                        f"{timezone.localtime(row.created_at):%Y-%m-%d %H:%M}",
                        _("last active"),
                        f"{timezone.localtime(row.last_activity):%Y-%m-%d %H:%M}",
                        row.user_agent or "—",
                    )
                    for row in sessions
                ),
            ),
        )

    @admin.action(description=_("End all sessions of the selected users"))
    def end_sessions(self, request, queryset) -> None:
        ended = 0
        try:
            for person in queryset.visible_to(request.user):
                ended += account_services.user_sessions_end(by=request.user, user=person)
        except PermissionDenied:
            self.message_user(request, _("Only an administrator may end sessions."), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d session was ended.", "%(count)d sessions were ended.", ended)
            % {"count": ended},
            messages.SUCCESS,
        )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if "led_teams" in form.cleaned_data:
            form.instance.led_teams.set(form.cleaned_data["led_teams"])
            form.instance.__dict__.pop("roles", None)


class TeamAdminForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["organisation", "name", "supervisors"]

    def clean_supervisors(self):
        chosen = self.cleaned_data["supervisors"]
        if not self.instance.pk:
            return chosen
        removed = self.instance.supervisors.exclude(pk__in=[user.pk for user in chosen])
        stranded = [
            str(user)
            for user in removed.filter(groups__name=Role.SUPERVISOR)
            if not user.led_teams.exclude(pk=self.instance.pk).exists()
        ]
        if stranded:
            raise ValidationError(
                _(
                    "%(names)s would lead no team and so see no one's cases: make them a supervisor of "
                    "another team first, or take away their supervisor role."
                ),
                params={"names": ", ".join(stranded)},
                code="stranded_supervisor",
            )
        return chosen


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamAdminForm
    list_display = ["name", "organisation"]
    filter_horizontal = ["supervisors"]
    list_select_related = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "team_caseload_shared"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "at"]
    readonly_fields = ["name", "at"]

    def has_add_permission(self, request) -> bool:
        return False
