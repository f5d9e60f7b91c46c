"""Interview proposals: an employer proposes one to three times from the portal (or withdraws the
proposal); the person's caseworker, their supervisor or an administrator confirms one time, which records
the interview through interview_save (a shared referral moves to "interview"), or declines with a reason.
Confirming queues an "interview confirmed" e-mail to the employer's active portal users."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.deadlines.delivery import queue_notification_email
from casework.models import User
from jobs import rules
from jobs.models import (
    MAX_SLOTS,
    EmployerMembership,
    InterviewProposal,
    ProposalSlot,
    ProposalStatus,
    Referral,
    Stage,
)
from jobs.selectors.partner import partner_access, partner_referrals
from jobs.services.base import require
from jobs.services.referrals import interview_save

INTERVIEW_CONFIRMED_KIND = "jobs.interview_confirmed"
# Stages at which the employer may propose an interview (a referral that is shared or already interviewing).
PROPOSABLE_STAGES = (Stage.SHARED, Stage.INTERVIEW)


def partner_referral_for_write(by: User, referral: Referral) -> Referral:
    """The referral, locked, when it is one the employer user's employer has in hand; another employer's
    (or one not shared) is a 404 like an id that does not exist. Refused while the partnership is paused."""
    access = partner_access(by)
    require(access is not None)
    assert access is not None
    if access.read_only:
        raise PermissionDenied(_("The partnership is paused: the portal is read-only."))
    if not partner_referrals(by).filter(pk=referral.pk).exists():
        raise Http404
    return Referral.objects.select_for_update().select_related("applicant", "opening").get(pk=referral.pk)


def _clean_slots(values: Any, now: datetime) -> list[datetime]:
    slots: list[datetime] = []
    for value in values or []:
        if value in (None, ""):
            continue
        if not isinstance(value, datetime):
            raise ValidationError({"slots": _("Enter each time as a day and a time.")})
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        if value <= now:
            raise ValidationError({"slots": _("Every proposed time must be in the future.")})
        if value not in slots:
            slots.append(value)
    if not slots:
        raise ValidationError({"slots": _("Propose at least one time for the interview.")})
    if len(slots) > MAX_SLOTS:
        raise ValidationError({"slots": _("Propose at most %(count)d times.") % {"count": MAX_SLOTS}})
    return sorted(slots)


def _clean_proposal(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {
        key: str(data.get(key) or "").strip() for key in ("place", "link", "interpreter_language", "note")
    }
    cleaned["interpreter_needed"] = bool(data.get("interpreter_needed"))
    if cleaned["link"]:
        try:
            URLValidator(schemes=["https", "http"])(cleaned["link"])
        except ValidationError:
            errors.setdefault("link", []).append(_("Enter the full address of the online meeting."))
    if len(cleaned["place"]) > 300:
        errors.setdefault("place", []).append(_("Keep the place to 300 characters."))
    if cleaned["interpreter_needed"] and not cleaned["interpreter_language"]:
        errors.setdefault("interpreter_language", []).append(_("Say which language the interpreter speaks."))
    if not cleaned["interpreter_needed"]:
        cleaned["interpreter_language"] = ""
    if len(cleaned["interpreter_language"]) > 60:
        errors.setdefault("interpreter_language", []).append(_("Keep the language to 60 characters."))
    if not cleaned["place"] and not cleaned["link"]:
        errors.setdefault("place", []).append(_("Say where the interview is, or give the online link."))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def interview_propose(*, by: User, referral: Referral, data: dict[str, Any]) -> InterviewProposal:
    """An employer user proposes an interview (data: slots, place, link, interpreter_needed,
    interpreter_language, note) for a referral its employer has in hand, shared or interviewing."""
    locked = partner_referral_for_write(by, referral)
    if locked.stage not in PROPOSABLE_STAGES:
        raise ValidationError(
            {
                "referral": _("An interview can be proposed only while the candidate is %(stages)s.")
                % {"stages": " / ".join(str(Stage(stage).label) for stage in PROPOSABLE_STAGES)}
            }
        )
    slots = _clean_slots(data.get("slots"), timezone.now())
    cleaned = _clean_proposal(data)
    if InterviewProposal.objects.filter(referral=locked, status=ProposalStatus.PENDING).exists():
        raise ValidationError(
            {"referral": _("A proposal for this candidate is already waiting: withdraw it first.")}
        )
    try:
        with transaction.atomic():
            proposal = InterviewProposal.objects.create(referral=locked, proposed_by=by, **cleaned)
    except IntegrityError as error:  # proposed by a colleague at the same moment
        raise ValidationError(
            {"referral": _("A proposal for this candidate is already waiting: withdraw it first.")}
        ) from error
    ProposalSlot.objects.bulk_create([ProposalSlot(proposal=proposal, starts_at=slot) for slot in slots])
    record_change(actor=by, instance=proposal, before=None, applicant_id=locked.applicant_id)
    return proposal


def _pending(proposal: InterviewProposal) -> InterviewProposal:
    locked = InterviewProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(
            {
                "status": _("This proposal is no longer waiting (it is %(status)s).")
                % {"status": ProposalStatus(locked.status).label}
            }
        )
    return locked


def _decide(by: User, locked: InterviewProposal, status: str, **changes: Any) -> InterviewProposal:
    before = snapshot(locked)
    locked.status = status
    locked.decided_by = by
    locked.decided_at = timezone.now()
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.save()
    record_change(actor=by, instance=locked, before=before, applicant_id=locked.referral.applicant_id)
    return locked


@transaction.atomic
def interview_proposal_withdraw(*, by: User, proposal: InterviewProposal) -> InterviewProposal:
    """The employer withdraws its proposal while it is waiting."""
    partner_referral_for_write(by, proposal.referral)
    return _decide(by, _pending(proposal), ProposalStatus.WITHDRAWN)


def _staff_proposal(by: User, proposal: InterviewProposal) -> InterviewProposal:
    require(InterviewProposal.objects.editable_by(by).filter(pk=proposal.pk).exists())
    return _pending(proposal)


@transaction.atomic
def interview_proposal_confirm(*, by: User, proposal: InterviewProposal, slot: Any) -> InterviewProposal:
    """Confirm one of the proposed times: the interview is recorded (interview_save: a shared referral
    moves to "interview") and the employer's portal users are told by e-mail."""
    locked = _staff_proposal(by, proposal)
    slot_id = slot.pk if isinstance(slot, ProposalSlot) else slot
    try:
        chosen = locked.slots.get(pk=int(slot_id))
    except (TypeError, ValueError, ProposalSlot.DoesNotExist):
        raise ValidationError({"slot": _("Choose one of the proposed times.")}) from None
    if chosen.starts_at <= timezone.now():
        raise ValidationError({"slot": _("This time has passed: choose another or decline the proposal.")})
    referral = locked.referral
    if referral.stage in rules.CLOSED_STAGES:
        raise ValidationError({"referral": _("This referral is closed.")})
    interview = interview_save(
        by=by,
        referral=referral,
        data={
            "starts_at": chosen.starts_at,
            "place": locked.place,
            "link": locked.link,
            "interpreter_needed": locked.interpreter_needed,
            "interpreter_language": locked.interpreter_language,
            "note": locked.note,
        },
    )
    confirmed = _decide(by, locked, ProposalStatus.CONFIRMED, interview=interview)
    _queue_confirmed_emails(confirmed, referral)
    return confirmed


@transaction.atomic
def interview_proposal_decline(*, by: User, proposal: InterviewProposal, reason: Any) -> InterviewProposal:
    """Decline a proposal, saying why (the employer sees the reason and may propose other times)."""
    text = str(reason or "").strip()
    if not text:
        raise ValidationError({"decline_reason": _("Say why the proposal is declined.")})
    locked = _staff_proposal(by, proposal)
    return _decide(by, locked, ProposalStatus.DECLINED, decline_reason=text)


def _queue_confirmed_emails(proposal: InterviewProposal, referral: Referral) -> None:
    """One e-mail per active portal user of the employer, in their language; the topic (kind + proposal)
    makes a repeat recognisable and keeps the Message-ID stable."""
    interview = proposal.interview
    assert interview is not None
    members = (
        EmployerMembership.objects.filter(employer_id=referral.opening.employer_id, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    for membership in members:
        queue_notification_email(
            user=membership.user,
            kind=INTERVIEW_CONFIRMED_KIND,
            target=str(proposal.pk),
            template="jobs/email/interview_confirmed",
            context={
                "reference_code": referral.applicant.reference_code,
                "opening_title": referral.opening.title,
                "starts_at": interview.starts_at,
                "place": interview.place,
                "link": interview.link,
                "interpreter_language": interview.interpreter_language,
                "link_path": reverse("partner_candidate", args=[referral.pk]),
            },
        )
