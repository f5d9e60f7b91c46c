"""API permissions: deny by default; a signed-in, active member of an organisation gets in."""

from rest_framework.permissions import BasePermission


class IsAuthenticatedMember(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.organisation_id)
