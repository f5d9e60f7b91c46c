"""Referrals of a person to an opening, their stage history, and interviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Applicant
from casework.roles import Role
from jobs.models.base import is_admin, signed_in
from jobs.models.openings import JobOpening


class Stage(models.TextChoices):
    """DESIGN.md's stages plus hire_reported: a hire the employer (or staff) reported, not yet confirmed."""

    PROPOSED = "proposed", _("Proposed")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
    SHARED = "shared", _("Shared with the employer")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRE_REPORTED = "hire_reported", _("Hire reported")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReasonCode(models.TextChoices):
    """Why a referral ended or went back: coded, for the research partnership (DOMAIN.md §9)."""

    LANGUAGE = "language", _("Japanese level")
    SKILLS = "skills", _("Skills or experience")
    RIGHT_TO_WORK = "right_to_work", _("Right to work")
    HOURS = "hours", _("Hours or shifts")
    COMMUTE = "commute", _("Commute")
    WAGE = "wage", _("Wage")
    PERSON_DECLINED = "person_declined", _("The person declined")
    EMPLOYER_DECLINED = "employer_declined", _("The employer declined")
    NO_SHOW = "no_show", _("Did not attend")
    POSITION_FILLED = "position_filled", _("The opening was filled")
    PLACED_ELSEWHERE = "placed_elsewhere", _("Placed elsewhere")
    CONSENT_REVOKED = "consent_revoked", _("Consent revoked")
    CORRECTION = "correction", _("Correcting a mistake")
    OTHER = "other", _("Other")


def referral_people(user, *, for_writing: bool = False):
    """The people whose referrals and placements the user may see (own caseload, the team's when shared,
    led teams, all for administrators) or move (a shared team caseload is read-only); trainers and
    employers none (the portal issue adds employers). As ids, for an IN condition."""
    if not signed_in(user) or not (is_admin(user) or user.has_role(Role.SUPERVISOR, Role.CASEWORKER)):
        return Applicant.objects.none().values("pk")
    people = Applicant.objects.editable_by(user) if for_writing else Applicant.objects.visible_to(user)
    return people.values("pk")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user) -> ReferralQuerySet:
        """Referrals of the people whose profile the user may read (referral_people)."""
        return self.filter(applicant__in=referral_people(user))

    def editable_by(self, user) -> ReferralQuerySet:
        """Referrals the user may move: own caseload, led teams, all for administrators."""
        return self.filter(applicant__in=referral_people(user, for_writing=True))


class Referral(models.Model):
    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("applicant")
    )
    opening = models.ForeignKey(
        JobOpening, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("opening")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PROPOSED)
    reason_code = models.CharField(_("reason"), max_length=30, choices=ReasonCode.choices, blank=True)
    reason_text = models.TextField(_("reason in words"), blank=True)
    stage_changed_at = models.DateTimeField(_("stage since"))
    reported_start_date = models.DateField(
        _("start date reported"),
        null=True,
        blank=True,
        help_text=_("The start date given with a hire report."),
    )
    # DOMAIN.md §9: the organisation's own check does not relieve the employer, who must see the card
    # (both sides) and the designation paper itself before hiring; a hire report says on which day.
    documents_seen_on = models.DateField(
        _("residence card and designation paper seen on"),
        null=True,
        blank=True,
        help_text=_(
            "Given with a hire report: the day the employer saw the residence card and designation paper."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)  # two staff moving one card: one wins
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-stage_changed_at", "pk"]
        indexes = [
            # The pipeline board: an opening's referrals by stage.
            models.Index(fields=["opening", "stage"], name="referral_opening_stage_idx"),
            # A person's referrals (the employment panel, "already referred", closing the others on hire).
            models.Index(fields=["applicant", "stage"], name="referral_applicant_stage_idx"),
            # The referrals list, most recent move first.
            models.Index(fields=["-stage_changed_at", "-id"], name="referral_recent_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "opening"], name="referral_unique_person_opening"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.opening}"


class StageChange(models.Model):
    """One move of a referral: who, when, from and to, and why (the referral's stage history)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("referral")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    reason_code = models.CharField(_("reason"), max_length=30, choices=ReasonCode.choices, blank=True)
    reason_text = models.TextField(_("reason in words"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["referral", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_stage or '—'} → {self.to_stage}"


class InterviewOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet")
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")
    NO_SHOW = "no_show", _("Did not attend")
    CANCELLED = "cancelled", _("Cancelled")


class InterviewQuerySet(models.QuerySet["Interview"]):
    def visible_to(self, user) -> InterviewQuerySet:
        return self.filter(referral__in=Referral.objects.visible_to(user).values("pk"))


class Interview(models.Model):
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("referral")
    )
    starts_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=300, blank=True)
    link = models.URLField(_("online link"), blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter_language = models.CharField(_("interpreter's language"), max_length=60, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=InterviewOutcome.choices, default=InterviewOutcome.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interpreter_needed=False) | ~Q(interpreter_language=""),
                name="interview_interpreter_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral} {self.starts_at:%Y-%m-%d %H:%M}"
