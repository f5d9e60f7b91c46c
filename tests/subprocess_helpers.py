"""Helpers for tests that run Tobira in other processes (Celery worker and beat, concurrent commands)
against the test's own database: the DATABASE_URL of the test database, an environment that imports
this checkout's code, and waiting until the subprocesses' PostgreSQL sessions are gone."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def database_url(application_name: str) -> str:
    """The test database the test itself uses, as a DATABASE_URL for subprocesses.

    On PostgreSQL the sessions carry `application_name`, so teardown can wait until they are gone.
    """
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        netloc = f"{credentials}@{host}{port}" if credentials else f"{host}{port}"
        return f"postgres://{netloc}/{quote(db['NAME'], safe='')}?application_name={application_name}"
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        assert name and ":memory:" not in name and "mode=memory" not in name, (
            "The SQLite test database must be a file for subprocesses to share it (config/settings/test.py)."
        )
        return f"sqlite:///{Path(name).resolve()}"
    pytest.fail(f"No DATABASE_URL recipe for the {connection.vendor} backend.")


def subprocess_env(*, application_name: str, **extra: str) -> dict[str, str]:
    """The environment of a subprocess that imports this checkout's code and uses the test database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url(application_name),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BASE_DIR), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "false",
        **extra,
    }


def wait_for_subprocess_sessions_to_end(application_name: str, *, timeout: float = 15) -> None:
    """PostgreSQL drops the test database at the end of the run only when nobody is connected."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = %s",
                [application_name],
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.2)
