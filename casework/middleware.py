"""Middleware: a signed-in staff user kept on the two-factor pages until they pass them; signed-in and API
answers never stored by the browser or a proxy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_otp import user_has_device

# Pages a half-signed-in user may still reach.
TWO_FACTOR_EXEMPT = frozenset(
    {
        "login",
        "logout",
        "two_factor_setup",
        "two_factor_verify",
        "set_language",
        "javascript-catalog",
        "web_manifest",
        "session_keep_alive",  # the expiry warning of the two-factor pages themselves
    }
)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if user.is_service_account and not request.path.startswith("/api/"):
                # Service accounts are for the API; a session for one must not reach the web pages.
                logout(request)
                return redirect("login")
            if not user.is_verified():
                target = self._required_step(user)
                if target and not self._is_exempt(request):
                    if request.path.startswith("/api/"):
                        return JsonResponse(
                            {"detail": _("Two-factor verification is required before using the API.")},
                            status=403,
                        )
                    url = reverse(target)
                    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _required_step(user) -> str | None:
        if user_has_device(user, confirmed=True):
            return "two_factor_verify"
        if settings.REQUIRE_2FA and user.is_staff_role:
            return "two_factor_setup"
        return None

    @staticmethod
    def _is_exempt(request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in TWO_FACTOR_EXEMPT


class PrivateNoStoreMiddleware:
    """Cache-Control: no-store, private on every signed-in page and every API answer (issue 19).

    Case files on a shared volunteer computer must be gone with the sign-out: neither the browser's
    cache, its back button, nor a proxy may keep them. The API says so whoever asks (a token's request
    is signed in only once DRF has read the token, after this middleware's view of the request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


NUL = "\x00"


def _nul_fields(value: Any, path: str) -> Iterator[str]:
    """The names (dotted for nested JSON) of the values that contain a NUL character."""
    if isinstance(value, str):
        if NUL in value:
            yield path or "non_field_errors"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nul_fields(item, f"{path}.{key}" if path else str(key))
            if NUL in str(key):
                yield path or "non_field_errors"
    elif isinstance(value, list):
        for item in value:
            yield from _nul_fields(item, path)


class RefuseNulMiddleware:
    """A NUL character in any text input of the API is a 400 naming the field (issue 19).

    PostgreSQL cannot store or compare text with NUL; a reference with one reached a query and answered
    500. Checked here once for every endpoint: the query string and the body's values (a form's fields, a
    JSON body's, nested names dotted). The pages' forms refuse NUL themselves, next to the field (Django's
    validator, the same words); a path with NUL names nothing that exists (404).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _fields(self, request: HttpRequest) -> list[str]:
        fields = [
            name for name, values in request.GET.lists() for value in values if NUL in value or NUL in name
        ]
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            if request.content_type == "application/json":
                try:
                    body = json.loads(request.body or b"null")
                except (ValueError, UnicodeDecodeError):
                    body = None  # the parser answers malformed JSON itself
                fields.extend(_nul_fields(body, ""))
            elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                fields.extend(
                    name
                    for name, values in request.POST.lists()
                    for value in values
                    if NUL in value or NUL in name
                )
        return list(dict.fromkeys(field.replace(NUL, "") for field in fields))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        fields = self._fields(request)
        if not fields:
            return self.get_response(request)
        message = _("Null characters are not allowed.")  # Django's own words for a form field
        return JsonResponse({field: [message] for field in fields}, status=400)
