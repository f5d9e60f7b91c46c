"""The audit: change history of case data and the access log of reads. Rows are never edited.

Stored values are JSON so that an erasure on request (APPI) can replace a person's personal values
with a marker while who, when and which field stay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.accounts import Organisation
from casework.models.applicants import Applicant
from casework.roles import Role

ERASED_MARKER = "[erased]"


class AuditRowIsImmutable(Exception):
    """Raised when code tries to change or delete an audit row."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise AuditRowIsImmutable("Audit rows cannot be changed.")

    def delete(self):  # type: ignore[override]
        raise AuditRowIsImmutable("Audit rows cannot be deleted.")

    def _erase_update(self, **kwargs) -> int:
        """The one sanctioned write: erasure replaces personal values by the marker."""
        return super().update(**kwargs)

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        rows = self.filter(organisation_id=user.organisation_id)
        if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
            return rows
        if user.has_role(Role.SUPERVISOR):
            return rows.filter(applicant__team__supervisors=user)
        return self.none()


class ImmutableModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.pop("_erasure", False):
            raise AuditRowIsImmutable("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRowIsImmutable("Audit rows cannot be deleted.")


class ChangeRecord(ImmutableModel):
    """One change a person made through a service: who, when, which request, fields old → new."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        ERASE = "erase", _("Erased")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    request_id = models.CharField(max_length=64, blank=True)
    # Where the change came from when not a person's own form: "import:<id>" (issue 18).
    source = models.CharField(max_length=64, blank=True, db_index=True)
    applicant = models.ForeignKey(
        Applicant, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    changes = models.JSONField(default=dict)
    erased = models.BooleanField(default=False)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["applicant", "-at"], name="change_applicant_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.model} {self.object_id} {self.action}"


class AccessLogEntry(ImmutableModel):
    """One read of sensitive data, or a sign-in event."""

    class Kind(models.TextChoices):
        APPLICANT_VIEW = "applicant_view", _("Applicant page viewed")
        LEGAL_VIEW = "legal_view", _("Legal record viewed")
        SENSITIVE_VIEW = "sensitive_view", _("Sensitive information viewed")
        CARD_NUMBER_VIEW = "card_number_view", _("Full residence card number viewed")
        CONFIDENTIAL_NOTE_VIEW = "confidential_note_view", _("Confidential note viewed (break-glass)")
        DOCUMENT_DOWNLOAD = "document_download", _("Document downloaded")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        SHARE_PACKET_VIEW = "share_packet_view", _("Share packet viewed")
        LIST_VIEW = "list_view", _("Listed (a list or search page showed the person)")
        DUPLICATE_CHECK = "duplicate_check", _("Duplicate check")
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        SIGN_OUT = "sign_out", _("Signed out")
        TWO_FACTOR = "two_factor", _("Two-factor event")
        SESSIONS_ENDED = "sessions_ended", _("Sessions ended by an administrator")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    applicant = models.ForeignKey(
        Applicant, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    object_label = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["applicant", "-at"], name="access_applicant_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.kind}"
