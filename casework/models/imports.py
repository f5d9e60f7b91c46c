"""Spreadsheet imports (issue 18): the file, its mapping, the dry run's verdict on every row, the run
and what it created (so that it can be undone), and the last mapping a user chose for each kind."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.accounts import Organisation
from casework.roles import Role

UNDO_WINDOW = timedelta(hours=24)


def _import_storage():
    return storages["documents"]


def _import_path(instance: Import, filename: str) -> str:
    # A random name: the file is read by the import only and never served.
    return f"imports/{instance.organisation_id}/{uuid.uuid4().hex}"


class ImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Imports are their maker's; an administrator sees every import of the organisation."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        mine = self.filter(organisation_id=user.organisation_id)
        if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
            return mine
        if not user.has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.TRAINER):
            return self.none()
        return mine.filter(created_by=user)


class Import(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Dry run in progress")
        CHECKED = "checked", _("Dry run done")
        QUEUED = "queued", _("Waiting to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        UNDONE = "undone", _("Undone")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All or nothing")
        VALID_ONLY = "valid", _("Only the valid rows")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports", verbose_name=_("by")
    )
    created = models.DateTimeField(_("uploaded"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=30)
    target = models.CharField(max_length=40, blank=True)  # a team's or course's id, as the importer says
    target_label = models.CharField(_("into"), max_length=200, blank=True)
    file = models.FileField(storage=_import_storage, upload_to=_import_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_hash = models.CharField(_("file hash (SHA-256)"), max_length=64, db_index=True)
    file_size = models.PositiveIntegerField(default=0)
    file_format = models.CharField(max_length=4)
    encoding = models.CharField(max_length=20, blank=True)
    sheets = models.JSONField(default=list, blank=True)  # [{"name", "hidden", "rows"}]
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    headers = models.JSONField(default=list, blank=True)
    header_row = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(
        default=dict, blank=True
    )  # {"columns": {field: header}, "statuses": {label: kind}}
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    mode = models.CharField(_("what to import"), max_length=5, choices=Mode.choices, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_error = models.PositiveIntegerField(_("rows with errors"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("possible duplicates"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["status", "lease_until"], name="import_lease_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind}) #{self.pk}"

    @property
    def source(self) -> str:
        """What the change history of every record it wrote says: it came from this import."""
        return f"import:{self.pk}"

    @property
    def undo_until(self):
        return self.finished_at + UNDO_WINDOW if self.finished_at else None

    @property
    def percent(self) -> int | None:
        """How far the dry run or import is, when its total is known."""
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.QUEUED, self.Status.IMPORTING)


class ImportRow(models.Model):
    """The dry run's verdict on one row and, after the run, what became of it."""

    class Verdict(models.TextChoices):
        VALID = "valid", _("Valid")
        ERROR = "error", _("Error")
        DUPLICATE = "duplicate", _("Possible duplicate")

    class Outcome(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    import_run = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    verdict = models.CharField(_("dry run"), max_length=10, choices=Verdict.choices)
    label = models.CharField(max_length=200, blank=True)  # who or what the row is about, for the table
    errors = models.JSONField(default=list, blank=True)  # [[column, message]]
    notes = models.JSONField(default=list, blank=True)
    candidates = models.JSONField(default=list, blank=True)  # [{"pk", "label"}]
    same_as_row = models.PositiveIntegerField(null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    records = models.JSONField(default=list, blank=True)  # created: [[model label, pk]]
    before = models.JSONField(default=list, blank=True)  # updated: [[model label, pk, {field: value}]]

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["import_run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["import_run", "number"], name="import_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.import_run_id}:{self.number} {self.verdict}"


class ImportMapping(models.Model):
    """The last mapping a user chose for a kind of import, proposed the next time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    mapping = models.JSONField(default=dict)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="import_mapping_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"
