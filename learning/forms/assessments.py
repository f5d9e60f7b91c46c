"""The form for recording a language result (outside test, placement test, trainer's judgement).

The form only reads the input; learning.services.assessment_record checks it (level, score ranges,
date) and its ValidationError is put back on the fields here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from learning.models import AssessmentFramework, Course

# JLPT section fields → the keys services.jlpt_sections_for uses.
SECTION_FIELDS = {
    "section_language_knowledge": "language_knowledge",
    "section_reading": "reading",
    "section_language_knowledge_reading": "language_knowledge_reading",
    "section_listening": "listening",
}
# Errors the service names by another key than the form's field.
ERROR_FIELDS = {"file": "certificate", "skill_scores": "section_listening", "applicant": None}


class AssessmentForm(forms.Form):
    framework = forms.ChoiceField(label=_("Test or framework"), choices=AssessmentFramework.choices)
    level = forms.CharField(
        label=_("Level"),
        required=False,
        max_length=10,
        help_text=_("JLPT: N5 to N1. Placement test and trainer's judgement: a CEFR level (A1 to C2)."),
    )
    score = forms.IntegerField(
        label=_("Total score"),
        required=False,
        help_text=_("JLPT 0–180, JFT-Basic 10–250, BJT 0–800."),
    )
    section_language_knowledge = forms.IntegerField(
        label=_("JLPT N1–N3: language knowledge (0–60)"), required=False, min_value=0
    )
    section_reading = forms.IntegerField(label=_("JLPT N1–N3: reading (0–60)"), required=False, min_value=0)
    section_language_knowledge_reading = forms.IntegerField(
        label=_("JLPT N4–N5: language knowledge and reading (0–120)"), required=False, min_value=0
    )
    section_listening = forms.IntegerField(label=_("JLPT: listening (0–60)"), required=False, min_value=0)
    assessed_on = forms.DateField(
        label=_("Date of the test"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False, empty_label=_("(none)")
    )
    notes = forms.CharField(label=_("Remarks"), required=False, max_length=300)
    certificate = forms.FileField(
        label=_("Certificate"),
        required=False,
        help_text=_("The score report or certificate (PDF or image); kept with the person's documents."),
    )

    def __init__(self, *args: Any, courses=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        if courses is not None:
            self.fields["course"].queryset = courses  # type: ignore[attr-defined]

    @property
    def section_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SECTION_FIELDS]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("framework", "level", "score", "assessed_on")]

    def skill_scores(self) -> dict[str, int]:
        return {
            key: self.cleaned_data[name]
            for name, key in SECTION_FIELDS.items()
            if self.cleaned_data.get(name) is not None
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's messages on the fields they name (the rest above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            name = ERROR_FIELDS.get(key, key)
            if name not in self.fields:
                name = None
            for message in errors:
                self.add_error(name, message)


class AssessmentCorrectionForm(AssessmentForm):
    """The same form for correcting a recorded result; its certificate stays as it is (no upload)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["certificate"]

    @staticmethod
    def initial_for(assessment: Any) -> dict[str, Any]:
        """The stored values as the form's initial data (section scores on their fields)."""
        initial = {
            "framework": assessment.framework,
            "level": assessment.level,
            "score": assessment.score,
            "assessed_on": assessment.assessed_on,
            "course": assessment.course_id,
            "notes": assessment.notes,
        }
        scores = assessment.skill_scores or {}
        for name, key in SECTION_FIELDS.items():
            if key in scores:
                initial[name] = scores[key]
        return initial
