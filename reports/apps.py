"""App configuration for reports: what it adds to casework's navigation through casework's registries."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        _register()


def _register() -> None:
    """Registrations into casework's registries (navigation), and the export table sources: every staff
    list page of the three apps (reports/selectors/*_lists.py)."""
    from casework.roles import Role
    from casework.ui.panels import NavItem, register_nav_item
    from reports.selectors import casework_lists, jobs_lists, learning_lists
    from reports.ui.tables import register_report_tables

    register_nav_item(
        NavItem(
            key="reports",
            label=_("Reports"),
            url_name="reports:report_index",
            roles=(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER),
            order=70,
            icon="chart-bar",
        )
    )
    # The anonymised research export: supervisors (their teams) and administrators (the organisation).
    register_nav_item(
        NavItem(
            key="reports_research",
            label=_("Research export"),
            url_name="reports:research_export",
            roles=(Role.SUPERVISOR, Role.ADMINISTRATOR),
            order=72,
            icon="download",
        )
    )

    casework_lists.register()
    learning_lists.register()
    jobs_lists.register()
    register_report_tables()
