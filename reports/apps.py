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
    """Registrations into casework's registries (navigation); filled by the reports and exports.

    The export table sources: every staff list page of the three apps (reports/selectors/*_lists.py)."""
    from reports.selectors import casework_lists, jobs_lists, learning_lists

    casework_lists.register()
    learning_lists.register()
    jobs_lists.register()
