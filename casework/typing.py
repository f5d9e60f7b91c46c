"""Types shared by views: a request whose user is known to be signed in."""

from django.http import HttpRequest

from casework.models import User


class AuthenticatedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
