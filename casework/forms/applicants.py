"""Forms of the applicant pages: registration and profile, household, reassignment."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from casework import names, rules
from casework.forms.base import TobiraForm, date_field
from casework.models import (
    Applicant,
    BirthDatePrecision,
    CaseStage,
    LanguageLevel,
    Shift,
    Team,
    User,
    Weekday,
    codes_of,
)
from casework.roles import Role

# Suggestions only (a datalist): people describe their gender in their own words.
GENDER_SUGGESTIONS = (_("female"), _("male"), _("non-binary"), _("prefer not to say"))


# Stored as written; the romanised names keep filters and matching consistent.
PREFECTURES = (
    "Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki", "Tochigi",
    "Gunma", "Saitama", "Chiba", "Tokyo", "Kanagawa", "Niigata", "Toyama", "Ishikawa", "Fukui",
    "Yamanashi", "Nagano", "Gifu", "Shizuoka", "Aichi", "Mie", "Shiga", "Kyoto", "Osaka", "Hyogo",
    "Nara", "Wakayama", "Tottori", "Shimane", "Okayama", "Hiroshima", "Yamaguchi", "Tokushima",
    "Kagawa", "Ehime", "Kochi", "Fukuoka", "Saga", "Nagasaki", "Kumamoto", "Oita", "Miyazaki",
    "Kagoshima", "Okinawa",
)  # fmt: skip


_PRECISION_RANK = {BirthDatePrecision.YEAR: 1, BirthDatePrecision.MONTH: 2, BirthDatePrecision.DAY: 3}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def country_choices() -> list[tuple[str, str]]:
    # Built per form, so the names follow the language of the request and sort in it.
    return [("", "—"), *((str(code), str(name)) for code, name in countries)]


class ApproximateDateField(forms.CharField):
    """A date of birth typed as YYYY-MM-DD, YYYY-MM or YYYY; cleans to (date, precision) or None."""

    default_error_messages = {
        "invalid": _("Type the date of birth as YYYY-MM-DD, or YYYY-MM, or only the year YYYY."),
        "impossible": _("There is no such date: check the month and the day."),
    }

    def clean(self, value: Any) -> tuple[date, str] | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        text = unicodedata.normalize("NFKC", text).strip()
        text = re.sub(r"[年月/.]", "-", text).rstrip("日-").strip()
        match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            if day is not None:
                return date(year, month, day), BirthDatePrecision.DAY  # type: ignore[arg-type]
            if month is not None:
                return date(year, month, 1), BirthDatePrecision.MONTH  # type: ignore[arg-type]
            return date(year, 1, 1), BirthDatePrecision.YEAR  # type: ignore[arg-type]
        except ValueError as exc:
            raise ValidationError(self.error_messages["impossible"], code="impossible") from exc


def format_birth_date(applicant: Applicant) -> str:
    """The date of birth as the edit form shows it: only as precise as it is known."""
    born = applicant.date_of_birth
    if born is None:
        return ""
    if applicant.birth_date_precision == BirthDatePrecision.YEAR:
        return f"{born:%Y}"
    if applicant.birth_date_precision == BirthDatePrecision.MONTH:
        return f"{born:%Y-%m}"
    return born.isoformat()


class ApplicantProfileForm(TobiraForm):
    """The person's profile, shared by registration and editing."""

    family_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for people with one name."),
    )
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"required": True}),
        help_text=_("For a person with one name, enter it here."),
    )
    name_native = forms.CharField(label=_("Name in own script"), max_length=300, required=False)
    name_katakana = forms.CharField(label=_("Katakana reading"), max_length=300, required=False)
    aliases = forms.CharField(
        label=_("Other names and spellings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: other spellings, former names, the name on a document."),
    )
    date_of_birth = ApproximateDateField(
        label=_("Date of birth"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM-DD", "inputmode": "numeric"}),
        help_text=_(
            "Type YYYY-MM-DD. When only the year and month are known type YYYY-MM, when only the year "
            "is known type YYYY (for example 1990)."
        ),
    )
    birth_date_precision = forms.ChoiceField(
        label=_("The date of birth is"),
        choices=BirthDatePrecision.choices,
        initial=BirthDatePrecision.DAY,
        help_text=_("If you type only a year or a year and month, it is saved as approximate."),
    )
    gender = forms.CharField(
        label=_("Gender"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"list": "gender-suggestions"}),
        help_text=_("In the person's own words; suggestions are offered."),
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        error_messages={"invalid_choice": _("“%(value)s” is not a country code (ISO 3166).")},
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Tamil: native\nEnglish: conversational"}),
        help_text=_(
            "One language a line, with its level after a colon: native, fluent, conversational or basic. "
            "For example “Tamil: native”."
        ),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    prefecture = forms.CharField(
        label=_("Prefecture"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"list": "prefecture-suggestions"}),
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    education = forms.CharField(
        label=_("Education"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    work_history = forms.CharField(
        label=_("Work history"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        help_text=_("Separated by commas, for example: forklift, welding, cooking."),
    )
    available_from = date_field(_("Can start from"))
    hours_per_week_wanted = forms.IntegerField(
        label=_("Hours a week wanted"), required=False, min_value=1, max_value=80
    )
    available_days = forms.MultipleChoiceField(
        label=_("Days they can work"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    available_shifts = forms.MultipleChoiceField(
        label=_("Shifts they can work"),
        choices=Shift.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: any shift."),
    )
    commute_prefectures = forms.MultipleChoiceField(
        label=_("Prefectures they can commute to"),
        choices=rules.prefecture_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: not known, no prefecture is ruled out."),
    )
    intake_date = date_field(_("Intake date"), required=True)
    intake_date.initial = timezone.localdate
    case_stage = forms.ChoiceField(label=_("Case stage"), choices=CaseStage.choices, initial=CaseStage.INTAKE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = country_choices()  # type: ignore[attr-defined]

    def clean_languages(self) -> list[dict[str, str]]:
        levels = {value: value for value in LanguageLevel.values}
        # The level may also be written as the interface shows it (e.g. in Japanese).
        levels.update({str(label).lower(): value for value, label in LanguageLevel.choices})
        parsed, problems = [], []
        for number, line in enumerate(_lines(self.cleaned_data.get("languages", "")), start=1):
            text = unicodedata.normalize("NFKC", line)
            language, _colon, level = text.rpartition(":")
            language, level = language.strip(), level.strip().lower()
            if not language or level not in levels:
                problems.append(
                    ValidationError(
                        _(
                            "Line %(number)d (“%(line)s”): write the language, a colon and one of the levels "
                            "native, fluent, conversational or basic."
                        ),  # fmt: skip
                        code="language_line",
                        params={"number": number, "line": line},
                    )
                )
                continue
            parsed.append({"language": language, "level": levels[level]})
        if problems:
            raise ValidationError(problems)
        return parsed

    def clean_skills(self) -> list[str]:
        text = unicodedata.normalize("NFKC", self.cleaned_data.get("skills", ""))
        return [skill.strip() for skill in re.split(r"[,、\n]", text) if skill.strip()]

    def clean_aliases(self) -> list[str]:
        return _lines(self.cleaned_data.get("aliases", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        typed = cleaned.get("date_of_birth")
        chosen = cleaned.get("birth_date_precision")
        if typed is None:
            if "date_of_birth" not in self.errors:
                cleaned["birth_date_precision"] = BirthDatePrecision.UNKNOWN
        elif chosen == BirthDatePrecision.UNKNOWN:
            self.add_error(
                "birth_date_precision",
                _("You chose “unknown” but typed a date of birth: choose how precisely it is known."),
            )
        elif chosen:
            born, typed_precision = typed
            # The coarser of the two wins: a typed year alone cannot be an exact date.
            precision = min(chosen, typed_precision, key=lambda value: _PRECISION_RANK[value])
            cleaned["date_of_birth"] = born
            cleaned["birth_date_precision"] = precision
        return cleaned

    def profile_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        born = data.get("date_of_birth")
        return {
            "family_name": data["family_name"],
            "given_name": data["given_name"],
            "name_native": data["name_native"],
            "name_katakana": data["name_katakana"],
            "date_of_birth": born if isinstance(born, date) else None,
            "birth_date_precision": data["birth_date_precision"],
            "gender": data["gender"],
            "nationality": data["nationality"],
            "languages": data["languages"],
            "phone": data["phone"],
            "email": data["email"],
            "prefecture": data["prefecture"],
            "city": data["city"],
            "education": data["education"],
            "work_history": data["work_history"],
            "skills": data["skills"],
            "available_from": data.get("available_from"),
            "hours_per_week_wanted": data.get("hours_per_week_wanted"),
            "available_days": list(data.get("available_days") or []),
            "available_shifts": list(data.get("available_shifts") or []),
            "commute_prefectures": list(data.get("commute_prefectures") or []),
            "intake_date": data["intake_date"],
            "case_stage": data["case_stage"],
        }

    @classmethod
    def initial_for(cls, applicant: Applicant) -> dict[str, Any]:
        return {
            "family_name": applicant.family_name,
            "given_name": applicant.given_name,
            "name_native": applicant.name_native,
            "name_katakana": applicant.name_katakana,
            "aliases": "\n".join(alias.name for alias in applicant.aliases.all()),
            "date_of_birth": format_birth_date(applicant),
            "birth_date_precision": applicant.birth_date_precision,
            "gender": applicant.gender,
            "nationality": str(applicant.nationality or ""),
            "languages": "\n".join(f"{item['language']}: {item['level']}" for item in applicant.languages),
            "phone": applicant.phone,
            "email": applicant.email,
            "prefecture": applicant.prefecture,
            "city": applicant.city,
            "education": applicant.education,
            "work_history": applicant.work_history,
            "skills": ", ".join(applicant.skills),
            "available_from": applicant.available_from,
            "hours_per_week_wanted": applicant.hours_per_week_wanted,
            "available_days": codes_of(applicant.available_days),
            "available_shifts": codes_of(applicant.available_shifts),
            "commute_prefectures": codes_of(applicant.commute_prefectures),
            "intake_date": applicant.intake_date,
            "case_stage": applicant.case_stage,
        }


def assignable_teams(user: User) -> QuerySet[Team]:
    """Teams a user may register into or move cases to: all for administrators, else the teams led."""
    teams = Team.objects.visible_to(user)
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return teams.order_by("name")
    return teams.filter(Q(supervisors=user) | Q(pk=user.team_id or 0)).distinct().order_by("name")


def reassignable_teams(user: User) -> QuerySet[Team]:
    """Teams a user may move cases into (services.applicants_reassign): all for administrators, else only
    the teams they lead — not a team they merely belong to."""
    teams = Team.objects.visible_to(user)
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return teams.order_by("name")
    return teams.filter(supervisors=user).order_by("name")


def assignable_caseworkers(user: User, teams: QuerySet[Team] | None = None) -> QuerySet[User]:
    caseworkers = (
        User.objects.visible_to(user)
        .with_role(Role.CASEWORKER)
        .filter(is_active=True)
        .select_related("team")
        .only("pk", "username", "first_name", "last_name", "team__id", "team__name")  # the option's label
        .order_by("last_name", "first_name", "username")
    )
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return caseworkers
    return caseworkers.filter(team__in=(teams if teams is not None else assignable_teams(user)).values("pk"))


class CaseworkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return f"{obj} ({obj.team})" if obj.team_id else str(obj)


class AssignmentFieldsMixin(TobiraForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    caseworker = CaseworkerChoiceField(
        label=_("Caseworker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "A member of the chosen team. Without a caseworker, the team's supervisors are reminded."
        ),
    )

    def set_assignment_choices(self, user: User, teams: QuerySet[Team] | None = None) -> None:
        teams = teams if teams is not None else assignable_teams(user)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["caseworker"].queryset = assignable_caseworkers(user, teams)  # type: ignore[attr-defined]


class ApplicantRegistrationForm(ApplicantProfileForm, AssignmentFieldsMixin):
    card_number = forms.CharField(
        label=_("Residence card number (optional)"),
        max_length=40,
        required=False,
        help_text=_(
            "Used only to look for a person already registered; it is not saved. Record the card on a "
            "status period."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chooses_assignment = user.has_role(Role.SUPERVISOR, Role.ADMINISTRATOR) or user.is_superuser
        if self.chooses_assignment:
            self.set_assignment_choices(user)
        else:
            # A caseworker registers into their own caseload: the service decides, nothing to choose.
            del self.fields["team"]
            del self.fields["caseworker"]

    def clean_card_number(self) -> str:
        normalised = names.normalise_card_number(self.cleaned_data.get("card_number", ""))
        if normalised and not names.is_valid_card_number(normalised):
            raise ValidationError(
                _("A residence card number is 2 letters, 8 digits and 2 letters, for example AB12345678CD."),
                code="card_format",
            )
        return normalised


class ApplicantEditForm(ApplicantProfileForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReassignForm(AssignmentFieldsMixin):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_assignment_choices(user, reassignable_teams(user))


class BulkReassignForm(ReassignForm):
    applicants = forms.ModelMultipleChoiceField(
        label=_("Cases"),
        queryset=Applicant.objects.none(),
        error_messages={"required": _("Tick at least one case in the list.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["applicants"].queryset = Applicant.objects.visible_to(user)  # type: ignore[attr-defined]


class HouseholdMemberForm(TobiraForm):
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    relation = forms.CharField(label=_("Relation"), max_length=60, required=False)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1800, max_value=2200)
    schooling = forms.CharField(label=_("Schooling"), max_length=200, required=False)
    linked_reference = forms.CharField(
        label=_("Reference code, if also an applicant"), max_length=20, required=False
    )
