"""Signed-in browser sessions end after SESSION_IDLE_TIMEOUT without activity and SESSION_ABSOLUTE_TIMEOUT
after signing in (issue 19); each is tracked as a UserSession row so that an administrator can end it.

A shared volunteer computer left signed in must not stay open on a person's case file. The session
itself holds when it was signed in and when it was last active (epoch seconds): the check costs no query.
Last activity is written at most every `activity_resolution()` seconds, so most requests leave the
session (and its row) unsaved; the session may therefore end up to that many seconds early, never late.
Background requests (htmx polling of a progress bar, the page's own expiry check) carry the header
`X-Tobira-Background: 1` and are not activity: an open tab must not keep a session alive for ever.
API tokens are not sessions: a request signed in by a token never reaches these limits.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.models import UserSession

# What the session holds (epoch seconds) and the key of its UserSession row (the key changes when
# Django cycles it, e.g. after a password change).
SIGNED_IN_AT = "tobira_signed_in_at"
ACTIVE_AT = "tobira_active_at"
TRACKED_KEY = "tobira_session_row"
BACKGROUND_HEADER = "HTTP_X_TOBIRA_BACKGROUND"
# Every signed-in answer says how long the session has left, so the page's warning follows in-place
# (htmx) activity without asking.
EXPIRES_HEADER = "X-Session-Expires-In"
USER_AGENT_KEPT = 120

IDLE, ABSOLUTE, ENDED = "idle", "absolute", "ended"
REASONS = (IDLE, ABSOLUTE, ENDED)


def activity_resolution() -> int:
    """How often (seconds) last activity is written: a minute, less for a short idle limit."""
    return max(1, min(60, settings.SESSION_IDLE_TIMEOUT // 30))


def is_background(request: HttpRequest) -> bool:
    """Polling and the page's own expiry check: not activity (asking how long is left never extends it)."""
    if request.META.get(BACKGROUND_HEADER, "") == "1":
        return True
    return request.method == "GET" and request.path == reverse("session_keep_alive")


def session_remaining(session: Any, now: float | None = None) -> int:
    """Seconds until the session ends, by whichever limit comes first (0 when it has)."""
    now = time.time() if now is None else now
    signed_in = session.get(SIGNED_IN_AT)
    active = session.get(ACTIVE_AT)
    if signed_in is None or active is None:
        return settings.SESSION_IDLE_TIMEOUT
    ends = min(active + settings.SESSION_IDLE_TIMEOUT, signed_in + settings.SESSION_ABSOLUTE_TIMEOUT)
    return max(0, math.ceil(ends - now))  # never 0 while it lasts: the page would reload into activity


def expiry_reason(session: Any, now: float) -> str | None:
    signed_in = session.get(SIGNED_IN_AT)
    active = session.get(ACTIVE_AT)
    if signed_in is None or active is None:
        return None
    if now - signed_in >= settings.SESSION_ABSOLUTE_TIMEOUT:
        return ABSOLUTE
    if now - active >= settings.SESSION_IDLE_TIMEOUT:
        return IDLE
    return None


def _duration(seconds: int) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = max(1, round(seconds / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def sign_out_message(reason: str) -> str:
    """What the sign-in page (or the API) says to a person whose session ended."""
    if reason == IDLE:
        return _("You were signed out after %(duration)s without activity. Please sign in again.") % {
            "duration": _duration(settings.SESSION_IDLE_TIMEOUT)
        }
    if reason == ABSOLUTE:
        return _("You were signed out %(duration)s after signing in. Please sign in again.") % {
            "duration": _duration(settings.SESSION_ABSOLUTE_TIMEOUT)
        }
    return _("An administrator ended your session. Please sign in again.")


def _track(request: HttpRequest, user, now: float) -> None:
    """Start counting for this session and keep its row (sign-in, or a session older than this code)."""
    session = request.session
    session[SIGNED_IN_AT] = session.get(SIGNED_IN_AT) or int(now)
    session[ACTIVE_AT] = int(now)
    if not session.session_key:
        session.save()
    key = session.session_key or ""
    moment = timezone.now()
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "created_at": datetime.fromtimestamp(session[SIGNED_IN_AT], tz=UTC),
            "last_activity": moment,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_KEPT],
        },
    )
    session[TRACKED_KEY] = key


def session_touch(request: HttpRequest, *, force: bool = False) -> bool:
    """Record activity now (at most every activity_resolution() seconds unless forced).

    Returns False when the session's row is gone: an administrator ended it (the session store
    itself is deleted too; this catches a store that could not be, such as signed cookies).
    """
    session = request.session
    now = time.time()
    if not force and now - session.get(ACTIVE_AT, 0) < activity_resolution():
        return True
    key = session.session_key or ""
    tracked = session.get(TRACKED_KEY, key)
    updated = UserSession.objects.filter(session_key=tracked).update(
        last_activity=timezone.now(), session_key=key
    )
    if not updated:
        return False
    session[ACTIVE_AT] = int(now)
    session[TRACKED_KEY] = key
    return True


def _login_url(request: HttpRequest, reason: str) -> str:
    query = {"signed_out": reason}
    if request.path == reverse("login"):
        if request.GET.get("next"):
            query["next"] = request.GET["next"]  # the sign-in page itself: keep where it was going
    elif request.headers.get("HX-Request"):
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.path and current.netloc in ("", request.get_host()):
            query["next"] = current.path + (f"?{current.query}" if current.query else "")
    elif request.method == "GET" and not request.path.startswith("/api/") and not is_background(request):
        query["next"] = request.get_full_path()
    else:
        # A POST, the page's own expiry check, a script's call: back to the page it was made from.
        referer = urlsplit(request.headers.get("Referer", ""))
        if referer.path and referer.netloc == request.get_host():
            query["next"] = referer.path + (f"?{referer.query}" if referer.query else "")
    return f"{reverse('login')}?{urlencode(query)}"


def _signed_out(request: HttpRequest, reason: str) -> HttpResponse:
    request.tobira_sign_out_reason = reason  # type: ignore[attr-defined]  # the access log says why
    logout(request)
    message = sign_out_message(reason)
    url = _login_url(request, reason)
    if request.path.startswith("/api/") or request.path == reverse("session_keep_alive"):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "session_expired", "reason": reason}, status=401
        )
        response["HX-Redirect"] = url
        return response
    if request.headers.get("HX-Request"):
        # htmx follows a 302 inside the XHR and would swap the sign-in page into the target.
        response = HttpResponse(status=401)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionTimeoutMiddleware:
    """Ends a signed-in browser session past its idle or absolute limit; records activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # The user is loaded here rather than later (the two-factor middleware does it for every request
        # anyway); a session whose password hash is stale is flushed by it and counts as anonymous.
        if session is None or SESSION_KEY not in session or not request.user.is_authenticated:
            return self.get_response(request)  # anonymous, or an API token (no session)
        now = time.time()
        if session.get(SIGNED_IN_AT) is None:
            _track(request, request.user, now)  # a session signed in before this code
        else:
            reason = expiry_reason(session, now)
            if reason is not None:
                return _signed_out(request, reason)
            if not is_background(request) and not session_touch(request):
                return _signed_out(request, ENDED)
        response = self.get_response(request)
        if SESSION_KEY in request.session:  # still signed in after the view (not a sign-out)
            response[EXPIRES_HEADER] = str(session_remaining(request.session))
        return response


# --- Signals: the row of a session is made at sign-in and removed at sign-out ----------------------


@receiver(user_logged_in, dispatch_uid="tobira_session_signed_in")
def session_signed_in(sender, request, user, **kwargs) -> None:
    if request is None or getattr(request, "session", None) is None or user.is_service_account:
        return
    now = time.time()
    request.session.pop(SIGNED_IN_AT, None)  # a new sign-in starts both clocks again
    _track(request, user, now)
    # Rows of this user's sessions that ended without a sign-out (a closed browser) go now.
    UserSession.objects.filter(user=user).exclude(pk__in=UserSession.objects.live().values("pk")).delete()


@receiver(user_logged_out, dispatch_uid="tobira_session_signed_out")
def session_signed_out(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    keys = {key for key in (session.session_key, session.get(TRACKED_KEY)) if key}
    if keys:
        UserSession.objects.filter(session_key__in=keys).delete()
