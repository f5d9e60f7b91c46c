"""Role checks for views: deny by default, one decorator and one mixin."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


def role_required(*roles: str) -> Callable:
    """Allow a signed-in user holding any of the roles (superusers count as administrators)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not (user.has_role(*roles) or (user.is_superuser and "administrator" in roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(LoginRequiredMixin):
    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (
            user.has_role(*self.allowed_roles)
            or (user.is_superuser and "administrator" in self.allowed_roles)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
