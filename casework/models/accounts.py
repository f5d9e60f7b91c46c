"""Accounts: organisations, teams, users and the scheduler heartbeat."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.roles import STAFF_ROLES, Role

DEFAULT_ORGANISATION_SLUG = "default"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user) -> OrganisationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(pk=user.organisation_id)


class Organisation(models.Model):
    """A support organisation; every team, user and case record belongs to exactly one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    team_caseload_shared = models.BooleanField(
        _("team caseload is shared"),
        default=True,
        help_text=_("Caseworkers may read (not change) the cases of their whole team."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def default_organisation_id() -> int:
    organisation, _created = Organisation.objects.get_or_create(
        slug=DEFAULT_ORGANISATION_SLUG, defaults={"name": "Tobira"}
    )
    return organisation.pk


class TeamQuerySet(models.QuerySet["Team"]):
    def visible_to(self, user) -> TeamQuerySet:
        """Staff see their organisation's teams; employer partners see none (not their data)."""
        if not getattr(user, "is_authenticated", False) or not user.is_staff_role:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


class Team(models.Model):
    """A group of caseworkers led by one or more supervisors; every applicant belongs to one team."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    supervisors = models.ManyToManyField(
        "casework.User", blank=True, related_name="led_teams", verbose_name=_("supervisors")
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_in_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user) -> UserQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def with_role(self, role: str) -> UserQuerySet:
        return self.filter(groups__name=role)


class TobiraUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in (staff or employer partner) or a service account used through the API."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
        help_text=_("The team a caseworker belongs to."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[("en", "English"), ("ja", "日本語")],
        blank=True,
        default="",
        help_text=_(
            "Language of the interface and of e-mails sent to this person. Empty until they choose one: "
            "the browser's language is used meanwhile (e-mails: the organisation's default)."
        ),
    )
    is_service_account = models.BooleanField(
        _("service account"),
        default=False,
        help_text=_("An integration that signs in with an API token only; it cannot use the web pages."),
    )

    objects = TobiraUserManager()  # type: ignore[misc]

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs) -> None:
        # A one-NPO install never sees organisations: users land in the default one.
        if self.organisation_id is None:
            self.organisation_id = default_organisation_id()
        super().save(*args, **kwargs)

    def is_verified(self) -> bool:
        """Replaced per request by django_otp's middleware; outside a request nobody is verified."""
        return False

    @cached_property
    def roles(self) -> frozenset[str]:
        names = {group.name for group in self.groups.all()}
        return frozenset(names & {role.value for role in Role})

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_staff_role(self) -> bool:
        """Staff roles must use two-factor sign-in when REQUIRE_2FA is on."""
        return bool(self.roles & STAFF_ROLES) or self.is_superuser

    @property
    def primary_role(self) -> str | None:
        for role in Role:
            if role.value in self.roles:
                return role.value
        return Role.ADMINISTRATOR.value if self.is_superuser else None


class Heartbeat(models.Model):
    """The last time a periodic job ran (beat's heartbeat), read by /healthz; "beat:<host>:<pid>" rows say
    which beat processes send it (two at once: started by mistake)."""

    BEAT_PROCESS_PREFIX = "beat:"

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def read(cls, *names: str, now: datetime) -> tuple[dict[str, datetime | None], list[str]]:
        """When the named jobs last ran (None if never), and the beat processes (host:pid) heard from
        within two of beat's heartbeats and a margin — one stopped or restarted drops out of that window,
        two running at once (started by mistake) both stay in it. One query; the health panel and
        /healthz both read it here."""
        since = now - timedelta(seconds=2 * settings.BEAT_HEARTBEAT_SECONDS + 5)
        prefix = cls.BEAT_PROCESS_PREFIX
        rows = cls.objects.filter(models.Q(name__in=names) | models.Q(name__startswith=prefix, at__gte=since))
        found = dict(rows.values_list("name", "at"))
        processes = sorted(name.removeprefix(prefix) for name in found if name.startswith(prefix))
        return {name: found.get(name) for name in names}, processes
