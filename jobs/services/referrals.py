"""The referral pipeline: propose a person for an opening, move the card, report a hire.

Every move is checked here (jobs.rules.stage_move for the shape, the access matrix for who, casework's
consent and "may work" for what must be true) and written with its stage history and change history.
Confirming a hire into a placement is services/placements.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.models import Applicant, ConsentPurpose, LegalStatusPeriod, User, WorkPermission
from casework.selectors.consent import consents_allow
from casework.selectors.legal import may_work_on
from jobs import rules
from jobs.models import (
    Interview,
    InterviewOutcome,
    JobOpening,
    OpeningStatus,
    ReasonCode,
    Referral,
    Stage,
    StageChange,
)
from jobs.services.base import is_supervisor_of, require
from jobs.services.partner_emails import new_candidate_emails_queue


def consent_for(applicant: Applicant, opening: JobOpening, on: date) -> bool:
    """A current share-with-employer consent naming this opening's employer (by reference, or by name on a
    consent recorded without one)."""
    return consents_allow(
        applicant.consents.all(),
        ConsentPurpose.SHARE_WITH_EMPLOYER,
        on=on,
        employer_ref=rules.employer_ref(opening.employer_id),
        employer_name=opening.employer.name,
    )


def may_work_on_day(applicant: Applicant, day: date) -> bool:
    periods = list(LegalStatusPeriod.objects.filter(applicant=applicant))
    permissions = list(WorkPermission.objects.filter(applicant=applicant))
    return may_work_on(periods, permissions, day)


def _day(day: date) -> str:
    return formats.date_format(day, "Y-m-d")


def _history(
    referral: Referral, *, by: User, from_stage: str, reason_code: str = "", reason_text: str = ""
) -> None:
    StageChange.objects.create(
        referral=referral,
        from_stage=from_stage,
        to_stage=referral.stage,
        reason_code=reason_code,
        reason_text=reason_text,
        by=by,
        at=referral.stage_changed_at,
    )


@transaction.atomic
def referral_propose(*, by: User, applicant: Applicant, opening: JobOpening, note: str = "") -> Referral:
    """Propose a person for an opening: staff who may write the person's case, an opening that is open."""
    require(Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists())
    require(JobOpening.objects.visible_to(by).filter(pk=opening.pk).exists())
    if opening.status != OpeningStatus.OPEN:
        raise ValidationError({"opening": _("Only an open opening takes referrals.")})
    if Referral.objects.filter(applicant=applicant, opening=opening).exists():
        raise ValidationError({"applicant": _("This person is already referred to this opening.")})
    now = timezone.now()
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                applicant=applicant,
                opening=opening,
                stage=Stage.PROPOSED,
                stage_changed_at=now,
                reason_text=str(note or "").strip(),
                created_by=by,
            )
    except IntegrityError as error:  # proposed by someone else at the same moment
        raise ValidationError({"applicant": _("This person is already referred to this opening.")}) from error
    _history(referral, by=by, from_stage="")
    record_change(actor=by, instance=referral, before=None, applicant_id=applicant.pk)
    return referral


def _clean_reason(data: dict[str, Any], required: bool) -> tuple[str, str]:
    code = str(data.get("reason_code") or "").strip()
    text = str(data.get("reason_text") or "").strip()
    if code and code not in ReasonCode.values:
        raise ValidationError({"reason_code": _("Choose a reason from the list.")})
    if required and not code:
        raise ValidationError({"reason_code": _("Choose the reason for this move.")})
    if code == ReasonCode.OTHER and not text:
        raise ValidationError({"reason_text": _("Say in a few words what the reason is.")})
    return code, text


def _clean_documents_seen_on(value: Any, *, start: date, today: date) -> date:
    """A hire report states the day the employer saw the residence card and designation paper itself
    (DOMAIN.md §9): required, a day that has come, and on or before the start (it is checked before hiring)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(
            {
                "documents_seen_on": _(
                    "Enter the day the employer saw the residence card and designation paper."
                )
            }
        )
    if value > today:
        raise ValidationError(
            {"documents_seen_on": _("The day the documents were seen cannot be in the future.")}
        )
    if value > start:
        raise ValidationError(
            {
                "documents_seen_on": _("The employer must see the documents before the job starts (%(day)s).")
                % {"day": _day(start)}
            }
        )
    return value


@transaction.atomic
def referral_move(*, by: User, referral: Referral, data: dict[str, Any]) -> Referral:
    """Move a referral to another stage (data: stage, version, reason_code, reason_text, start_date).

    Refused, with the field named: an unknown or closed stage, a stale version (someone moved the card
    meanwhile: one wins, the other is told, nothing is written), a backwards move by anyone but a
    supervisor of the person's team (or an administrator) and without a reason, "shared" or later without
    a current consent to share with this employer, a hire reported for someone who may not work on the
    start date or without the day the employer saw the residence card and designation paper
    (documents_seen_on: not in the future, not after the start). "Hired" is reached only by confirming a reported hire (services/placements.py).
    """
    require(Referral.objects.editable_by(by).filter(pk=referral.pk).exists())
    return move_referral(by=by, referral=referral, data=data)


def move_referral(*, by: User, referral: Referral, data: dict[str, Any]) -> Referral:
    """referral_move's checks and write, once the caller has decided that `by` may move this referral
    (staff: referral_move; an employer user, from the portal: jobs.services.offers). Runs inside the
    caller's transaction."""
    locked = Referral.objects.select_for_update().select_related("applicant", "opening").get(pk=referral.pk)
    target = str(data.get("stage") or "").strip()
    if target not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage from the list.")})
    version = data.get("version")
    if version is not None and int(version) != locked.version:
        raise ValidationError(
            {
                "version": _(
                    "Someone else moved this referral meanwhile (it is now “%(stage)s”): nothing was changed."
                )
                % {"stage": Stage(locked.stage).label}
            }
        )
    move = rules.stage_move(current=locked.stage, target=target)
    if not move.allowed:
        messages = {
            "same": _("The referral is already at this stage."),
            "closed": _("This referral is closed; it does not move any more."),
            "confirm": _("A hire becomes final when the person's caseworker confirms the reported hire."),
        }
        raise ValidationError({"stage": messages.get(move.why, _("Choose a stage from the list."))})
    if move.backwards and not is_supervisor_of(by, locked.applicant.team_id):
        raise ValidationError({"stage": _("Only a supervisor can move a referral back, with a reason.")})
    reason_code, reason_text = _clean_reason(data, move.reason_required)
    today = timezone.localdate()
    needs_consent = target in rules.NEEDS_CONSENT or target == Stage.CONSENT_RECORDED
    if needs_consent and not consent_for(locked.applicant, locked.opening, today):
        raise ValidationError(
            {
                "stage": _(
                    "%(person)s has no current consent to share their information with %(employer)s: "
                    "record the consent first."
                )
                % {"person": locked.applicant.reference_code, "employer": locked.opening.employer.name}
            },
            code="consent_required",
        )
    start = documents_seen_on = None
    if target == Stage.HIRE_REPORTED:
        start = data.get("start_date") or locked.opening.start_date
        if not isinstance(start, date):
            raise ValidationError({"start_date": _("Enter the day the job starts.")})
        if not may_work_on_day(locked.applicant, start):
            raise ValidationError(
                {
                    "start_date": _("%(person)s may not work on %(day)s according to their records.")
                    % {"person": locked.applicant.reference_code, "day": _day(start)}
                }
            )
        offered = offer_day(locked)
        if offered is not None and start < offered:
            raise ValidationError(
                {
                    "start_date": _("The job cannot start before the offer was made (%(day)s).")
                    % {"day": _day(offered)}
                }
            )
        documents_seen_on = _clean_documents_seen_on(data.get("documents_seen_on"), start=start, today=today)
    before = snapshot(locked)
    previous = locked.stage
    locked.stage = target
    locked.reason_code = reason_code
    locked.reason_text = reason_text
    locked.stage_changed_at = timezone.now()
    if start is not None:
        locked.reported_start_date = start
        locked.documents_seen_on = documents_seen_on
    locked.version += 1
    locked.save()
    _history(locked, by=by, from_stage=previous, reason_code=reason_code, reason_text=reason_text)
    record_change(actor=by, instance=locked, before=before, applicant_id=locked.applicant_id)
    if target == Stage.SHARED:
        new_candidate_emails_queue(referral=locked)  # the employer's portal users, once per referral
    return locked


def offer_day(referral: Referral) -> date | None:
    """The day the referral last reached "offer" (Asia/Tokyo), from its stage history."""
    change = referral.stage_changes.filter(to_stage=Stage.OFFER).order_by("-at").first()
    return timezone.localdate(change.at) if change is not None else None


def close_other_referrals(*, by: User, applicant_id: int, keep: int, reason: str) -> int:
    """Withdraw a person's other open referrals (placed elsewhere, consent revoked): their count."""
    now = timezone.now()
    others = list(
        Referral.objects.select_for_update()
        .filter(applicant_id=applicant_id, stage__in=rules.OPEN_STAGES)
        .exclude(pk=keep)
        .order_by("pk")
    )
    for other in others:
        previous = other.stage
        other.stage = Stage.WITHDRAWN
        other.reason_code = reason
        other.reason_text = ""
        other.stage_changed_at = now
        other.version += 1
    Referral.objects.bulk_update(
        others, ["stage", "reason_code", "reason_text", "stage_changed_at", "version"]
    )
    StageChange.objects.bulk_create(
        [
            StageChange(
                referral=other,
                from_stage=previous,
                to_stage=Stage.WITHDRAWN,
                reason_code=reason,
                by=by,
                at=now,
            )
            for other in others
        ]
    )
    return len(others)


INTERVIEW_FIELDS = (
    "starts_at",
    "place",
    "link",
    "interpreter_needed",
    "interpreter_language",
    "outcome",
    "note",
)


def _clean_interview(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned = {key: data.get(key) for key in INTERVIEW_FIELDS}
    for key in ("place", "link", "interpreter_language", "outcome", "note"):
        cleaned[key] = str(cleaned[key] or "").strip()
    starts = cleaned["starts_at"]
    if not isinstance(starts, datetime):
        errors.setdefault("starts_at", []).append(_("Enter the day and time of the interview."))
    elif timezone.is_naive(starts):
        cleaned["starts_at"] = timezone.make_aware(starts)
    if cleaned["link"]:
        try:
            URLValidator(schemes=["https", "http"])(cleaned["link"])
        except ValidationError:
            errors.setdefault("link", []).append(_("Enter the full address of the online meeting."))
    cleaned["interpreter_needed"] = bool(cleaned["interpreter_needed"])
    if cleaned["interpreter_needed"] and not cleaned["interpreter_language"]:
        errors.setdefault("interpreter_language", []).append(_("Say which language the interpreter speaks."))
    if not cleaned["outcome"]:
        cleaned["outcome"] = InterviewOutcome.PENDING
    elif cleaned["outcome"] not in InterviewOutcome.values:
        errors.setdefault("outcome", []).append(_("Choose the outcome from the list."))
    if not cleaned["place"] and not cleaned["link"]:
        errors.setdefault("place", []).append(_("Say where the interview is, or give the online link."))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def interview_save(
    *, by: User, referral: Referral, data: dict[str, Any], interview: Interview | None = None
) -> Interview:
    """Record an interview (or change one). A referral that is shared moves to "interview" with it."""
    require(Referral.objects.editable_by(by).filter(pk=referral.pk).exists())
    if interview is not None and interview.referral_id != referral.pk:
        raise ValidationError({"interview": _("This interview belongs to another referral.")})
    if referral.stage in rules.CLOSED_STAGES:
        raise ValidationError({"referral": _("This referral is closed.")})
    cleaned = _clean_interview(data)
    before = snapshot(interview) if interview is not None else None
    if interview is None:
        interview = Interview(referral=referral, created_by=by)
    for key, value in cleaned.items():
        setattr(interview, key, value)
    interview.save()
    record_change(actor=by, instance=interview, before=before, applicant_id=referral.applicant_id)
    if referral.stage == Stage.SHARED:
        referral_move(by=by, referral=referral, data={"stage": Stage.INTERVIEW})
    return interview
