"""Forms of the course and session pages: a course, one session, a weekly pattern, a cancellation.

As in casework, forms check the shape of the input only; the services judge the values (a term that
ends before it starts, a session outside the term, a pattern that makes no session) and their messages
land next to the fields through `apply_service_error`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.base import TobiraForm, date_field
from casework.models import User
from casework.roles import Role
from learning.models import Course, CourseFormat, CourseKind
from learning.rules import CEFR_CHOICES, SESSION_MAX_MINUTES

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (local time, Asia/Tokyo)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return str(obj)


class CourseForm(TobiraForm):
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, widget=forms.TextInput(attrs={"required": True})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *CourseKind.choices], required=False)
    format = forms.ChoiceField(label=_("Format"), choices=[("", "—"), *CourseFormat.choices], required=False)
    target_level = forms.ChoiceField(
        label=_("Target level"), choices=[("", "—"), *CEFR_CHOICES], required=False
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=Course._meta.get_field("place").help_text,
    )
    starts_on = date_field(_("Term starts"), required=True)
    ends_on = date_field(_("Term ends"), required=True)
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        help_text=Course._meta.get_field("capacity").help_text,
        widget=forms.NumberInput(attrs={"min": 1, "max": 1000, "required": True}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    trainers = TrainerChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Who teaches the course and takes its attendance."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
            trainers = User.objects.visible_to(user).with_role(Role.TRAINER).filter(is_active=True)
            self.fields["trainers"].queryset = trainers.order_by("last_name", "first_name", "username")  # type: ignore[attr-defined]
        else:
            del self.fields["trainers"]

    @classmethod
    def initial_for(cls, course: Course) -> dict[str, Any]:
        initial: dict[str, Any] = {
            key: getattr(course, key)
            for key in (
                "name",
                "kind",
                "format",
                "target_level",
                "place",
                "starts_on",
                "ends_on",
                "capacity",
                "description",
            )
        }
        initial["trainers"] = list(course.trainers.all())
        return initial

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("trainers", None)
        return data


class SessionForm(TobiraForm):
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        required=False,
        widget=DateTimeInput(attrs={"required": True}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"),
        required=False,
        initial=90,
        widget=forms.NumberInput(attrs={"min": 1, "max": SESSION_MAX_MINUTES, "required": True}),
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)


class SessionPatternForm(TobiraForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=TimeInput(attrs={"required": True})
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"),
        required=False,
        initial=90,
        widget=forms.NumberInput(attrs={"min": 1, "max": SESSION_MAX_MINUTES, "required": True}),
    )
    first_day = date_field(_("First day"), help_text=_("Empty: the first day of the term."))
    last_day = date_field(_("Last day"), help_text=_("Empty: the last day of the term."))
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Presence of the time and length is the service's question too, but it needs values of the
        # right type to say so next to the field.
        if cleaned.get("start_time") is None and "start_time" not in self.errors:
            self.add_error("start_time", _("Enter the time sessions start."))
        if cleaned.get("duration_minutes") is None and "duration_minutes" not in self.errors:
            self.add_error(
                "duration_minutes",
                _("Enter the length in minutes, from 1 to %(max)d.") % {"max": SESSION_MAX_MINUTES},
            )
        return cleaned


class SessionCancelForm(TobiraForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=200,
        required=False,
        help_text=_("Shown on the course page, for example “trainer ill” or “public holiday”."),
    )
