"""Employers the organisation works with, and the people to talk to there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Organisation
from casework.roles import Role
from jobs.models.base import is_admin, prefecture_field, signed_in


class Industry(models.TextChoices):
    FOOD_MANUFACTURING = "food_manufacturing", _("Food manufacturing")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    HOSPITALITY = "hospitality", _("Hotels and hospitality")
    RESTAURANTS = "restaurants", _("Restaurants")
    CARE = "care", _("Nursing and care")
    CONSTRUCTION = "construction", _("Construction")
    LOGISTICS = "logistics", _("Logistics and warehousing")
    RETAIL = "retail", _("Retail")
    CLEANING = "cleaning", _("Cleaning and building maintenance")
    AGRICULTURE = "agriculture", _("Agriculture and fisheries")
    IT = "it", _("IT and software")
    OFFICE = "office", _("Office work")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    MICRO = "1-9", _("1–9 people")
    SMALL = "10-49", _("10–49 people")
    MEDIUM = "50-299", _("50–299 people")
    LARGE = "300+", _("300 people or more")


class PartnershipStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class EmployerQuerySet(models.QuerySet["Employer"]):
    def visible_to(self, user) -> EmployerQuerySet:
        """Caseworkers, supervisors and administrators read every employer of their organisation
        (DESIGN.md, access matrix: "employers, openings: all"); trainers none; an employer user only their
        own employer (the portal issue adds memberships)."""
        if not signed_in(user):
            return self.none()
        rows = self.filter(organisation_id=user.organisation_id)
        if is_admin(user) or user.has_role(Role.SUPERVISOR, Role.CASEWORKER):
            return rows
        return self.none()

    def editable_by(self, user) -> EmployerQuerySet:
        """The same staff write employers and openings (the matrix says "write")."""
        return self.visible_to(user)


class Employer(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employers", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name in kana"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices)
    prefecture = prefecture_field(_("prefecture"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    partnership_status = models.CharField(
        _("partnership"), max_length=20, choices=PartnershipStatus.choices, default=PartnershipStatus.PROSPECT
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]
        indexes = [
            # The employer list: an organisation's employers in name order, filtered by partnership.
            models.Index(fields=["organisation", "name", "id"], name="employer_org_name_idx"),
            models.Index(fields=["organisation", "partnership_status"], name="employer_org_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="employer_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class EmployerContactQuerySet(models.QuerySet["EmployerContact"]):
    def visible_to(self, user) -> EmployerContactQuerySet:
        return self.filter(employer__in=Employer.objects.visible_to(user).values("pk"))


class EmployerContact(models.Model):
    """A person to talk to at an employer (not a portal user: those are memberships, the portal issue)."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("employer")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=120, blank=True, help_text=_("For example, HR manager."))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)

    objects = EmployerContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["-is_primary", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer"], condition=Q(is_primary=True), name="employer_one_primary_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employer})"
