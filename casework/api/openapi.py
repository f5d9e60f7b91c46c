"""The API description says what the API answers: blank values where they are stored, and the errors.

drf-spectacular's AutoSchema, with two corrections found by schemathesis (issue 19):

- A read-only field of a model field with ``blank=True`` is returned as ``""`` when nothing is stored
  (a renewal decision not yet taken, an employer contact without an e-mail address). DRF drops
  ``allow_blank`` from read-only fields, so the description listed only the choices (or ``format:
  email``) and every blank response violated it. The description now admits ``""`` there, as it
  already does for the same field in requests: clients send and receive the same "none".
- Error responses are described for every operation, with the bodies DRF's exception handler and
  casework/api/errors.py actually send: 400 (a field's messages, keyed by the field name) for
  operations that take a body or query parameters, 401, 403 and 404 (``{"detail": ...}``) for all.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in the user's language."}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "The messages of each field that was refused, keyed by the field's name (non_field_errors for "
        "the request as a whole); a request that could not be parsed has a detail instead."
    ),
    "additionalProperties": {},
}
ERROR_DESCRIPTIONS = {
    "400": _("The request was refused: the body names each field and what is wrong with it."),
    "401": _("Not signed in, or the token is not valid."),
    "403": _("Signed in, but this account may not do this."),
    "404": _("Something the request names does not exist, or this account may not see it."),
}


def _blank_in_model(field: serializers.Field) -> bool:
    """Whether a read-only serializer field shows a model field that may be stored blank."""
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = field.source
    if model is None or not isinstance(source, str) or not source or "." in source or source == "*":
        return False
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return False
    return bool(getattr(model_field, "blank", False)) and not model_field.is_relation


class TobiraAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            field.read_only
            and isinstance(field, serializers.CharField | serializers.ChoiceField)
            and not getattr(field, "allow_blank", False)
            and _blank_in_model(field)
        ):
            # Only describes what is returned; a read-only field validates nothing.
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _error_ref(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref

    def _error_response(self, code: str) -> dict[str, Any]:
        if code == "400":
            ref = self._error_ref("ValidationError", VALIDATION_ERROR_SCHEMA)
        else:
            ref = self._error_ref("Error", ERROR_SCHEMA)
        return {
            "description": str(ERROR_DESCRIPTIONS[code]),
            "content": {"application/json": {"schema": ref}},
        }

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        # 404 everywhere: an object in the path, in the body or in the query that this account may
        # not see is "not found" (never "forbidden", which would say it exists), so is a page past the end.
        codes = ["401", "403", "404"]
        takes_input = self.method in ("POST", "PUT", "PATCH") or bool(
            self._get_filter_parameters() or self._get_pagination_parameters()
        )
        if takes_input:
            codes.insert(0, "400")
        for code in codes:
            responses.setdefault(code, self._error_response(code))
        return responses
