"""Interviews the employer proposes from the portal (one to three time slots; the caseworker confirms
one), and the terms an employer gives with an offer or a hire report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobs.models.openings import WageUnit
from jobs.models.referrals import Interview, Referral

MAX_SLOTS = 3


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InterviewProposalQuerySet(models.QuerySet["InterviewProposal"]):
    def visible_to(self, user) -> InterviewProposalQuerySet:
        return self.filter(referral__in=Referral.objects.visible_to(user).values("pk"))

    def editable_by(self, user) -> InterviewProposalQuerySet:
        """Proposals the user may confirm or decline: those of referrals the user may write."""
        return self.filter(referral__in=Referral.objects.editable_by(user).values("pk"))


class InterviewProposal(models.Model):
    """An employer's proposal of an interview: where, whether an interpreter is needed, and its slots."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="interview_proposals", verbose_name=_("referral")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    place = models.CharField(_("where"), max_length=300, blank=True)
    link = models.URLField(_("online link"), blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter_language = models.CharField(_("interpreter's language"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    interview = models.OneToOneField(
        Interview,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("interview"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = InterviewProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview proposal")
        verbose_name_plural = _("interview proposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interpreter_needed=False) | ~Q(interpreter_language=""),
                name="proposal_interpreter_language",
            ),
            models.CheckConstraint(condition=~Q(place="") | ~Q(link=""), name="proposal_place_or_link"),
            # Confirmed exactly when an interview was created from it.
            models.CheckConstraint(
                condition=Q(status="confirmed", interview__isnull=False)
                | (~Q(status="confirmed") & Q(interview__isnull=True)),
                name="proposal_confirmed_interview",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="proposal_declined_reason"
            ),
            # One proposal waiting per referral: a new one follows a decision or a withdrawal.
            models.UniqueConstraint(
                fields=["referral"], condition=Q(status="pending"), name="proposal_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.get_status_display()}"


class ProposalSlot(models.Model):
    proposal = models.ForeignKey(
        InterviewProposal, on_delete=models.CASCADE, related_name="slots", verbose_name=_("proposal")
    )
    starts_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("proposed time")
        verbose_name_plural = _("proposed times")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "starts_at"], name="proposal_slot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.starts_at:%Y-%m-%d %H:%M}"


class TermsKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    HIRE_REPORT = "hire_report", _("Hire report")


class EmploymentTerms(models.Model):
    """What the employer gave with an offer or a hire report (the staff confirm form starts from the last)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="terms", verbose_name=_("referral")
    )
    kind = models.CharField(_("given with"), max_length=20, choices=TermsKind.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours a week"), max_digits=4, decimal_places=1)
    daily_hours = models.DecimalField(_("hours a day"), max_digits=4, decimal_places=2, null=True, blank=True)
    wage = models.PositiveIntegerField(_("base wage (yen)"))
    wage_unit = models.CharField(_("wage per"), max_length=10, choices=WageUnit.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("employment terms")
        verbose_name_plural = _("employment terms")
        ordering = ["referral", "-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(wage__gt=0), name="terms_wage_positive"),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="terms_hours_positive"),
            models.CheckConstraint(
                condition=~Q(kind="hire_report") | Q(start_date__isnull=False), name="terms_hire_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.get_kind_display()}"
