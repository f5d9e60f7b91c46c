"""Serializer fields shared by casework's API: input parsing only, the services decide the rest.

The rule of thumb in casework/api/: a serializer parses types (a date is a date, a flag a boolean, a
text not longer than its column) and answers 400 naming the field when it cannot; everything the
domain says about a value is checked by the service, so the API and the UI give the same message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import Applicant, Team, User

# Far outside any real date of the domain, well inside what date arithmetic (end + 2 months) can do.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def max_length(model: type[Model], field: str) -> int:
    """The column's length, so the API refuses (400) what the database would refuse (500)."""
    length = getattr(model._meta.get_field(field), "max_length", None)
    if length is None:
        raise ValueError(f"{model.__name__}.{field} has no max_length")
    return int(length)


class PlausibleDateField(serializers.DateField):
    """An ISO date within 1900–2199: a wrong year is a typo, not a reason for an overflow."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [
            *kwargs["validators"],
            MinValueValidator(EARLIEST_DATE),
            MaxValueValidator(LATEST_DATE),
        ]
        super().__init__(**kwargs)


class ServiceChoiceField(serializers.ChoiceField):
    """Documents its choices in the schema but lets the service judge the value.

    Any string goes through, so an unknown value gets the service's own message (the one the UI
    shows); a value that is not a string at all (a number, a list) is refused here.
    """

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return data


class ApplicantReferenceField(serializers.SlugRelatedField):
    """An applicant named by reference code, among those the requesting user may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "reference_code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Applicant.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Applicant]:
        request = self.context.get("request")
        if request is None:
            return Applicant.objects.none()
        return Applicant.objects.visible_to(request.user)


class TeamInputField(serializers.PrimaryKeyRelatedField):
    """A team of the requesting user's organisation, by id."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Team.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Team]:
        request = self.context.get("request")
        return Team.objects.visible_to(request.user) if request else Team.objects.none()


class UserInputField(serializers.PrimaryKeyRelatedField):
    """A user of the requesting user's organisation, by id (the service checks the role)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[User]:
        request = self.context.get("request")
        return User.objects.visible_to(request.user) if request else User.objects.none()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class StringListJSONField(serializers.JSONField):
    """A JSON list of strings, checked by the service."""


class LanguageSerializer(serializers.Serializer):
    language = serializers.CharField()
    level = serializers.CharField()


@extend_schema_field(LanguageSerializer(many=True))
class LanguagesJSONField(serializers.JSONField):
    """A JSON list of {"language", "level"}, checked by the service (its message names the levels)."""
