"""Settings of the Celery worker that tests/casework/imports/test_import_worker_lost.py starts and kills:
the local settings with small import chunks, so that an import of a few thousand rows takes seconds."""

import os

from config.settings.local import *  # noqa: F403

IMPORT_CHUNK_ROWS = int(os.environ.get("IMPORT_CHUNK_ROWS", "500"))
