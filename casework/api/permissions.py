"""API permissions: deny by default; a signed-in, active member of an organisation gets in."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from casework.roles import Role

# Roles that may change case records at all; which records is the services' editable_by() question.
CASE_WRITING_ROLES = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)


class IsAuthenticatedMember(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.organisation_id)


def may_write_cases(user) -> bool:
    return bool(user.is_superuser or user.has_role(*CASE_WRITING_ROLES))


def may_reassign_cases(user) -> bool:
    return bool(user.is_superuser or user.has_role(Role.ADMINISTRATOR, Role.SUPERVISOR))


class CaseRecordPermission(IsAuthenticatedMember):
    """Reads are filtered by visible_to(); writes need a casework role before any input is read.

    Trainers and employer users thus get 403 on every write (not a 400 about an applicant they cannot
    see); for the others the service decides per record (editable_by → 403, not visible → 404).
    """

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) == "reassign":
            return may_reassign_cases(request.user)
        return may_write_cases(request.user)
