"""App configuration for learning: courses, sessions, attendance and assessments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Learning adds to casework's pages and reminder engine through casework's registries;
        # casework never imports learning (DESIGN.md, architecture).
        from learning import registrations

        registrations.register()
