"""Consent and sensitive information (要配慮): what a person agreed to, and the texts only a consent lets in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.applicants import Applicant
from casework.models.legal import ApplicantRecordQuerySet
from casework.roles import Role


class ConsentPurpose(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    SENSITIVE_INFORMATION = "sensitive_information", _("Sensitive information")
    SHARE_WITH_EMPLOYER = "share_with_employer", _("Share with a named employer")
    RESEARCH = "research", _("Research (anonymised)")
    TRANSFER_ABROAD = "transfer_abroad", _("Transfer abroad")


class FieldGroup(models.TextChoices):
    """The fixed vocabulary of what a consent may cover (DESIGN.md, Consent)."""

    CONTACT = "contact", _("Contact details")
    NATIONALITY = "nationality", _("Nationality")
    LANGUAGES = "languages", _("Languages")
    SKILLS = "skills", _("Skills")
    WORK_HISTORY = "work_history", _("Work history")
    EDUCATION = "education", _("Education")
    JAPANESE_LEVEL = "japanese_level", _("Japanese level")
    MAY_WORK_UNTIL = "may_work_until", _("May work until")
    DOCUMENTS = "documents", _("Documents")


class Consent(models.Model):
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    employer_name = models.CharField(
        _("employer"), max_length=200, blank=True, help_text=_("For sharing with an employer: which one.")
    )
    # Set by the jobs app ("jobs.employer:<id>") so a consent can name a partner employer without
    # casework importing jobs.
    employer_ref = models.CharField(max_length=64, blank=True, db_index=True)
    scope = models.JSONField(_("covers"), default=list, blank=True)
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    form_document = models.ForeignKey(
        "casework.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed form"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["applicant", "-granted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("granted_on")),
                name="consent_expiry_not_before_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.granted_on}"

    def is_current_on(self, day) -> bool:
        return (
            self.granted_on <= day
            and (self.expires_on is None or day <= self.expires_on)
            and (self.revoked_on is None or day < self.revoked_on)
        )


class SensitiveQuerySet(models.QuerySet):
    def held_for(self, user):
        """The records of the people whose sensitive information the user looks after: the assigned
        caseworker and the team's supervisors only (administrators neither: no break-glass for these
        texts). Whatever the consent says: for knowing what an erasure removes, never for showing it."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        condition = Q(pk__in=[])
        if user.has_role(Role.CASEWORKER):
            condition |= Q(applicant__caseworker=user)
        if user.has_role(Role.SUPERVISOR):
            condition |= Q(applicant__team__supervisors=user)
        return self.filter(applicant__organisation_id=user.organisation_id).filter(
            pk__in=self.model.objects.filter(condition).values("pk")
        )

    def visible_to(self, user, *, on=None):
        """The texts the user may read: held_for(user), and only while the person's sensitive-information
        consent is current on the day (today by default); a revoked or expired consent hides them at once,
        wherever they would show (the section, the API, the history)."""
        day = on or timezone.localdate()
        covering = Consent.objects.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=day),
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
            applicant=models.OuterRef("applicant"),
            purpose=ConsentPurpose.SENSITIVE_INFORMATION,
            granted_on__lte=day,
        )
        return self.held_for(user).filter(models.Exists(covering))


class SensitiveRecord(models.Model):
    """要配慮個人情報: one section per category, saved only under a current consent (DOMAIN.md §8)."""

    class Category(models.TextChoices):
        PERSECUTION = "persecution", _("Persecution narrative")
        HEALTH = "health", _("Health")
        DETENTION = "detention", _("Detention or criminal procedure")

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="sensitive_records")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("text"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("sensitive information")
        verbose_name_plural = _("sensitive information")
        ordering = ["applicant", "category"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "category"], name="sensitive_one_per_category")
        ]

    def __str__(self) -> str:
        return self.get_category_display()
