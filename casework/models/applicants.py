"""Applicants: the person, their names and aliases, household, assignment history, duplicate checks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from casework.models.accounts import Organisation, Team
from casework.roles import Role


class CaseStage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", _("Active")
    JOB_READY = "job_ready", _("Job-ready")
    PLACED = "placed", _("Placed")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class Weekday(models.TextChoices):
    MON = "mon", _("Monday")
    TUE = "tue", _("Tuesday")
    WED = "wed", _("Wednesday")
    THU = "thu", _("Thursday")
    FRI = "fri", _("Friday")
    SAT = "sat", _("Saturday")
    SUN = "sun", _("Sunday")


class Shift(models.TextChoices):
    """When in the day a person can work (availability) or a job is worked (jobs' shift pattern)."""

    DAY = "day", _("Day")
    EVENING = "evening", _("Evening")
    NIGHT = "night", _("Night")


def codes_of(stored: str) -> list[str]:
    """The codes of a delimited availability field (",13,14," -> ["13", "14"])."""
    return [code for code in (stored or "").split(",") if code]


def stored_codes(codes) -> str:
    """Codes as stored: comma-delimited with a comma at each end, so `contains=",13,"` finds one exactly
    on SQLite and PostgreSQL alike (matching filters on them: jobs/selectors/matching.py)."""
    kept = [str(code) for code in codes if code]
    return f",{','.join(kept)}," if kept else ""


class BirthDatePrecision(models.TextChoices):
    DAY = "day", _("Exact date")
    MONTH = "month", _("Year and month only")
    YEAR = "year", _("Year only")
    UNKNOWN = "unknown", _("Unknown")


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("Native")
    FLUENT = "fluent", _("Fluent")
    CONVERSATIONAL = "conversational", _("Conversational")
    BASIC = "basic", _("Basic")


def _caseload_condition(user, *, for_writing: bool) -> Q | None:
    """Which applicants a user reaches through their roles; None means all of the organisation."""
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return None
    # Every part is a condition on the applicant row itself (no join): a supervisor leading several
    # teams gets no duplicate rows, and PostgreSQL can combine the condition with the search index
    # (a join through team__supervisors made it scan the whole team, then filter by name).
    parts: list[Q] = []
    if user.has_role(Role.SUPERVISOR):
        led_teams = Team.supervisors.through.objects.filter(user_id=user.pk).values("team_id")
        parts.append(Q(team_id__in=led_teams))
    if user.has_role(Role.CASEWORKER):
        parts.append(Q(caseworker_id=user.pk))
        # The team's caseload is readable (never writable) when the organisation shares it.
        if not for_writing and user.team_id and user.organisation.team_caseload_shared:
            parts.append(Q(team_id=user.team_id))
    condition = Q(pk__in=[])
    for part in parts:
        condition |= part
    return condition


class ApplicantQuerySet(models.QuerySet["Applicant"]):
    def _restricted(self, user, *, for_writing: bool) -> ApplicantQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        in_org = self.filter(organisation_id=user.organisation_id)
        condition = _caseload_condition(user, for_writing=for_writing)
        if condition is None:
            return in_org
        return in_org.filter(condition)

    def visible_to(self, user) -> ApplicantQuerySet:
        """The one door: applicants this user may read (DESIGN.md, access matrix)."""
        return self._restricted(user, for_writing=False)

    def legal_visible_to(self, user) -> ApplicantQuerySet:
        """Applicants whose legal records (status, procedure, work permission, reporting) the user may
        read: own caseload, led teams, administrators. A shared team caseload shows the profile only."""
        return self._restricted(user, for_writing=True)

    def editable_by(self, user) -> ApplicantQuerySet:
        """Applicants this user may change: own caseload, led teams, or all for administrators."""
        return self._restricted(user, for_writing=True)


class Applicant(models.Model):
    """A person the organisation supports, from intake to a job that lasts."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applicants", verbose_name=_("organisation")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="applicants", verbose_name=_("team")
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("caseworker"),
    )
    # Numbered per organisation and year (ReferenceCounter), so unique within the organisation only.
    reference_code = models.CharField(_("reference code"), max_length=20, editable=False, db_index=True)
    family_name = models.CharField(
        _("family name"), max_length=150, blank=True, help_text=_("Leave empty for people with one name.")
    )
    given_name = models.CharField(_("given name"), max_length=150)
    name_native = models.CharField(_("name in own script"), max_length=300, blank=True)
    name_katakana = models.CharField(_("katakana reading"), max_length=300, blank=True)
    search_key = models.TextField(editable=False, default="")
    name_key = models.CharField(max_length=600, editable=False, default="", db_index=True)
    date_of_birth = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_("When only the year or month is known, enter the first day and set the precision."),
    )
    birth_date_precision = models.CharField(
        _("date of birth is"),
        max_length=10,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.DAY,
    )
    gender = models.CharField(_("gender"), max_length=60, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Languages spoken, each with a level.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    prefecture = models.CharField(_("prefecture"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    education = models.TextField(_("education"), blank=True)
    work_history = models.TextField(_("work history"), blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    intake_date = models.DateField(_("intake date"))
    # Availability (issue 15): what matching filters on, part of the share packet's base (DESIGN.md).
    available_from = models.DateField(_("can start from"), null=True, blank=True)
    hours_per_week_wanted = models.PositiveSmallIntegerField(_("hours a week wanted"), null=True, blank=True)
    available_days = models.CharField(
        _("days possible"), max_length=40, blank=True, default="", help_text=_("Weekday codes.")
    )
    available_shifts = models.CharField(_("shifts possible"), max_length=40, blank=True, default="")
    commute_prefectures = models.CharField(
        _("prefectures they can commute to"), max_length=200, blank=True, default=""
    )
    case_stage = models.CharField(
        _("case stage"), max_length=20, choices=CaseStage.choices, default=CaseStage.INTAKE
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicantQuerySet.as_manager()

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["family_name", "given_name", "pk"]
        # The list (filtersets/applicants.py) pages in name order ("name"/"-name", the default) or by
        # intake: each index below returns a page of 25 in order for one visible set or common filter,
        # so no request sorts every visible row (measured: issue 14, migration 0011).
        indexes = [
            models.Index(fields=["organisation", "team", "caseworker"], name="applicant_access_idx"),
            models.Index(fields=["case_stage"], name="applicant_stage_idx"),
            # An administrator's list: the whole organisation in name order (either direction).
            models.Index(
                fields=["organisation", "family_name", "given_name", "id"], name="applicant_org_name_idx"
            ),
            # A supervisor's led teams, a shared team caseload, the list's team filter; in name order.
            models.Index(fields=["team", "family_name", "given_name", "id"], name="applicant_team_name_idx"),
            # A caseworker's own caseload, the list's caseworker filter; in name order.
            models.Index(
                fields=["caseworker", "family_name", "given_name", "id"], name="applicant_caseworker_name_idx"
            ),
            # The case-stage filter (organisation-wide), in name order.
            models.Index(
                fields=["organisation", "case_stage", "family_name", "given_name", "id"],
                name="applicant_org_stage_name_idx",
            ),
            # The nationality filter (organisation-wide), in name order.
            models.Index(
                fields=["organisation", "nationality", "family_name", "given_name", "id"],
                name="applicant_org_nation_name_idx",
            ),
            # sort=intake / -intake over the organisation.
            models.Index(fields=["organisation", "intake_date", "id"], name="applicant_org_intake_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference_code"], name="applicant_reference_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference_code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.family_name.upper(), self.given_name) if part)

    @property
    def birth_year(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else None

    @property
    def birth_date_is_approximate(self) -> bool:
        return self.birth_date_precision in (BirthDatePrecision.YEAR, BirthDatePrecision.MONTH)

    @property
    def birth_date_display(self) -> str:
        if not self.date_of_birth:
            return ""
        if self.birth_date_precision == BirthDatePrecision.YEAR:
            return f"{self.date_of_birth.year} (≈)"
        if self.birth_date_precision == BirthDatePrecision.MONTH:
            return f"{self.date_of_birth:%Y-%m} (≈)"
        return self.date_of_birth.isoformat()


class Alias(models.Model):
    """Another spelling or a former name of an applicant; feeds search and duplicate checks."""

    class Kind(models.TextChoices):
        SPELLING = "spelling", _("Other spelling")
        FORMER = "former", _("Former name")
        DOCUMENT = "document", _("Name on a document")

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SPELLING)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class HouseholdMember(models.Model):
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="household")
    name = models.CharField(_("name"), max_length=300)
    relation = models.CharField(_("relation"), max_length=60)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    schooling = models.CharField(_("schooling"), max_length=200, blank=True)
    linked_applicant = models.ForeignKey(
        Applicant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="household_links",
        verbose_name=_("also an applicant"),
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class Assignment(models.Model):
    """One entry of an applicant's assignment history (team and caseworker from a moment on)."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="assignments")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-assigned_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.applicant_id} → {self.team_id}/{self.caseworker_id}"


class ReferenceCounter(models.Model):
    """The last reference number given per organisation and year (A-2026-00042)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class DuplicateCheck(models.Model):
    """A duplicate check at registration, what it found, and what the caseworker decided."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided yet")
        NO_MATCH = "no_match", _("No possible match")
        NEW_PERSON = "new_person", _("Registered as a new person")
        OPENED_MATCH = "opened_match", _("Opened the existing record")
        ASKED_CASEWORKER = "asked_caseworker", _("Asked the match's caseworker")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)
    name_key = models.CharField(max_length=600)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    nationality = models.CharField(max_length=2, blank=True)
    card_hash = models.CharField(max_length=64, blank=True)
    matches = models.ManyToManyField(Applicant, blank=True, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    chosen = models.ForeignKey(Applicant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    registered = models.ForeignKey(
        Applicant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("duplicate check")
        verbose_name_plural = _("duplicate checks")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {self.get_decision_display()}"
