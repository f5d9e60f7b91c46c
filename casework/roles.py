"""The five roles (Django groups) and the questions views ask about them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    CASEWORKER = "caseworker", _("Caseworker")
    TRAINER = "trainer", _("Trainer")
    EMPLOYER = "employer", _("Employer partner")


# Roles that must sign in with a second factor when REQUIRE_2FA is on.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER})
