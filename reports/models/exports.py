"""An export written in the background (over EXPORT_SYNC_MAX_ROWS rows): who asked, for which table,
format and filters, its progress and its file (casework's private storage, no URL), kept 24 hours."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _export_storage():
    return storages["documents"]


def _export_path(instance: Export, filename: str) -> str:
    # A random name, never the table's or the user's: the file leaves only through the download view.
    return f"exports/{instance.user_id}/{uuid.uuid4().hex}"


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An export is its maker's alone (administrators included: it holds what its maker could see)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def downloadable(self):
        return self.filter(status=Export.Status.DONE, expires_at__gt=timezone.now()).exclude(file="")


class Export(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    table = models.CharField(_("table"), max_length=60)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # The filters as one canonical query string: what "the same export" means (one at a time).
    filters_key = models.CharField(max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), default=0)
    row_count = models.PositiveIntegerField(_("row count"), null=True, blank=True)
    file = models.FileField(storage=_export_storage, upload_to=_export_path, max_length=300, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # While running: renewed by every progress; past it, the worker is taken as lost (expire_exports).
    lease_until = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created", "-pk"]
        constraints = [
            # An export asked for twice at once: the second finds the first (one task).
            models.UniqueConstraint(
                fields=["user", "table", "format", "filters_key"],
                condition=Q(status__in=["queued", "running"]),
                name="export_one_at_a_time",
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="export_expires_idx")]

    def __str__(self) -> str:
        return f"{self.table}.{self.format} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, int(self.rows_done * 100 / self.rows_total))

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def filename(self) -> str:
        return f"{self.table}-{self.created:%Y%m%d-%H%M}.{self.format}"
