"""Service errors as API errors: the service's message, keyed by the service's field name, never a 500.

Services raise django.core.exceptions.ValidationError naming fields (DESIGN.md: the UI shows it on
the form, the API returns 400 with the same message). Every write in casework/api/ calls its service
inside ``with service_errors():`` so that conversion lives here once. PermissionDenied and Http404
need nothing: DRF's exception handler answers them with 403 and 404.

A stale write (``applicant_update`` raising a non-field error with code ``stale``) is answered
with 409 Conflict rather than 400: the request was valid, the record moved on under it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ErrorDetail
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.settings import api_settings

STALE = "stale"


class Conflict(APIException):
    """409: someone else saved the record after the client read it (optimistic locking)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone else saved this record after you read it.")
    default_code = STALE


def _details(errors: list[DjangoValidationError]) -> list[ErrorDetail]:
    details: list[ErrorDetail] = []
    for error in errors:
        code = error.code or "invalid"
        # Iterating a ValidationError yields its messages with their parameters filled in.
        details.extend(ErrorDetail(str(message), code=code) for message in error)
    return details


def api_error(error: DjangoValidationError) -> APIException:
    """The API exception for a service's ValidationError (same messages, same field names, codes kept)."""
    if hasattr(error, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): _details(errors)
            for field, errors in error.error_dict.items()
        }
        if any(item.code == STALE for item in detail.get(api_settings.NON_FIELD_ERRORS_KEY, [])):
            return Conflict(detail[api_settings.NON_FIELD_ERRORS_KEY][0])
        return ApiValidationError(detail)
    messages = _details(error.error_list)
    stale = [message for message in messages if message.code == STALE]
    if stale:
        return Conflict(stale[0])
    return ApiValidationError({api_settings.NON_FIELD_ERRORS_KEY: messages})


@contextmanager
def service_errors() -> Iterator[None]:
    """Run a service call; turn its ValidationError into the matching API error."""
    try:
        yield
    except DjangoValidationError as error:
        raise api_error(error) from error
