"""What every partner API route shares: who gets in, and no door to hidden fields.

Session or token (an employer's API service account). Only employer users with portal access (jobs.selectors.partner.partner_access) get in; staff get 403
(their API is the staff one). A paused partnership is read-only. Reads go through the partner selectors,
so another employer's object is a 404 like an id that does not exist. There is no filtering, ordering or
search backend (ordering or filtering on a hidden field would leak it), no browsable API and JSON only
(another Accept header is a 406).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer

from jobs.selectors.partner import PartnerAccess, partner_access

PARTNER_TAG = "partner"


class PartnerPermission(BasePermission):
    message = "Only portal users of a partner employer may use the partner API."

    def has_permission(self, request, view) -> bool:
        access = partner_access(request.user)
        if access is None:
            return False
        if request.method not in SAFE_METHODS and access.read_only:
            self.message = "The partnership is paused: the partner API is read-only."
            return False
        view.partner = access
        return True


class PartnerPagination(PageNumberPagination):
    page_size = 25


@extend_schema(tags=[PARTNER_TAG])
class PartnerViewSet(viewsets.GenericViewSet):
    # Session (the portal's users) or a token (an employer's service account, jobs.services.tokens):
    # either way the user passes PartnerPermission through their membership. Token first, so a wrong or
    # revoked token is a 401 with the Token challenge.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [PartnerPermission]
    renderer_classes = [JSONRenderer]
    filter_backends: list[Any] = []
    pagination_class = PartnerPagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    partner: PartnerAccess
