"""What jobs' staff pages share: who may open them, the way back after a form, a form's service write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.http import url_has_allowed_host_and_scheme

from casework.access import role_required
from casework.forms.base import apply_service_error
from casework.roles import Role
from casework.typing import AuthenticatedRequest

# Staff who work with employers and referrals (DESIGN.md's matrix): never trainers, never employer users.
jobs_staff = role_required(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)
PAGE_SIZE = 25


def safe_next(request: AuthenticatedRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def write(form: Any, call: Callable[[], Any]) -> Any:
    """Run a service write in one transaction; on refusal, the messages land on the form and None returns."""
    try:
        with transaction.atomic():
            return call()
    except ValidationError as error:
        apply_service_error(form, error)
        return None


def is_htmx(request: AuthenticatedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
