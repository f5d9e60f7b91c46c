"""Settings of the Celery workers the fault tests start and kill (tests/casework/imports/
test_import_worker_lost.py, tests/faults/test_export_killed.py): the local settings, the broker keys
under the test's own prefix (tests/broker_helpers.py), small import chunks and frequent export progress
so that a job of a few thousand rows takes seconds and can be caught mid-way."""

import os

from config.settings.local import *  # noqa: F403
from config.settings.local import CELERY_BROKER_TRANSPORT_OPTIONS

_prefix = os.environ.get("TEST_BROKER_KEY_PREFIX", "")
if _prefix:
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": _prefix}

IMPORT_CHUNK_ROWS = int(os.environ.get("IMPORT_CHUNK_ROWS", "500"))
EXPORT_PROGRESS_EVERY = int(os.environ.get("EXPORT_PROGRESS_EVERY", "0"))
