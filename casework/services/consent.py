"""Consent and sensitive information (要配慮個人情報): record and revoke consent, write and erase the texts.

Who may touch sensitive information: the applicant's assigned caseworker and the supervisors of the
applicant's team, nobody else (selectors.sensitive_access_allowed). Administrators have no access to
the texts at all, neither to read, nor to write, nor to erase, unless they also hold one of those two
roles for that person: DESIGN.md's break-glass view is for confidential notes, and an administrator who
needs a case handled reassigns it (which the assignment history records). Consents themselves are case
records like the legal ones: whoever may change the case records and revokes them, administrators
included.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casework import audit, selectors
from casework.models import (
    Applicant,
    ChangeRecord,
    Consent,
    ConsentPurpose,
    Document,
    FieldGroup,
    SensitiveRecord,
    User,
)

CONSENT_FIELDS = (
    "purpose",
    "employer_name",
    "employer_ref",
    "scope",
    "granted_on",
    "expires_on",
    "form_document",
    "note",
)
SENSITIVE_MODEL = SensitiveRecord._meta.label_lower


def _day(value: date | None) -> str:
    return formats.date_format(value, "Y-m-d") if value else "…"


def _require_editable(by: User, applicant: Applicant) -> None:
    if not Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists():
        raise PermissionDenied


def _require_sensitive_access(by: User, applicant: Applicant) -> None:
    if not selectors.sensitive_access_allowed(user=by, applicant=applicant):
        raise PermissionDenied


# --- Consent --------------------------------------------------------------------------------------------

# Called as handler(by=user, consent=consent) inside consent_revoke's transaction, after the revocation is
# saved: other apps act on a revoked consent (jobs withdraws the referrals it no longer covers) without
# casework importing them. A handler that raises undoes the revocation with it: nothing half-written.
ConsentRevokedHandler = Callable[..., None]
_REVOKED_HANDLERS: list[ConsentRevokedHandler] = []


def register_consent_revoked_handler(handler: ConsentRevokedHandler) -> None:
    if handler not in _REVOKED_HANDLERS:
        _REVOKED_HANDLERS.append(handler)


def _clean_consent(data: dict[str, Any], *, by: User, applicant: Applicant, today: date) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    purpose = data.get("purpose") or ""
    if purpose not in ConsentPurpose.values:
        error("purpose", _("Choose the purpose of the consent from the list."))

    raw_scope = data.get("scope") or []
    scope: list[str] = []
    if not isinstance(raw_scope, list | tuple):
        error("scope", _("List the field groups the consent covers."))
    else:
        for group in raw_scope:
            if group not in FieldGroup.values:
                error(
                    "scope",
                    _(
                        "“%(group)s” is not a field group a consent can cover. The field groups are: %(groups)s."
                    )
                    % {"group": group, "groups": ", ".join(FieldGroup.values)},
                )
        # The vocabulary's order, each group once.
        scope = [group for group in FieldGroup.values if group in raw_scope]

    employer_name = " ".join(str(data.get("employer_name") or "").split())
    employer_ref = str(data.get("employer_ref") or "").strip()
    if employer_ref and purpose == ConsentPurpose.SHARE_WITH_EMPLOYER:
        # A partner employer (registered by the jobs app): the consent names it by reference and name.
        partners = dict(selectors.consent_recipients(by))
        partner = partners.get(employer_ref)
        if partner is None:
            error(
                "employer_ref",
                _("“%(ref)s” is not a partner employer you can name: choose one from the list.")
                % {"ref": employer_ref},
            )
        elif employer_name and employer_name.casefold() != partner.casefold():
            error(
                "employer_name",
                _("The chosen partner employer is %(partner)s: leave the name empty or choose another.")
                % {"partner": partner},
            )
        else:
            employer_name = partner
    if purpose == ConsentPurpose.SHARE_WITH_EMPLOYER and not employer_name:
        error("employer_name", _("Name the employer the person agreed to share their information with."))
    elif purpose != ConsentPurpose.SHARE_WITH_EMPLOYER and (employer_name or employer_ref):
        error(
            "employer_name",
            _("Only a consent to share with an employer names one: leave the employer empty."),
        )

    granted, expires = data.get("granted_on"), data.get("expires_on")
    if granted is None:
        error("granted_on", _("Enter the day the person gave their consent."))
    elif granted > today:
        error("granted_on", _("The consent cannot be recorded ahead: the day it was given is in the future."))
    if granted is not None and expires is not None and expires < granted:
        error(
            "expires_on",
            _("The consent cannot expire before the day it was given (%(granted)s).")
            % {"granted": _day(granted)},
        )

    document = data.get("form_document")
    if document is not None and (not isinstance(document, Document) or document.applicant_id != applicant.pk):
        error("form_document", _("The signed form must be a document of this person."))

    if errors:
        raise ValidationError(errors)
    return {
        "purpose": purpose,
        "employer_name": employer_name,
        "employer_ref": employer_ref,
        "scope": scope,
        "granted_on": granted,
        "expires_on": expires,
        "form_document": document,
        "note": str(data.get("note") or "").strip(),
    }


@transaction.atomic
def consent_record(*, by: User, applicant: Applicant, data: dict[str, Any]) -> Consent:
    """Record a consent the person gave (keys as CONSENT_FIELDS); its history starts with this record."""
    _require_editable(by, applicant)
    cleaned = _clean_consent(
        {key: data.get(key) for key in CONSENT_FIELDS}, by=by, applicant=applicant, today=timezone.localdate()
    )
    consent = Consent.objects.create(applicant=applicant, recorded_by=by, **cleaned)
    audit.record_change(actor=by, instance=consent, before=None)
    return consent


@transaction.atomic
def consent_revoke(*, by: User, consent: Consent, revoked_on: date | None = None) -> Consent:
    """Record that the person withdrew a consent, from `revoked_on` (default today) on.

    Revoking the sensitive-information consent hides the sensitive section at once (nothing is read or
    written without a current consent); its texts stay until someone erases them
    (sensitive_records_erase), which the page then offers.
    """
    _require_editable(by, consent.applicant)
    stored = Consent.objects.select_for_update().get(pk=consent.pk)
    today = timezone.localdate()
    day = revoked_on or today
    if stored.revoked_on is not None:
        message = _("This consent was already revoked on %(date)s.") % {"date": _day(stored.revoked_on)}
    elif day > today:
        message = _("A revocation cannot be recorded ahead: the date is in the future.")
    elif day < stored.granted_on:
        message = _("The consent cannot be revoked before the day it was given (%(granted)s).") % {
            "granted": _day(stored.granted_on)
        }
    elif stored.expires_on is not None and day > stored.expires_on:
        message = _("This consent had already expired on %(date)s: there is nothing to revoke.") % {
            "date": _day(stored.expires_on)
        }
    else:
        message = ""
    if message:
        raise ValidationError({"revoked_on": ValidationError(message, code="revoke")})
    before = audit.snapshot(stored)
    stored.revoked_on = day
    stored.save(update_fields=["revoked_on"])
    audit.record_change(actor=by, instance=stored, before=before)
    consent.revoked_on = day
    for handler in _REVOKED_HANDLERS:
        handler(by=by, consent=stored)
    return stored


@transaction.atomic
def consent_renew(
    *, by: User, consent: Consent, expires_on: date | None, granted_on: date | None = None
) -> Consent:
    """The person confirms a consent again: a new consent with the same purpose, employer and scope.

    The old one stays as it was (it documents what was agreed before); the new one runs from
    `granted_on` (default today) to `expires_on`.
    """
    if consent.revoked_on is not None:
        raise ValidationError(
            {"granted_on": _("A revoked consent cannot be renewed: record the new consent the person gives.")}
        )
    return consent_record(
        by=by,
        applicant=consent.applicant,
        data={
            "purpose": consent.purpose,
            "employer_name": consent.employer_name,
            "employer_ref": consent.employer_ref,
            "scope": list(consent.scope or []),
            "granted_on": granted_on or timezone.localdate(),
            "expires_on": expires_on,
            "note": _("Renewal of the consent given on %(date)s.") % {"date": _day(consent.granted_on)},
        },
    )


# --- Sensitive information ------------------------------------------------------------------------------


def sensitive_consent_message(check: selectors.ConsentCheck) -> str:
    """Why sensitive information cannot be recorded or shown now (the UI and the API say the same)."""
    latest = check.latest
    if check.reason == selectors.ConsentState.REVOKED and latest is not None:
        return _(
            "The consent for sensitive information was revoked on %(date)s: sensitive information can no "
            "longer be recorded or shown. Record a new consent if the person gives it again."
        ) % {"date": _day(latest.revoked_on)}
    if check.reason == selectors.ConsentState.EXPIRED and latest is not None:
        return _(
            "The consent for sensitive information expired on %(date)s: record the person's new consent "
            "first."
        ) % {"date": _day(latest.expires_on)}
    if check.reason == selectors.ConsentState.NOT_YET and latest is not None:
        return _(
            "The consent for sensitive information is valid only from %(date)s: sensitive information can "
            "be recorded from that day."
        ) % {"date": _day(latest.granted_on)}
    return _(
        "Sensitive information can be recorded only with the person's consent for sensitive information: "
        "record that consent first."
    )


def _sensitive_consent(applicant: Applicant, day: date) -> selectors.ConsentCheck:
    consents = Consent.objects.filter(applicant=applicant, purpose=ConsentPurpose.SENSITIVE_INFORMATION)
    return selectors.consent_check(list(consents), ConsentPurpose.SENSITIVE_INFORMATION, on=day)


@transaction.atomic
def sensitive_record_save(*, by: User, applicant: Applicant, category: str, text: str) -> SensitiveRecord:
    """Write one category of sensitive information (create or replace its text).

    Refused without a current sensitive-information consent on today's date; only the assigned
    caseworker and the team's supervisors may write (PermissionDenied for everyone else).
    """
    _require_sensitive_access(by, applicant)
    if category not in SensitiveRecord.Category.values:
        raise ValidationError(
            {
                "category": _(
                    "Choose the category: persecution narrative, health, or detention or criminal procedure."
                )
            }
        )
    # One writer per person at a time (PostgreSQL; SQLite's IMMEDIATE transactions do it already).
    Applicant.objects.select_for_update().filter(pk=applicant.pk).first()
    check = _sensitive_consent(applicant, timezone.localdate())
    if not check.allowed:
        raise ValidationError(sensitive_consent_message(check), code="consent_required")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the information for this category.")})
    record = SensitiveRecord.objects.filter(applicant=applicant, category=category).first()
    if record is None:
        try:
            with transaction.atomic():
                record = SensitiveRecord.objects.create(
                    applicant=applicant, category=category, text=text, recorded_by=by
                )
        except IntegrityError:
            # Someone saved the same category in between: write over it like an edit.
            record = SensitiveRecord.objects.get(applicant=applicant, category=category)
        else:
            audit.record_change(actor=by, instance=record, before=None)
            return record
    before = audit.snapshot(record)
    record.text = text
    record.recorded_by = by
    record.save(update_fields=["text", "recorded_by", "updated_at"])
    audit.record_change(actor=by, instance=record, before=before)
    return record


@transaction.atomic
def sensitive_records_erase(*, by: User, applicant: Applicant) -> int:
    """Delete every sensitive text of the person once no consent covers them (revoked or expired).

    The history keeps who wrote and who erased, when, and which fields; the values themselves (in the
    rows of sensitive records only) are replaced by the erased marker. Returns how many were erased.
    """
    _require_sensitive_access(by, applicant)
    check = _sensitive_consent(applicant, timezone.localdate())
    if check.allowed:
        raise ValidationError(
            _(
                "The consent for sensitive information is still current: record its revocation first, "
                "then erase the information."
            ),
            code="consent_current",
        )
    records = list(SensitiveRecord.objects.select_for_update().filter(applicant=applicant))
    for record in records:
        audit.record_change(
            actor=by, instance=record, before=audit.snapshot(record), action=ChangeRecord.Action.DELETE
        )
    SensitiveRecord.objects.filter(pk__in=[record.pk for record in records]).delete()
    if records:
        audit.erase_personal_values(applicant_id=applicant.pk, models=[SENSITIVE_MODEL])
    return len(records)
