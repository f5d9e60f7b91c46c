"""Case records around the legal core: consent, sensitive information, notes, tasks, documents."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
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


def _own_caseload_and_led_teams(user) -> Q | None:
    """Assigned caseworker or the team's supervisors; None means administrators (all)."""
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return None
    condition = Q(pk__in=[])
    if user.has_role(Role.CASEWORKER):
        condition |= Q(applicant__caseworker=user)
    if user.has_role(Role.SUPERVISOR):
        condition |= Q(applicant__team__supervisors=user)
    return condition


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


class WithApplicantQuerySet(models.QuerySet):
    """Notes and tasks: read whenever the applicant is (a shared team caseload included, read-only),
    changed by those who may change the applicant. Legal records and documents have a narrower door."""

    def visible_to(self, user):
        return self.filter(applicant__in=Applicant.objects.visible_to(user).values("pk"))

    def editable_by(self, user):
        return self.filter(applicant__in=Applicant.objects.editable_by(user).values("pk"))


class CaseNoteQuerySet(WithApplicantQuerySet):
    def visible_to(self, user):
        """Open notes with the applicant; confidential ones only to the author, the assigned caseworker
        and the team's supervisors (administrators through the logged break-glass view)."""
        rows = super().visible_to(user)
        if not getattr(user, "is_authenticated", False):
            return rows
        confidential_ok = Q(author=user) | Q(applicant__caseworker=user)
        if user.has_role(Role.SUPERVISOR):
            confidential_ok |= Q(applicant__team__supervisors=user)
        allowed = self.model.objects.filter(Q(confidential=False) | confidential_ok).values("pk")
        return rows.filter(pk__in=allowed)


class CaseNote(models.Model):
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only you, the assigned caseworker and the team's supervisors can read it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["applicant", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.text[:40]}"


class Task(models.Model):
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("assignee"),
    )
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WithApplicantQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["done", "due_date", "pk"]
        indexes = [models.Index(fields=["assignee", "done", "due_date"], name="task_assignee_idx")]

    def __str__(self) -> str:
        return self.title


def _document_storage():
    return storages["documents"]


def _document_path(instance: Document, filename: str) -> str:
    # Never the user's file name on disk: a random name under the applicant's folder.
    return f"applicants/{instance.applicant_id}/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents: own caseload, the teams one leads, administrators (every download logged)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        rows = self.filter(applicant__organisation_id=user.organisation_id)
        condition = _own_caseload_and_led_teams(user)
        if condition is None:
            return rows
        return rows.filter(pk__in=self.model.objects.filter(condition).values("pk"))


class Document(models.Model):
    class Kind(models.TextChoices):
        RESIDENCE_CARD = "residence_card", _("Residence card")
        DESIGNATION_SHEET = "designation_sheet", _("Designation sheet")
        CONSENT_FORM = "consent_form", _("Consent form")
        CERTIFICATE = "certificate", _("Certificate")
        OTHER = "other", _("Other")

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    file = models.FileField(storage=_document_storage, upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["applicant", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name
