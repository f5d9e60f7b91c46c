"""What learning's pages share: who works with learners, the way back after a form, finding a learner."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from casework.access import role_required
from casework.models import Applicant
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from learning.selectors import learners_visible

# Everyone who works with learners; employer partners have no learner pages (access matrix).
learning_staff = role_required(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER)


def learner_of(request: AuthenticatedRequest, reference_code: str) -> Applicant:
    return get_object_or_404(learners_visible(user=request.user), reference_code=reference_code)


def safe_next(request: AuthenticatedRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
