"""The report filters: a period (by default the last 12 months) and the filters that apply to a report.

Each choice is checked against what the user may report on: a team of their organisation that they lead
(supervisors; administrators any), a course they may see (trainers: their own), an employer of their
organisation. A bad value is an error naming its field, and the report shows no data.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from casework import rules
from casework.models import Team
from casework.roles import Role
from jobs.models import Employer
from jobs.models.employers import Industry
from learning.models import Course
from reports.selectors.catalogue import ReportSpec
from reports.selectors.scope import ReportFilters, is_organisation_wide, may_report_on_people

FILTER_NAMES = ("team", "nationality", "prefecture", "course", "employer", "industry")


def default_period(today: date) -> tuple[date, date]:
    """The last 12 months, today included."""
    return rules.add_months(today, -12) + timedelta(days=1), today


class ReportFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("All my teams"),
        error_messages={"invalid_choice": _("There is no team with this id.")},
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        error_messages={"invalid_choice": _("Unknown nationality: choose one from the list.")},
    )
    prefecture = forms.ChoiceField(
        label=_("Prefecture"),
        required=False,
        error_messages={"invalid_choice": _("Unknown prefecture: choose one from the list.")},
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=_("All courses"),
        error_messages={"invalid_choice": _("There is no course with this id that you can report on.")},
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=Employer.objects.none(),
        required=False,
        empty_label=_("All employers"),
        error_messages={"invalid_choice": _("There is no employer with this id.")},
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        required=False,
        error_messages={"invalid_choice": _("Unknown industry: choose one from the list.")},
    )

    def __init__(self, data=None, *, user, spec: ReportSpec, today: date | None = None) -> None:
        self.user = user
        self.today = today or timezone.localdate()
        start, end = default_period(self.today)
        values = {"start": start.isoformat(), "end": end.isoformat()}
        if data is not None:
            values.update(
                {key: value for key, value in data.items() if key in ("start", "end", *FILTER_NAMES)}
            )
        super().__init__(values)
        applies = set(spec.filters)
        if not (is_organisation_wide(user) or user.has_role(Role.SUPERVISOR)):
            applies.discard("team")  # a caseworker's own caseload, a trainer's own courses
        if not may_report_on_people(user):
            applies &= {"course"}  # trainers: their courses only, no person filters
        for name in FILTER_NAMES:
            if name not in applies:
                del self.fields[name]
        if "team" in self.fields:
            teams = Team.objects.visible_to(user).order_by("name")
            if is_organisation_wide(user):
                self._model_field("team").empty_label = _("All teams")
            self._model_field("team").queryset = teams
            if not is_organisation_wide(user):
                self.fields["team"].widget.choices = [("", _("All my teams"))] + [
                    (team.pk, team.name) for team in teams.filter(supervisors=user)
                ]
        if "nationality" in self.fields:
            self._choice_field("nationality").choices = [("", _("All nationalities")), *countries]
        if "prefecture" in self.fields:
            self._choice_field("prefecture").choices = [
                ("", _("All prefectures")),
                *rules.prefecture_choices(),
            ]
        if "industry" in self.fields:
            self._choice_field("industry").choices = [("", _("All industries")), *Industry.choices]
        if "course" in self.fields:
            self._model_field("course").queryset = Course.objects.visible_to(user).order_by("name")
        if "employer" in self.fields:
            self._model_field("employer").queryset = Employer.objects.visible_to(user).order_by("name")

    def _model_field(self, name: str) -> forms.ModelChoiceField:
        return cast(forms.ModelChoiceField, self.fields[name])

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def clean_team(self):
        team = self.cleaned_data.get("team")
        leads = (
            team is None
            or is_organisation_wide(self.user)
            or team.supervisors.filter(pk=self.user.pk).exists()
        )
        if not leads:
            raise forms.ValidationError(_("You do not lead this team: choose one of your teams."))
        return team

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and start > self.today:
            self.add_error("start", _("The period cannot start in the future."))
        if end and end > self.today:
            self.add_error("end", _("The period cannot end in the future."))
        if start and end and end < start:
            self.add_error("end", _("The period's end is before its start."))
        return cleaned

    def filters(self) -> ReportFilters:
        """The checked values (call after is_valid())."""
        data = self.cleaned_data or {}
        course, employer = data.get("course"), data.get("employer")
        return ReportFilters(
            start=data["start"],
            end=data["end"],
            team=data.get("team"),
            nationality=data.get("nationality") or "",
            course_id=course.pk if course else None,
            employer_id=employer.pk if employer else None,
            industry=data.get("industry") or "",
            prefecture=data.get("prefecture") or "",
        )
