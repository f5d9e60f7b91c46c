"""Case records around the legal core: notes, tasks and documents."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.applicants import Applicant
from casework.roles import Role


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
