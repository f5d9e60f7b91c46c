"""Admin of users, roles, teams, organisations and the scheduler heartbeat."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Heartbeat,
    Organisation,
    Team,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "team", "is_active", "is_service_account"]
    list_filter = ["is_active", "is_service_account", "groups", "team"]
    list_select_related = ["team"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Tobira"), {"fields": ("organisation", "team", "language", "is_service_account")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Tobira"), {"fields": ("email", "first_name", "last_name", "team", "language", "groups")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
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
