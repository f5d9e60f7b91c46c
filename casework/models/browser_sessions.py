"""Signed-in browser sessions: which sessions a user has, so that an administrator can end them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.roles import Role


class UserSessionQuerySet(models.QuerySet["UserSession"]):
    def visible_to(self, user) -> UserSessionQuerySet:
        """Administrators see their organisation's sessions; everyone else only their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
            return self.filter(user__organisation_id=user.organisation_id)
        return self.filter(user=user)

    def live(self, *, now=None) -> UserSessionQuerySet:
        """Sessions neither idle nor older than the absolute limit (rows of abandoned ones linger)."""
        now = now or timezone.now()
        return self.filter(
            last_activity__gt=now - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT),
            created_at__gt=now - timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT),
        )


class UserSession(models.Model):
    """One signed-in browser session (its key in Django's session store), kept by the sign-in signal and
    the session-timeout middleware. API tokens are not sessions and have no row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="browser_sessions",
        verbose_name=_("user"),
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_activity = models.DateTimeField(_("last activity"), default=timezone.now)
    user_agent = models.CharField(_("browser"), max_length=120, blank=True)

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_activity"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
