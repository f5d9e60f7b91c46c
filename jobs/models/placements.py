"""Placements (a confirmed hire) and their follow-ups at 1, 3, 6 and 12 months."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Applicant
from jobs.models.openings import JobOpening, WageUnit
from jobs.models.referrals import Referral, referral_people


class PlacementQuerySet(models.QuerySet["Placement"]):
    def visible_to(self, user) -> PlacementQuerySet:
        """The placements of the people whose referrals the user may see (the placement names the person
        itself, so no detour through the referrals)."""
        return self.filter(applicant__in=referral_people(user))

    def editable_by(self, user) -> PlacementQuerySet:
        return self.filter(applicant__in=referral_people(user, for_writing=True))


class LeavingReason(models.TextChoices):
    """Why a person left a job: coded, for the organisation's reports and the research partnership."""

    CONTRACT_ENDED = "contract_ended", _("The contract ended")
    BETTER_JOB = "better_job", _("Found a better job")
    LANGUAGE = "language", _("Language difficulties")
    WORKPLACE_RELATIONS = "workplace_relations", _("Relations at work")
    WORKING_CONDITIONS = "working_conditions", _("Hours, wage or conditions")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family reasons")
    STATUS_ENDED = "status_ended", _("Right to work ended")
    MOVED = "moved", _("Moved away")
    DISMISSED = "dismissed", _("Dismissed")
    OTHER = "other", _("Other")


class Placement(models.Model):
    """A hire confirmed by the person's caseworker or their supervisor (from a reported hire)."""

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="placement", verbose_name=_("referral")
    )
    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="placements", verbose_name=_("applicant")
    )
    opening = models.ForeignKey(
        JobOpening, on_delete=models.PROTECT, related_name="placements", verbose_name=_("opening")
    )
    start_date = models.DateField(_("start date"))
    contract_end = models.DateField(_("contract ends"), null=True, blank=True)
    probation_end = models.DateField(_("probation ends"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours a week"), max_digits=4, decimal_places=1)
    daily_hours = models.DecimalField(_("hours a day"), max_digits=4, decimal_places=2)
    wage = models.PositiveIntegerField(_("base wage (yen)"))
    wage_unit = models.CharField(_("wage per"), max_length=10, choices=WageUnit.choices)
    employment_insurance = models.BooleanField(
        _("covered by employment insurance"),
        help_text=_(
            "Worked out from the hours and the expected length; change it if the employer says otherwise."
        ),
    )
    employment_insurance_set_by_hand = models.BooleanField(default=False, editable=False)
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    leaving_reason = models.CharField(
        _("reason for leaving"), max_length=30, choices=LeavingReason.choices, blank=True
    )
    below_minimum_wage_since = models.DateField(
        _("below the minimum wage since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when a new minimum wage takes effect that this wage is below."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed"))
    # The employer's foreign employment status notification (DOMAIN.md §9), as they record it in the portal.
    hire_notification_filed_on = models.DateField(_("hire notification filed on"), null=True, blank=True)
    leaving_notification_filed_on = models.DateField(
        _("leaving notification filed on"), null=True, blank=True
    )
    # The "may work until" date the employer was last told of (the daily portal notifications compare the
    # current one with it); checked_at None: never looked at yet (no "changed" notice the first time).
    may_work_until_notified = models.DateField(null=True, blank=True, editable=False)
    may_work_until_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "pk"]
        indexes = [
            models.Index(fields=["applicant", "start_date"], name="placement_applicant_start_idx"),
            # The placements list, newest start first.
            models.Index(fields=["-start_date", "-id"], name="placement_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(probation_end__isnull=True) | Q(probation_end__gte=models.F("start_date")),
                name="placement_probation_after_start",
            ),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True) | Q(contract_end__gte=models.F("start_date")),
                name="placement_contract_after_start",
            ),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="placement_hours_positive"),
            models.CheckConstraint(condition=Q(wage__gt=0), name="placement_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} @ {self.opening}"


class Difficulty(models.TextChoices):
    """What an employer found hard at a follow-up: a fixed, coded list (research data for the outcome
    reports, counted by the database), with free text beside it."""

    LANGUAGE = "language", _("Japanese language")
    COMMUNICATION = "communication", _("Communication at work")
    WORK_PACE = "work_pace", _("Work pace or skills")
    DOCUMENTS = "documents", _("Documents and administration")
    COMMUTE = "commute", _("Commute")
    HOURS = "hours", _("Working hours or shifts")
    CULTURAL = "cultural", _("Cultural differences")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other")


class FollowUpOutcome(models.TextChoices):
    RETAINED = "retained", _("Still working there")
    AT_RISK = "at_risk", _("At risk")
    LEFT = "left", _("Left")


class Reporter(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    EMPLOYER = "employer", _("Employer")
    PERSON = "person", _("The person")


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def visible_to(self, user) -> FollowUpQuerySet:
        return self.filter(placement__in=Placement.objects.visible_to(user).values("pk"))


class FollowUp(models.Model):
    """A check at start + 1, 3, 6 or 12 months: one row per placement and month, created with the
    placement (due dates from jobs.rules), recorded once (a second record of a month updates it)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("placement")
    )
    month = models.PositiveSmallIntegerField(_("month"))
    due_on = models.DateField(_("due"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=FollowUpOutcome.choices, blank=True)
    leaving_reason = models.CharField(
        _("reason for leaving"), max_length=30, choices=LeavingReason.choices, blank=True
    )
    reported_by = models.CharField(_("reported by"), max_length=20, choices=Reporter.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    difficulty_note = models.TextField(_("difficulties in your words"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        indexes = [
            # Follow-ups due (the deadline source, the "due" list): open ones by due date.
            models.Index(fields=["due_on"], condition=Q(outcome=""), name="followup_open_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="followup_one_per_month"),
            models.CheckConstraint(
                condition=~Q(outcome="left") | ~Q(leaving_reason=""), name="followup_left_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement} +{self.month}"


class FollowUpDifficulty(models.Model):
    """One difficulty an employer named at a follow-up (one row per code, so reports count them)."""

    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="difficulties", verbose_name=_("follow-up")
    )
    code = models.CharField(_("difficulty"), max_length=20, choices=Difficulty.choices)

    class Meta:
        verbose_name = _("difficulty at a follow-up")
        verbose_name_plural = _("difficulties at follow-ups")
        ordering = ["follow_up", "code"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "code"], name="followup_difficulty_once"),
        ]

    def __str__(self) -> str:
        return f"{self.follow_up}: {self.code}"
