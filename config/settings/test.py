"""Settings for the test suite: the local default, or PostgreSQL/Redis when their URLs are set."""

import os

from .local import *  # noqa: F403
from .local import CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES, VAR_DIR

DEBUG = False
# The tests sign in many users; a fast hasher keeps the suite quick. Production hashing is tested.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REQUIRE_2FA = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A file-backed SQLite test database (not :memory:) so subprocesses (Celery worker, beat) share it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # A test wrapped in a transaction (django_db) would hold SQLite's write lock from its BEGIN IMMEDIATE
    # to its end, so a live server sharing the module's world (tests/browser/test_every_page.py) could not
    # write an access-log row during the test: it waited until the page timed out. DEFERRED takes the lock
    # at the test's first write instead; WAL lets the live server write while the test only reads.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "DEFERRED",
    }
_ = CELERY_BROKER_TRANSPORT_OPTIONS

# Uploaded documents of the test run go to their own folder (removed by `make clean`), one per
# pytest-xdist worker: the workers' databases number their applicants alike.
STORAGES = {
    **STORAGES,  # noqa: F405
    "documents": {
        "BACKEND": "casework.storage.PrivateFileSystemStorage",
        "OPTIONS": {
            "location": str(VAR_DIR / "test-documents" / os.environ.get("PYTEST_XDIST_WORKER", "main")),
            "base_url": None,
        },
    },
}

# Tasks enqueued by the code under test (transaction.on_commit(...delay)) run at once, in the test's
# process and database, instead of leaving messages in a broker nobody reads. The Celery integration
# test runs a real worker and beat with the local settings.
CELERY_TASK_ALWAYS_EAGER = True
