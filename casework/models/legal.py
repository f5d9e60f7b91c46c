"""Legal situation: status periods, work permission, reporting obligations, refugee procedures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework import crypto, rules
from casework.models.applicants import Applicant


class ApplicantRecordQuerySet(models.QuerySet):
    """Legal records follow the applicant's legal reach: own caseload, led teams, administrators
    (a caseworker reading a teammate's shared case sees the profile, not the legal records)."""

    applicant_path = "applicant"

    def visible_to(self, user):
        return self.filter(
            **{f"{self.applicant_path}__in": Applicant.objects.legal_visible_to(user).values("pk")}
        )

    def editable_by(self, user):
        return self.filter(**{f"{self.applicant_path}__in": Applicant.objects.editable_by(user).values("pk")})


class RenewalDecision(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LegalStatusPeriod(models.Model):
    """One period of a status, as an inclusive range [start, end]; end is the effective end."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="periods")
    status_kind = models.CharField(_("status"), max_length=40, choices=rules.STATUS_KIND_CHOICES)
    status_other_label = models.CharField(
        _("status name"), max_length=120, blank=True, help_text=_("For another status: its name.")
    )
    other_grants_work = models.BooleanField(
        _("this status allows work"), default=False, help_text=_("For another status only.")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(
        _("end"),
        null=True,
        blank=True,
        help_text=_("The last day (inclusive). Empty only for an indefinite status."),
    )
    is_indefinite = models.BooleanField(_("indefinite"), default=False)
    card_expiry_date = models.DateField(
        _("expiry printed on the card"),
        null=True,
        blank=True,
        help_text=_("As printed on the residence card."),
    )
    card_number_encrypted = models.TextField(blank=True, default="", editable=False)
    card_number_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    card_number_hint = models.CharField(max_length=10, blank=True, default="", editable=False)
    designation_wording = models.TextField(
        _("designation sheet wording"),
        blank=True,
        help_text=_("The words of the designation sheet (指定書)."),
    )
    renewal_filed_on = models.DateField(_("renewal filed on"), null=True, blank=True)
    renewal_decision = models.CharField(
        _("renewal decision"), max_length=20, choices=RenewalDecision.choices, blank=True
    )
    renewal_decided_on = models.DateField(_("renewal decided on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Brought in by a spreadsheet import (issue 18): not entered today, so its reminder ladder has no
    # "on record" rung (an import of a thousand short stays must not remind of each at once).
    from_import = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal status period")
        verbose_name_plural = _("legal status periods")
        ordering = ["applicant", "start_date"]
        indexes = [
            models.Index(fields=["applicant", "start_date"], name="period_applicant_start_idx"),
            # "Who may work on day D" over a whole organisation (matching, sorted eligible first): the
            # periods still running on D and those whose special period reaches D, found by their end.
            models.Index(fields=["end_date"], name="period_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="period_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=False)
                | models.Q(is_indefinite=True, status_kind="other"),
                name="period_end_required_unless_indefinite_other",
            ),
        ]
        # Non-overlap: an exclusion constraint on PostgreSQL (migration 0004), the service everywhere.

    def __str__(self) -> str:
        return f"{self.kind_label} {self.start_date} – {self.end_date or '∞'}"

    @property
    def rule(self) -> rules.StatusKindRule:
        return rules.status_kind(self.status_kind)

    @property
    def kind_label(self) -> str:
        if self.status_kind == "other" and self.status_other_label:
            return self.status_other_label
        return self.rule.label

    @property
    def grants_work(self) -> bool:
        return self.other_grants_work if self.status_kind == "other" else self.rule.grants_work

    @property
    def card_number(self) -> str:
        return crypto.decrypt(self.card_number_encrypted)

    @property
    def card_number_masked(self) -> str:
        if not self.card_number_hint:
            return ""
        return f"{self.card_number_hint[:2]}******{self.card_number_hint[2:]}"

    @property
    def lawful_stay_until(self):
        return rules.lawful_stay_until(
            kind=self.status_kind,
            end=self.end_date,
            renewal_filed_on=self.renewal_filed_on,
            renewal_decided_on=self.renewal_decided_on,
        )

    @property
    def renewal_window_opens(self):
        return rules.renewal_window_opens(start=self.start_date, end=self.end_date)

    @property
    def length_in_months(self) -> int | None:
        return rules.months_between(self.start_date, self.end_date) if self.end_date else None

    def covers(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class WorkPermission(models.Model):
    """Explicit permission to work: never inferred from the status code alone (DOMAIN.md §1)."""

    class Basis(models.TextChoices):
        DESIGNATION_SHEET = "designation_sheet", _("Designation sheet")
        OUTSIDE_STATUS = "outside_status", _("Permission for activity outside status")
        SUPERVISORY_PERMIT = "supervisory_permit", _("Supervisory-measures work permit")

    class Scope(models.TextChoices):
        FULL = "full", _("Full-time")
        HOURS = "hours", _("Limited hours per week")

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="work_permissions")
    basis = models.CharField(_("basis"), max_length=30, choices=Basis.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.FULL)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("work permission")
        verbose_name_plural = _("work permissions")
        ordering = ["applicant", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="work_permission_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} {self.start_date} – {self.end_date or '…'}"

    def covers(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class ReportingObligation(models.Model):
    """Reporting to immigration (provisional release, supervisory measures): the next date and where."""

    class Kind(models.TextChoices):
        PROVISIONAL_RELEASE = "provisional_release", _("Provisional release")
        SUPERVISORY_MEASURES = "supervisory_measures", _("Supervisory measures")
        PROVISIONAL_STAY = "provisional_stay", _("Provisional stay")

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="reporting_obligations")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    next_report_date = models.DateField(_("next report date"))
    place = models.CharField(_("place"), max_length=200)
    supervisor_name = models.CharField(
        _("supervisor (監理人)"), max_length=200, blank=True, help_text=_("For supervisory measures.")
    )
    last_reported_on = models.DateField(_("last reported on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    objects = ApplicantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")
        ordering = ["applicant", "next_report_date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.next_report_date}"


class ProcedureOutcome(models.TextChoices):
    RECOGNISED = "recognised", _("Recognised as a refugee")
    COMPLEMENTARY = "complementary", _("Complementary protection")
    HUMANITARIAN = "humanitarian", _("Humanitarian permission to stay")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RefugeeProcedure(models.Model):
    """One refugee-status application with its ordinal (1st, 2nd, 3rd or later)."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="procedures")
    ordinal = models.PositiveSmallIntegerField(
        _("application number"), help_text=_("1 for a first application, 2 for a second, and so on.")
    )
    applied_on = models.DateField(_("applied on"))
    grounds_submitted = models.BooleanField(
        _("material showing reasonable grounds submitted"),
        default=False,
        help_text=_("Since 10 June 2024 a third or later application suspends deportation only with it."),
    )
    is_open = models.BooleanField(_("open"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("refugee procedure")
        verbose_name_plural = _("refugee procedures")
        ordering = ["applicant", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "ordinal"], name="procedure_ordinal_unique"),
            models.CheckConstraint(condition=models.Q(ordinal__gte=1), name="procedure_ordinal_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.ordinal} {self.applied_on}"

    @property
    def needs_grounds(self) -> bool:
        return self.ordinal >= rules.GROUNDS_REQUIRED_FROM_ORDINAL

    @property
    def is_missing_grounds(self) -> bool:
        return self.needs_grounds and not self.grounds_submitted


class ProcedureEventQuerySet(ApplicantRecordQuerySet):
    applicant_path = "procedure__applicant"


class ProcedureEvent(models.Model):
    class Kind(models.TextChoices):
        FILED = "filed", _("Application filed")
        INTERVIEW = "interview", _("Interview")
        TRIAGE = "triage", _("Triage category")
        DECISION = "decision", _("First-instance decision")
        REFUSAL_NOTICE = "refusal_notice", _("Refusal notice received")
        APPEAL_FILED = "appeal_filed", _("Appeal (request for examination) filed")
        APPEAL_DECISION = "appeal_decision", _("Decision on appeal")

    class Triage(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D1 = "D1", "D1"
        D2 = "D2", "D2"

    procedure = models.ForeignKey(RefugeeProcedure, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    triage_category = models.CharField(_("triage category"), max_length=2, choices=Triage.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ProcedureOutcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProcedureEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure event")
        verbose_name_plural = _("procedure events")
        ordering = ["procedure", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class RightToWorkCheck(models.Model):
    """A caseworker saw the person's residence card and designation paper (指定書) on a day: what a share
    packet states as "right to work checked by the organisation on DATE" (the employer must still see
    them itself before hiring, DOMAIN.md §9). Written through casework.services; never changed, only
    followed by a newer check."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="right_to_work_checks")
    checked_on = models.DateField(_("checked on"))
    saw_residence_card = models.BooleanField(_("residence card seen"), default=False)
    saw_designation_paper = models.BooleanField(_("designation paper seen"), default=False)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("right-to-work check")
        verbose_name_plural = _("right-to-work checks")
        ordering = ["applicant", "-checked_on", "-pk"]
        indexes = [models.Index(fields=["applicant", "checked_on"], name="rtw_check_applicant_idx")]

    def __str__(self) -> str:
        return f"{self.applicant_id}: {self.checked_on}"
