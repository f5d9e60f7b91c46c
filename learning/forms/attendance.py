"""The attendance screen's form: one learner's mark for one session."""

from __future__ import annotations

from django import forms

from learning.models import AttendanceStatus


class AttendanceMarkForm(forms.Form):
    enrollment = forms.IntegerField(min_value=1)
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
