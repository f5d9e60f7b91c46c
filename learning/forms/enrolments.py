"""Forms of enrolment: enrol a person in a course, drop out with a reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.base import TobiraForm


class DropForm(TobiraForm):
    drop_reason = forms.CharField(
        label=_("Why is the learner leaving?"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )


class EnrolForm(forms.Form):
    """The enrolment contract: a course pk and a person's reference code (and where to go back to)."""

    course = forms.IntegerField(min_value=1)
    applicant = forms.CharField(max_length=20)
    next = forms.CharField(required=False, max_length=2000)
