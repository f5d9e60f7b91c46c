"""Writes to employers and their contact people: caseworkers, supervisors and administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework import rules as casework_rules
from casework.audit import record_change, snapshot
from casework.models import ChangeRecord, User
from jobs.models import Employer, EmployerContact, Industry, PartnershipStatus, SizeBand
from jobs.services.base import is_jobs_staff, require

EMPLOYER_FIELDS = (
    "name",
    "name_kana",
    "industry",
    "prefecture",
    "address",
    "size_band",
    "partnership_status",
    "notes",
)
CONTACT_FIELDS = ("name", "role", "email", "phone", "is_primary")


def _text(value: Any) -> str:
    return str(value or "").strip()


def clean_prefecture(value: Any, field: str, errors: dict[str, list[str]]) -> str:
    """A prefecture by code or name; an unknown one is an error naming the field."""
    found = casework_rules.prefecture_by_name(_text(value))
    if found is None:
        errors.setdefault(field, []).append(_("Choose one of Japan's 47 prefectures."))
        return ""
    return found.code


def _clean_employer(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned = {key: data.get(key) for key in EMPLOYER_FIELDS}
    for key in ("name", "name_kana", "address", "notes", "size_band", "industry", "partnership_status"):
        cleaned[key] = _text(cleaned[key])
    if not cleaned["name"]:
        errors.setdefault("name", []).append(_("Give the employer's name."))
    elif len(cleaned["name"]) > 200:
        errors.setdefault("name", []).append(_("Keep the name within 200 characters."))
    if cleaned["industry"] not in Industry.values:
        errors.setdefault("industry", []).append(_("Choose the industry from the list."))
    cleaned["prefecture"] = clean_prefecture(cleaned["prefecture"], "prefecture", errors)
    if cleaned["size_band"] and cleaned["size_band"] not in SizeBand.values:
        errors.setdefault("size_band", []).append(_("Choose the size from the list."))
    if not cleaned["partnership_status"]:
        cleaned["partnership_status"] = PartnershipStatus.PROSPECT
    elif cleaned["partnership_status"] not in PartnershipStatus.values:
        errors.setdefault("partnership_status", []).append(_("Choose prospect, active, paused or ended."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _name_taken(by: User, name: str, exclude: int | None = None) -> bool:
    rows = Employer.objects.filter(organisation_id=by.organisation_id, name__iexact=name)
    return rows.exclude(pk=exclude).exists() if exclude else rows.exists()


@transaction.atomic
def employer_create(*, by: User, data: dict[str, Any]) -> Employer:
    require(is_jobs_staff(by))
    cleaned = _clean_employer(data)
    if _name_taken(by, cleaned["name"]):
        raise ValidationError({"name": _("An employer with this name is already recorded.")})
    try:
        with transaction.atomic():
            employer = Employer.objects.create(organisation_id=by.organisation_id, created_by=by, **cleaned)
    except IntegrityError as error:  # the same name saved at the same moment by someone else
        raise ValidationError({"name": _("An employer with this name is already recorded.")}) from error
    record_change(actor=by, instance=employer, before=None)
    return employer


@transaction.atomic
def employer_update(*, by: User, employer: Employer, data: dict[str, Any]) -> Employer:
    require(Employer.objects.editable_by(by).filter(pk=employer.pk).exists())
    before = snapshot(employer)
    current = {key: getattr(employer, key) for key in EMPLOYER_FIELDS}
    cleaned = _clean_employer({**current, **{k: v for k, v in data.items() if k in EMPLOYER_FIELDS}})
    if _name_taken(by, cleaned["name"], exclude=employer.pk):
        raise ValidationError({"name": _("An employer with this name is already recorded.")})
    for key, value in cleaned.items():
        setattr(employer, key, value)
    employer.save()
    record_change(actor=by, instance=employer, before=before)
    return employer


def _clean_contact(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned = {key: data.get(key) for key in CONTACT_FIELDS}
    for key in ("name", "role", "email", "phone"):
        cleaned[key] = _text(cleaned[key])
    cleaned["is_primary"] = bool(cleaned["is_primary"])
    if not cleaned["name"]:
        errors.setdefault("name", []).append(_("Give the contact person's name."))
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors.setdefault("email", []).append(_("Enter a valid e-mail address."))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def employer_contact_save(
    *, by: User, employer: Employer, data: dict[str, Any], contact: EmployerContact | None = None
) -> EmployerContact:
    """Add a contact person, or change one; a new main contact takes over from the previous one."""
    require(Employer.objects.editable_by(by).filter(pk=employer.pk).exists())
    if contact is not None and contact.employer_id != employer.pk:
        raise ValidationError({"contact": _("This person is not a contact of this employer.")})
    cleaned = _clean_contact(data)
    if cleaned["is_primary"]:
        others = employer.contacts.filter(is_primary=True)
        if contact is not None:
            others = others.exclude(pk=contact.pk)
        others.update(is_primary=False)
    before = snapshot(contact) if contact is not None else None
    if contact is None:
        contact = EmployerContact(employer=employer)
    for key, value in cleaned.items():
        setattr(contact, key, value)
    contact.save()
    record_change(actor=by, instance=contact, before=before)
    return contact


@transaction.atomic
def employer_contact_delete(*, by: User, contact: EmployerContact) -> None:
    require(Employer.objects.editable_by(by).filter(pk=contact.employer_id).exists())
    record_change(actor=by, instance=contact, before=snapshot(contact), action=ChangeRecord.Action.DELETE)
    contact.delete()
