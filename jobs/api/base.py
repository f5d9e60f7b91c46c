"""What the jobs API shares: who gets in, and the write helper that re-reads through the user's door.

Staff roles only (DESIGN.md's access matrix): caseworkers, supervisors and administrators read and
write through the services; trainers get empty lists (visible_to() says none) and 403 on writes;
employer users get 403 on every route of this staff API (their own API is the partner portal's).
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS

from casework.api.base import CaseRecordViewSet
from casework.api.pagination import CappedCountPagination
from casework.api.permissions import IsAuthenticatedMember, may_write_cases
from casework.roles import Role

STAFF_ROLES = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER)


def is_employer_user(user: Any) -> bool:
    """An employer partner without any staff role: the staff API is closed to them."""
    return bool(not user.is_superuser and user.has_role(Role.EMPLOYER) and not user.has_role(*STAFF_ROLES))


class JobsStaffPermission(IsAuthenticatedMember):
    """Members with a staff role; writes need a casework-writing role before any input is read."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if is_employer_user(request.user):
            return False
        if request.method in SAFE_METHODS:
            return True
        return may_write_cases(request.user)


class JobsViewSet(CaseRecordViewSet):
    """CaseRecordViewSet's behaviour (visible_to reads, service writes, lists filtered, no PUT)."""

    permission_classes = [JobsStaffPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    pagination_class = CappedCountPagination
