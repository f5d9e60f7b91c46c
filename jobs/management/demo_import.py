"""The demo's finished import (issue 18): the supervisor imported the sample employer list
docs/import-samples/employers.xlsx, so the Import list has a report to open (its rows, what it created,
its undo within 24 hours).

Through the import framework's services, as a person would take the steps; the dry run and the import
run here synchronously (their task bodies are called directly, the queue held). Idempotent: a done
import of the same file (by its hash) by the same person is recognised, and nothing is done again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from casework import queue
from casework.models import Import, User
from casework.services import import_runs
from casework.services import imports as import_services

SAMPLE = Path(settings.BASE_DIR) / "docs" / "import-samples" / "employers.xlsx"
IMPORTER = "supervisor"


def add_demo_import(organisation_id: int) -> Import | None:
    """The done import of the sample employer list; None when the sample is not in this checkout."""
    if not SAMPLE.exists():
        return None
    content = SAMPLE.read_bytes()
    by = User.objects.get(username=IMPORTER, organisation_id=organisation_id)
    digest = hashlib.sha256(content).hexdigest()
    existing = Import.objects.filter(
        created_by=by, kind="employers", file_hash=digest, status=Import.Status.DONE
    ).first()
    if existing is not None:
        return None
    with queue.held():  # the steps' tasks run below, not from the queue
        imp = import_services.import_upload(
            by=by, kind="employers", upload=SimpleUploadedFile(SAMPLE.name, content)
        )
        imp = import_services.import_map(by=by, imp=imp, columns=dict(imp.mapping["columns"]))
        import_services.import_check_start(by=by, imp=imp)
    import_runs.check_import(imp.pk)
    imp.refresh_from_db()
    with queue.held():
        import_services.import_start(by=by, imp=imp, mode=Import.Mode.VALID_ONLY)
    import_runs.run_import(imp.pk)
    imp.refresh_from_db()
    return imp
