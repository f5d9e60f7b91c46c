"""Legal-record services: status periods (never overlapping), work permission, reporting, procedures, and
the right-to-work checks (the day staff saw the residence card and designation paper)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casework import crypto, names, queue, rules
from casework.audit import record_change, snapshot
from casework.models import (
    Applicant,
    ChangeRecord,
    LegalStatusPeriod,
    ProcedureEvent,
    ProcedureOutcome,
    RefugeeProcedure,
    RenewalDecision,
    ReportingObligation,
    RightToWorkCheck,
    User,
    WorkPermission,
)

PERIOD_FIELDS = (
    "status_kind",
    "status_other_label",
    "other_grants_work",
    "start_date",
    "end_date",
    "is_indefinite",
    "card_expiry_date",
    "designation_wording",
    "renewal_filed_on",
    "renewal_decision",
    "renewal_decided_on",
    "note",
)


def _evaluate_on_commit(kind: str, source_ids: list[int]) -> None:
    """The urgent path (DESIGN.md, Reminders 6): evaluate these records' deadlines once the save commits.

    A record with an "on record" offset or an appeal deadline is reminded of at once, not at the next
    sweep; a deadline dealt with stops at once (no escalation of what was just handled). When the
    broker cannot take the message the save still stands: the daily sweep is the safety net.
    """
    queue.enqueue_on_commit(
        "casework.tasks.evaluate_deadline", [(kind, source_id) for source_id in source_ids]
    )


def _period_kinds(status_kind: str) -> list[str]:
    """The deadline kinds a period of this status may have reminders of."""
    main = "provisional_release_expiry" if status_kind == "provisional_release" else "period_end"
    return [main, "renewal_pending"] if status_kind in rules.SPECIAL_PERIOD_KINDS else [main]


# The fields a period's deadlines depend on.
PERIOD_REMINDER_FIELDS = ("status_kind", "start_date", "end_date", "renewal_filed_on", "renewal_decided_on")


def _starts_on_record(period: LegalStatusPeriod) -> bool:
    """A short stay whose reminder ladder starts when it is recorded (DOMAIN.md §5: "at entry")."""
    if period.end_date is None:
        return False
    months = rules.months_between(period.start_date, period.end_date)
    return rules.ON_RECORD in rules.status_kind(period.status_kind).offsets_for(months)


def _require_editable(by: User, applicant: Applicant) -> None:
    if not Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists():
        raise PermissionDenied


def _date_text(day: date | None) -> str:
    return formats.date_format(day, "Y-m-d") if day else "…"


def overlapping_period(
    *, applicant: Applicant, start: date, end: date | None, exclude_pk: int | None = None
) -> LegalStatusPeriod | None:
    """The first period of the applicant that shares a day with [start, end] (end None = open)."""
    others = LegalStatusPeriod.objects.filter(applicant=applicant)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if end is not None:
        others = others.filter(start_date__lte=end)
    from django.db.models import Q

    return others.filter(Q(end_date__isnull=True) | Q(end_date__gte=start)).order_by("start_date").first()


def _overlap_error(other: LegalStatusPeriod) -> ValidationError:
    # The code goes on the inner error: ValidationError(dict, code=...) drops it.
    return ValidationError(
        {
            "start_date": ValidationError(
                _(
                    "This period overlaps the period from %(start)s to %(end)s (%(kind)s). Periods of one "
                    "person cannot overlap: correct the dates, or end the other period first."
                )
                % {
                    "start": _date_text(other.start_date),
                    "end": _date_text(other.end_date),
                    "kind": other.kind_label,
                },
                code="overlap",
            )
        }
    )


def _clean_period(data: dict[str, Any], *, today: date) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned = {key: data[key] for key in PERIOD_FIELDS if key in data}
    kind = cleaned.get("status_kind")
    if kind not in rules.STATUS_KINDS:
        errors.setdefault("status_kind", []).append(_("Choose the kind of status from the list."))
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start is None:
        errors.setdefault("start_date", []).append(_("Enter the first day of the period."))
    else:
        earliest = rules.add_months(today, -12 * rules.PERIOD_START_MAX_YEARS_AGO)
        latest = rules.add_months(today, 12 * rules.PERIOD_START_MAX_YEARS_AHEAD)
        if start < earliest:
            errors.setdefault("start_date", []).append(
                _("The start is more than %(years)d years ago: check the year.")
                % {"years": rules.PERIOD_START_MAX_YEARS_AGO}
            )
        elif start > latest:
            errors.setdefault("start_date", []).append(
                _("The start is more than %(years)d years ahead: check the year.")
                % {"years": rules.PERIOD_START_MAX_YEARS_AHEAD}
            )
    indefinite = bool(cleaned.get("is_indefinite"))
    if indefinite and kind != "other":
        errors.setdefault("is_indefinite", []).append(_("Only an “other” status can be indefinite."))
    if end is None and not (indefinite and kind == "other"):
        errors.setdefault("end_date", []).append(_("Enter the last day of the period."))
    if indefinite and end is not None:
        errors.setdefault("end_date", []).append(_("An indefinite status has no end: leave the end empty."))
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("The end cannot be before the start."))
    elif start and end and end > rules.add_months(start, 12 * rules.PERIOD_MAX_LENGTH_YEARS):
        errors.setdefault("end_date", []).append(
            _("The period would last more than %(years)d years: check the end date.")
            % {"years": rules.PERIOD_MAX_LENGTH_YEARS}
        )
    if kind == "other" and not (cleaned.get("status_other_label") or "").strip():
        errors.setdefault("status_other_label", []).append(_("Enter the name of the status."))
    if kind != "other":
        cleaned["other_grants_work"] = False
    filed = cleaned.get("renewal_filed_on")
    decision = cleaned.get("renewal_decision") or ""
    decided = cleaned.get("renewal_decided_on")
    if decision and decision not in RenewalDecision.values:
        errors.setdefault("renewal_decision", []).append(_("Choose a decision from the list."))
    if filed and filed > today:
        errors.setdefault("renewal_filed_on", []).append(_("The renewal cannot be filed in the future."))
    if filed and start and filed < start - timedelta(days=366):
        errors.setdefault("renewal_filed_on", []).append(_("The renewal date is long before this period."))
    if (decision or decided) and not filed:
        errors.setdefault("renewal_filed_on", []).append(_("Enter when the renewal was filed."))
    if decision and not decided:
        errors.setdefault("renewal_decided_on", []).append(_("Enter the date of the decision."))
    if decided and filed and decided < filed:
        errors.setdefault("renewal_decided_on", []).append(_("The decision cannot be before the filing."))
    if errors:
        raise ValidationError(errors)
    cleaned["renewal_decision"] = decision
    return cleaned


def _apply_card_number(period: LegalStatusPeriod, raw: str | None, *, confirm_conflict: bool) -> None:
    if raw is None:
        return
    normalised = names.normalise_card_number(raw)
    if not normalised:
        period.card_number_encrypted = period.card_number_hash = period.card_number_hint = ""
        return
    if not names.is_valid_card_number(normalised):
        raise _card_format_error()
    digest = crypto.lookup_hash(normalised)
    clash = (
        LegalStatusPeriod.objects.filter(
            card_number_hash=digest, applicant__organisation=period.applicant.organisation
        )
        .exclude(applicant=period.applicant)
        .select_related("applicant")
        .first()
    )
    if clash is not None and not confirm_conflict:
        raise ValidationError(
            {
                "card_number": ValidationError(
                    _(
                        "This card number is already recorded for %(reference)s. Check the number; if it is "
                        "right, confirm to save it anyway."
                    )
                    % {"reference": clash.applicant.reference_code},
                    code="card_conflict",
                )
            }
        )
    period.card_number_encrypted = crypto.encrypt(normalised)
    period.card_number_hash = digest
    period.card_number_hint = normalised[:2] + normalised[-2:]


def _save_period(period: LegalStatusPeriod) -> LegalStatusPeriod:
    other = overlapping_period(
        applicant=period.applicant, start=period.start_date, end=period.end_date, exclude_pk=period.pk
    )
    if other is not None:
        raise _overlap_error(other)
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError as exc:
        # A concurrent save got past the check; PostgreSQL's exclusion constraint caught it.
        other = overlapping_period(
            applicant=period.applicant, start=period.start_date, end=period.end_date, exclude_pk=period.pk
        )
        if other is not None:
            raise _overlap_error(other) from exc
        raise
    return period


@transaction.atomic
def legal_period_record(
    *,
    by: User,
    applicant: Applicant,
    data: dict[str, Any],
    card_number: str | None = None,
    confirm_card_conflict: bool = False,
    end_current: bool = False,
    from_import: bool = False,
) -> LegalStatusPeriod:
    """Record a period. With end_current, a status change mid-period ends the running period the day before.

    from_import: brought in by a spreadsheet import, so not "at entry" — no "on record" reminder.
    """
    _require_editable(by, applicant)
    # Serialise writers of one applicant's periods (PostgreSQL); SQLite's IMMEDIATE does it already.
    Applicant.objects.select_for_update().filter(pk=applicant.pk).first()
    cleaned = _clean_period(data, today=timezone.localdate())
    period = LegalStatusPeriod(applicant=applicant, from_import=from_import, **cleaned)
    previous = applicant.periods.order_by("-start_date").first()
    if end_current:
        running = overlapping_period(applicant=applicant, start=period.start_date, end=period.start_date)
        if running is not None and running.start_date < period.start_date:
            before = snapshot(running)
            running.end_date = period.start_date - timedelta(days=1)
            running.is_indefinite = False
            running.save(update_fields=["end_date", "is_indefinite", "updated_at"])
            record_change(actor=by, instance=running, before=before)
    _apply_card_number(period, card_number, confirm_conflict=confirm_card_conflict)
    _save_period(period)
    record_change(actor=by, instance=period, before=None)
    if _starts_on_record(period) and not from_import:
        _evaluate_on_commit(_period_kinds(period.status_kind)[0], [period.pk])
    if previous is not None and previous.start_date < period.start_date:
        # The next period recorded deals with the previous one's deadline: its reminders stop now.
        for kind in _period_kinds(previous.status_kind):
            _evaluate_on_commit(kind, [previous.pk])
    return period


def _card_format_error() -> ValidationError:
    return ValidationError(
        {
            "card_number": ValidationError(
                _("A residence card number is 2 letters, 8 digits and 2 letters, for example AB12345678CD."),
                code="card_format",
            )
        }
    )


@transaction.atomic
def legal_period_update(
    *,
    by: User,
    period: LegalStatusPeriod,
    data: dict[str, Any],
    card_number: str | None = None,
    confirm_card_conflict: bool = False,
) -> LegalStatusPeriod:
    _require_editable(by, period.applicant)
    # The row as stored: an admin form has already put its new values on the object handed in.
    before = snapshot(LegalStatusPeriod.objects.get(pk=period.pk))
    current = {key: getattr(period, key) for key in PERIOD_FIELDS}
    cleaned = _clean_period({**current, **data}, today=timezone.localdate())
    for key, value in cleaned.items():
        setattr(period, key, value)
    _apply_card_number(period, card_number, confirm_conflict=confirm_card_conflict)
    _save_period(period)
    record_change(actor=by, instance=period, before=before)
    if any(current[key] != getattr(period, key) for key in PERIOD_REMINDER_FIELDS):
        # A corrected end date, a renewal filed or decided: the old ladder stops now, not tomorrow.
        kinds = dict.fromkeys(_period_kinds(current["status_kind"]) + _period_kinds(period.status_kind))
        for kind in kinds:
            _evaluate_on_commit(kind, [period.pk])
    return period


@transaction.atomic
def legal_period_delete(*, by: User, period: LegalStatusPeriod) -> None:
    _require_editable(by, period.applicant)
    stored = LegalStatusPeriod.objects.get(pk=period.pk)
    record_change(actor=by, instance=stored, before=snapshot(stored), action=ChangeRecord.Action.DELETE)
    pk = period.pk
    period.delete()
    for kind in _period_kinds(period.status_kind):
        _evaluate_on_commit(kind, [pk])  # its pending reminders are cancelled


def _clean_dates(data: dict[str, Any], *, start_key: str = "start_date", end_key: str = "end_date") -> None:
    start, end = data.get(start_key), data.get(end_key)
    if start is None:
        raise ValidationError({start_key: _("Enter the first day.")})
    if end is not None and end < start:
        raise ValidationError({end_key: _("The end cannot be before the start.")})
    if end is not None and end > rules.add_months(start, 12 * rules.PERIOD_MAX_LENGTH_YEARS):
        raise ValidationError(
            {
                end_key: _("The period would last more than %(years)d years: check the end date.")
                % {"years": rules.PERIOD_MAX_LENGTH_YEARS}
            }
        )


@transaction.atomic
def work_permission_record(*, by: User, applicant: Applicant, data: dict[str, Any]) -> WorkPermission:
    _require_editable(by, applicant)
    _clean_dates(data)
    if data.get("basis") not in WorkPermission.Basis.values:
        raise ValidationError({"basis": _("Choose the basis of the permission.")})
    scope = data.get("scope") or WorkPermission.Scope.FULL
    if scope not in WorkPermission.Scope.values:
        raise ValidationError({"scope": _("Choose the scope of the permission.")})
    hours = data.get("hours_per_week")
    if scope == WorkPermission.Scope.HOURS and not hours:
        raise ValidationError({"hours_per_week": _("Enter the hours per week allowed.")})
    if hours is not None and not 0 < int(hours) <= 60:
        raise ValidationError({"hours_per_week": _("Enter between 1 and 60 hours per week.")})
    permission = WorkPermission.objects.create(
        applicant=applicant,
        basis=data["basis"],
        scope=scope,
        hours_per_week=hours if scope == WorkPermission.Scope.HOURS else None,
        start_date=data["start_date"],
        end_date=data.get("end_date"),
        note=data.get("note", ""),
    )
    record_change(actor=by, instance=permission, before=None)
    return permission


@transaction.atomic
def reporting_obligation_record(
    *, by: User, applicant: Applicant, data: dict[str, Any]
) -> ReportingObligation:
    _require_editable(by, applicant)
    errors: dict[str, str] = {}
    if data.get("kind") not in ReportingObligation.Kind.values:
        errors["kind"] = _("Choose the kind of obligation.")
    if not data.get("next_report_date"):
        errors["next_report_date"] = _("Enter the next report date.")
    elif data["next_report_date"] > rules.add_months(
        timezone.localdate(), 12 * rules.PERIOD_START_MAX_YEARS_AHEAD
    ):
        errors["next_report_date"] = _(
            "The next report date is more than %(years)d years ahead: check the year."
        ) % {"years": rules.PERIOD_START_MAX_YEARS_AHEAD}
    if not (data.get("place") or "").strip():
        errors["place"] = _("Enter where the person reports.")
    last = data.get("last_reported_on")
    if last and last > timezone.localdate():
        errors["last_reported_on"] = _("The last report cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    obligation = ReportingObligation.objects.create(
        applicant=applicant,
        kind=data["kind"],
        next_report_date=data["next_report_date"],
        place=data["place"].strip(),
        supervisor_name=(data.get("supervisor_name") or "").strip(),
        last_reported_on=last,
        note=data.get("note", ""),
    )
    record_change(actor=by, instance=obligation, before=None)
    return obligation


@transaction.atomic
def procedure_record(*, by: User, applicant: Applicant, data: dict[str, Any]) -> RefugeeProcedure:
    """Open a refugee-status application; the 'filed' event is recorded with it."""
    _require_editable(by, applicant)
    errors: dict[str, str] = {}
    ordinal = data.get("ordinal")
    applied_on = data.get("applied_on")
    if not ordinal or int(ordinal) < 1:
        errors["ordinal"] = _("Enter which application this is (1 for the first).")
    elif RefugeeProcedure.objects.filter(applicant=applicant, ordinal=ordinal).exists():
        errors["ordinal"] = _("This person already has application number %(n)s.") % {"n": ordinal}
    if not applied_on:
        errors["applied_on"] = _("Enter the application date.")
    elif applied_on > timezone.localdate():
        errors["applied_on"] = _("The application date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    procedure = RefugeeProcedure.objects.create(
        applicant=applicant,
        ordinal=int(data["ordinal"]),
        applied_on=data["applied_on"],
        grounds_submitted=bool(data.get("grounds_submitted")),
        note=data.get("note", ""),
    )
    filed = ProcedureEvent.objects.create(
        procedure=procedure, kind=ProcedureEvent.Kind.FILED, date=data["applied_on"], recorded_by=by
    )
    record_change(actor=by, instance=procedure, before=None)
    record_change(actor=by, instance=filed, before=None, applicant_id=applicant.pk)
    return procedure


@transaction.atomic
def procedure_update(*, by: User, procedure: RefugeeProcedure, data: dict[str, Any]) -> RefugeeProcedure:
    _require_editable(by, procedure.applicant)
    before = snapshot(RefugeeProcedure.objects.get(pk=procedure.pk))
    for key in ("grounds_submitted", "is_open", "note"):
        if key in data:
            setattr(procedure, key, data[key])
    procedure.save()
    record_change(actor=by, instance=procedure, before=before)
    return procedure


@transaction.atomic
def procedure_event_record(*, by: User, procedure: RefugeeProcedure, data: dict[str, Any]) -> ProcedureEvent:
    _require_editable(by, procedure.applicant)
    kind, day = data.get("kind"), data.get("date")
    errors: dict[str, str] = {}
    if kind not in ProcedureEvent.Kind.values:
        errors["kind"] = _("Choose the kind of event.")
    if day is None:
        errors["date"] = _("Enter the date.")
    elif day < procedure.applied_on:
        errors["date"] = _("This date is before the application date (%(applied)s).") % {
            "applied": _date_text(procedure.applied_on)
        }
    elif kind != ProcedureEvent.Kind.INTERVIEW and day > timezone.localdate():
        errors["date"] = _("Only an interview can be recorded ahead; this date is in the future.")
    category = data.get("triage_category") or ""
    outcome = data.get("outcome") or ""
    if kind == ProcedureEvent.Kind.TRIAGE and category not in ProcedureEvent.Triage.values:
        errors["triage_category"] = _("Choose the triage category (A, B, C, D1 or D2).")
    if kind in (ProcedureEvent.Kind.DECISION, ProcedureEvent.Kind.APPEAL_DECISION) and (
        outcome not in ProcedureOutcome.values
    ):
        errors["outcome"] = _("Choose the outcome of the decision.")
    if (
        kind == ProcedureEvent.Kind.APPEAL_FILED
        and not procedure.events.filter(kind=ProcedureEvent.Kind.REFUSAL_NOTICE).exists()
    ):
        errors["kind"] = _("Record the refusal notice before the appeal.")
    if errors:
        raise ValidationError(errors)
    notices = []
    if kind == ProcedureEvent.Kind.APPEAL_FILED:
        # The appeal deals with the appeal deadline: its pending reminders stop at once.
        notices = list(
            procedure.events.filter(kind=ProcedureEvent.Kind.REFUSAL_NOTICE).values_list("pk", flat=True)
        )
    event = ProcedureEvent.objects.create(
        procedure=procedure,
        kind=data["kind"],
        date=data["date"],
        triage_category=category if kind == ProcedureEvent.Kind.TRIAGE else "",
        outcome=outcome
        if kind in (ProcedureEvent.Kind.DECISION, ProcedureEvent.Kind.APPEAL_DECISION)
        else "",
        note=data.get("note", ""),
        recorded_by=by,
    )
    record_change(actor=by, instance=event, before=None, applicant_id=procedure.applicant_id)
    if kind == ProcedureEvent.Kind.APPEAL_DECISION or (
        kind == ProcedureEvent.Kind.DECISION and outcome != ProcedureOutcome.REFUSED
    ):
        closed = RefugeeProcedure.objects.filter(pk=procedure.pk, is_open=True).update(is_open=False)
        if closed:
            record_change(
                actor=by,
                instance=procedure,
                before={"is_open": True},
                after={"is_open": False},
                applicant_id=procedure.applicant_id,
            )
            procedure.is_open = False
    if kind == ProcedureEvent.Kind.REFUSAL_NOTICE:
        # Seven days to appeal: the caseworker hears of it now, not at tomorrow's sweep.
        _evaluate_on_commit("appeal_deadline", [event.pk])
    _evaluate_on_commit("appeal_deadline", notices)
    return event


@transaction.atomic
def right_to_work_check_record(*, by: User, applicant: Applicant, data: dict[str, Any]) -> RightToWorkCheck:
    """Record that `by` saw the person's residence card and/or designation paper (指定書) on a day.

    A share packet states "right to work checked by the organisation on DATE" only from a check where
    both were seen (selectors.right_to_work_checked_on); one document alone is kept as what happened.
    Checks are never changed: a later check follows an earlier one.
    """
    _require_editable(by, applicant)
    errors: dict[str, str] = {}
    checked_on = data.get("checked_on")
    if checked_on is None:
        errors["checked_on"] = _("Enter the day you saw the documents.")
    elif checked_on > timezone.localdate():
        errors["checked_on"] = _("The check cannot be in the future.")
    elif checked_on < rules.add_months(timezone.localdate(), -12 * rules.PERIOD_START_MAX_YEARS_AGO):
        errors["checked_on"] = _("The check is more than %(years)d years ago: check the year.") % {
            "years": rules.PERIOD_START_MAX_YEARS_AGO
        }
    saw_card = bool(data.get("saw_residence_card"))
    saw_paper = bool(data.get("saw_designation_paper"))
    if not (saw_card or saw_paper):
        errors["saw_residence_card"] = _(
            "Tick the documents you saw: the residence card, the designation paper, or both."
        )
    if errors:
        raise ValidationError(errors)
    check = RightToWorkCheck.objects.create(
        applicant=applicant,
        checked_on=data["checked_on"],
        saw_residence_card=saw_card,
        saw_designation_paper=saw_paper,
        note=(data.get("note") or "").strip(),
        checked_by=by,
    )
    record_change(actor=by, instance=check, before=None)
    return check
