"""/healthz: database, broker and scheduler status as JSON, answered before any other middleware."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone


def check_database(alias: str = "default") -> dict[str, Any]:
    started = time.monotonic()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the reason is reported, not raised
        connections[alias].close()
        return {"ok": False, "error": exc.__class__.__name__}
    return {
        "ok": True,
        "vendor": connections[alias].vendor,
        "ms": round((time.monotonic() - started) * 1000, 1),
    }


# Seconds the broker may take to connect and to answer. Without a read timeout a broker that accepts
# the connection but never answers (a hung Redis, a firewall that swallows packets) would hang /healthz
# and the web worker serving it; the connect timeout alone does not cover that.
BROKER_CHECK_TIMEOUT = 2.0


def check_broker() -> dict[str, Any]:
    from config.celery import app

    started = time.monotonic()
    transport = str(app.conf.broker_url).split("://", 1)[0]
    timeouts = {"socket_timeout": BROKER_CHECK_TIMEOUT, "socket_connect_timeout": BROKER_CHECK_TIMEOUT}
    try:
        with app.connection_for_write(transport_options=timeouts) as conn:
            conn.ensure_connection(
                max_retries=0, interval_start=0, interval_step=0, timeout=BROKER_CHECK_TIMEOUT
            )
    except Exception as exc:
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__}
    return {"ok": True, "transport": transport, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_beat(database_ok: bool) -> dict[str, Any]:
    if not database_ok:
        return {"ok": False, "error": "database unavailable"}
    from casework.models import Heartbeat

    now = timezone.now()
    try:
        # One query: beat's last heartbeat, and the beat processes heard from lately (each signs it).
        found, processes = Heartbeat.read("beat", now=now)
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    last: datetime | None = found["beat"]
    if last is None:
        return {"ok": False, "last_run_at": None, "error": "beat has not run yet"}
    age = (now - last).total_seconds()
    return {
        "ok": age <= settings.BEAT_STALE_AFTER_SECONDS,
        "last_run_at": last.isoformat(),
        "age_seconds": round(age),
        # More than one: beats started by mistake (every periodic task is sent by each); still "ok".
        "processes": len(processes),
    }


def health_report() -> tuple[bool, dict[str, Any]]:
    database = check_database()
    broker = check_broker()
    beat = check_beat(database["ok"])
    healthy = database["ok"] and broker["ok"] and beat["ok"]
    report = {
        "status": "ok" if healthy else "down",
        "time": timezone.now().isoformat(),
        "checks": {"database": database, "broker": broker, "beat": beat},
    }
    return healthy, report


def _signed_in_staff(request: HttpRequest) -> bool:
    """Whether the caller's session is a staff user's, read here (this answers before the session and
    authentication middleware run); any failure — a down database — means no."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    try:
        from importlib import import_module

        from django.contrib.auth import get_user

        request.session = import_module(settings.SESSION_ENGINE).SessionStore(key)
        user = get_user(request)
        return bool(user.is_authenticated and getattr(user, "is_staff_role", False))
    except Exception:
        return False


class HealthCheckMiddleware:
    """Answers /healthz first, so a down database or session store cannot turn it into a 500.

    The details (database vendor, broker transport, beat's timing) go to signed-in staff, or to anyone
    where HEALTH_DETAILS_PUBLIC is on (development); production tells others only "ok" or "down".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            healthy, report = health_report()
            if not getattr(settings, "HEALTH_DETAILS_PUBLIC", True) and not _signed_in_staff(request):
                report = {"status": report["status"]}
            response = JsonResponse(report, status=200 if healthy else 503)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
