"""Job openings: what an employer offers, where, for how much, from when, and for which level."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Shift
from jobs.models.base import prefecture_field
from jobs.models.employers import Employer
from learning.rules import CEFR_CHOICES


class WageUnit(models.TextChoices):
    HOURLY = "hourly", _("an hour")
    DAILY = "daily", _("a day")
    MONTHLY = "monthly", _("a month")


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent (正社員)")
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    PART_TIME = "part_time", _("Part-time")
    DISPATCH = "dispatch", _("Agency (dispatched)")
    OTHER = "other", _("Other")


class ShiftPattern(models.TextChoices):
    DAY = Shift.DAY.value, _("Day")
    EVENING = Shift.EVENING.value, _("Evening")
    NIGHT = Shift.NIGHT.value, _("Night")
    ROTATING = "rotating", _("Rotating shifts")
    FLEXIBLE = "flexible", _("Flexible")


class OpeningStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted by the employer")
    RETURNED = "returned", _("Returned to the employer")
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class JobOpeningQuerySet(models.QuerySet["JobOpening"]):
    def visible_to(self, user) -> JobOpeningQuerySet:
        return self.filter(employer__in=Employer.objects.visible_to(user).values("pk"))

    def editable_by(self, user) -> JobOpeningQuerySet:
        return self.filter(employer__in=Employer.objects.editable_by(user).values("pk"))


class JobOpening(models.Model):
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="openings", verbose_name=_("employer")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    prefecture = prefecture_field(_("workplace prefecture"))
    address = models.CharField(_("workplace address"), max_length=300, blank=True)
    hours_per_week = models.DecimalField(_("hours a week"), max_digits=4, decimal_places=1)
    daily_hours = models.DecimalField(_("hours a day"), max_digits=4, decimal_places=2)
    shift_pattern = models.CharField(
        _("shifts"), max_length=20, choices=ShiftPattern.choices, default=ShiftPattern.DAY
    )
    wage = models.PositiveIntegerField(
        _("base wage (yen)"),
        help_text=_(
            "The base wage only: not commuting, family or attendance allowances, overtime or bonuses."
        ),
    )
    wage_unit = models.CharField(_("wage per"), max_length=10, choices=WageUnit.choices)
    contract_type = models.CharField(_("contract"), max_length=20, choices=ContractType.choices)
    start_date = models.DateField(_("start date"))
    probation_months = models.PositiveSmallIntegerField(
        _("probation (months)"), null=True, blank=True, help_text=_("Leave empty when there is none.")
    )
    required_level = models.CharField(
        _("Japanese level required (CEFR)"), max_length=2, choices=CEFR_CHOICES, blank=True
    )
    required_skills = models.JSONField(_("skills required"), default=list, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=OpeningStatus.choices, default=OpeningStatus.DRAFT
    )
    status_note = models.TextField(
        _("note on the status"), blank=True, help_text=_("Why it was returned or closed.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = JobOpeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("job opening")
        verbose_name_plural = _("job openings")
        ordering = ["-start_date", "title", "pk"]
        indexes = [
            # An employer's openings, newest start first (the employer page, the portal).
            models.Index(fields=["employer", "start_date"], name="opening_employer_start_idx"),
            # The openings list filtered by status, newest start first.
            models.Index(fields=["status", "start_date"], name="opening_status_start_idx"),
            # The openings list in its order: newest start first, then by title.
            models.Index(fields=["-start_date", "title", "id"], name="opening_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="opening_hours_positive"),
            models.CheckConstraint(condition=Q(daily_hours__gt=0), name="opening_daily_hours_positive"),
            models.CheckConstraint(condition=Q(wage__gt=0), name="opening_wage_positive"),
            models.CheckConstraint(condition=Q(places__gte=1), name="opening_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"
