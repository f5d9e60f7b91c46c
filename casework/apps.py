"""App configuration for casework, the hub every other app points at."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-ins, failed sign-ins and sign-outs go into the access log; the same signals keep the
        # signed-in sessions an administrator can end (browser_sessions).
        from casework import audit_signals, browser_sessions, checks  # noqa: F401
        from casework.deadlines import sources

        sources.register()
        from casework.ui import home

        home.register()  # casework's own panels of the home page; learning and jobs add theirs
        from casework.services import applicant_import

        applicant_import.register()  # the applicants and periods importers (issue 18)
