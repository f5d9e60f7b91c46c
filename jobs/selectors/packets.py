"""The share packet: what an employer sees of a person referred to them, built in ONE place.

`share_packets(referrals)` builds the packets of many referrals in a fixed number of queries (whatever
their number), for the portal's pages and the partner API alike. A packet is a plain dict whose keys are
exactly:

- the base (BASE_KEYS): reference code, given name, family name (only from the interview stage on),
  the assessed Japanese level (CEFR, framework and date), skills, languages, availability, "may work
  until" (a date, never the status kind), the day the organisation checked the right to work (absent
  when never checked), and the fixed statement that the employer must still see the residence card and
  designation paper itself before hiring (DOMAIN.md §9);
- united with the consent's field groups (GROUP_KEYS) among contact, nationality, work history,
  education and documents that the person's CURRENT share-with-employer consent for THIS employer names.

Nothing else, ever: never the status kind, the refugee procedure, the date of birth or the address.
Without a current consent there is no packet (None), whatever the stage but hired: it is built from the
consent at each request, so a revocation removes it at once. A withdrawn or rejected referral (with a
current consent) shows only its reference code; a placement (hired) reference code, given name, start
date and follow-ups whatever the consent now says (the employer employs the person), and "may work
until" while a consent is current.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import (
    Consent,
    ConsentPurpose,
    Document,
    FieldGroup,
    LegalStatusPeriod,
    WorkPermission,
)
from casework.models.applicants import codes_of
from casework.selectors.consent import consents_allow
from casework.selectors.legal import may_work_until, right_to_work_checked_on
from jobs import rules
from jobs.models import FollowUp, Placement, Referral, Stage
from learning.selectors.assessments import shared_levels

EMPLOYER_MUST_CHECK = "employer_must_check"
# Always there for a referral the employer has in hand (family_name from the interview stage on,
# right_to_work_checked_on once the organisation checked): the packet's base.
BASE_KEYS: frozenset[str] = frozenset(
    {
        "reference_code",
        "given_name",
        "family_name",
        "japanese_level",
        "skills",
        "languages",
        "availability",
        "may_work_until",
        "right_to_work_checked_on",
        EMPLOYER_MUST_CHECK,
    }
)
# The field groups a consent may add, and the keys each one brings.
GROUP_KEYS: dict[str, tuple[str, ...]] = {
    FieldGroup.CONTACT: ("phone", "email"),
    FieldGroup.NATIONALITY: ("nationality",),
    FieldGroup.WORK_HISTORY: ("work_history",),
    FieldGroup.EDUCATION: ("education",),
    FieldGroup.DOCUMENTS: ("documents",),
}
CLOSED_KEYS: frozenset[str] = frozenset({"reference_code"})
# A placed worker: these whatever the consent says now (the employer employs the person); "may work
# until" too while a consent is current (the portal's Workers section and its notifications).
PLACEMENT_KEYS: frozenset[str] = frozenset({"reference_code", "given_name", "start_date", "follow_ups"})
PLACEMENT_SHARED_KEYS: frozenset[str] = PLACEMENT_KEYS | {"may_work_until"}
# Stages at which the employer knows the family name (met at the interview).
FAMILY_NAME_STAGES = (Stage.INTERVIEW, Stage.OFFER, Stage.HIRE_REPORTED)
CLOSED = (Stage.REJECTED, Stage.WITHDRAWN)
ALL_KEYS: frozenset[str] = BASE_KEYS | PLACEMENT_KEYS | {key for keys in GROUP_KEYS.values() for key in keys}


def allowed_keys(groups: Iterable[str]) -> frozenset[str]:
    """BASE_KEYS united with the keys of the given consent field groups (for tests and the serializer)."""
    return BASE_KEYS | {key for group in groups for key in GROUP_KEYS.get(group, ())}


def employer_must_check_text() -> str:
    return _(
        "The organisation's check does not replace yours: before hiring, you must see the person's "
        "residence card and designation paper yourself (the permission to work is written on the "
        "designation paper)."
    )


def _level(level) -> dict[str, Any] | None:
    if level is None:
        return None
    return {
        "cefr": level.cefr,
        "framework": level.source,
        "level": level.level,
        "assessed_on": level.assessed_on,
    }


def _availability(applicant) -> dict[str, Any]:
    return {
        "earliest_start": applicant.available_from,
        "hours_per_week": applicant.hours_per_week_wanted,
        "days": codes_of(applicant.available_days),
        "shifts": codes_of(applicant.available_shifts),
        "prefectures": codes_of(applicant.commute_prefectures),
    }


def _covered_groups(consents: list[Consent], referral: Referral, day: date) -> list[str] | None:
    """The consent field groups that add to the packet, or None without a current consent."""
    employer = referral.opening.employer
    ref = rules.employer_ref(employer.pk)
    if not consents_allow(
        consents, ConsentPurpose.SHARE_WITH_EMPLOYER, on=day, employer_ref=ref, employer_name=employer.name
    ):
        return None
    return [
        group
        for group in GROUP_KEYS
        if consents_allow(
            consents,
            ConsentPurpose.SHARE_WITH_EMPLOYER,
            on=day,
            employer_ref=ref,
            employer_name=employer.name,
            field_group=group,
        )
    ]


def share_packets(
    referrals: Iterable[Referral], *, on: date | None = None
) -> dict[int, dict[str, Any] | None]:
    """The packets of the referrals, keyed by referral id (None: no packet; no current consent).

    A fixed number of queries whatever the number of referrals. The caller has chosen referrals the
    reader may see (jobs.selectors.partner.partner_referrals); nothing here widens that."""
    day = on or timezone.localdate()
    ids = [referral.pk for referral in referrals]
    if not ids:
        return {}
    rows = list(Referral.objects.filter(pk__in=ids).select_related("applicant", "opening__employer"))
    people = {row.applicant_id for row in rows}

    consents: dict[int, list[Consent]] = defaultdict(list)
    for consent in Consent.objects.filter(
        applicant_id__in=people, purpose=ConsentPurpose.SHARE_WITH_EMPLOYER
    ).order_by("-granted_on", "-pk"):
        consents[consent.applicant_id].append(consent)

    hired = [row.pk for row in rows if row.stage == Stage.HIRED]
    placements: dict[int, Placement] = {}
    follow_ups: dict[int, list[FollowUp]] = defaultdict(list)
    if hired:
        placements = {p.referral_id: p for p in Placement.objects.filter(referral_id__in=hired)}
        for follow_up in FollowUp.objects.filter(
            placement_id__in=[p.pk for p in placements.values()]
        ).order_by("month", "pk"):
            follow_ups[follow_up.placement_id].append(follow_up)

    groups_of: dict[int, list[str] | None] = {}
    for row in rows:
        groups_of[row.pk] = _covered_groups(consents[row.applicant_id], row, day)
    shown = {
        row.applicant_id for row in rows if row.stage not in CLOSED and groups_of.get(row.pk) is not None
    }
    legal = shown
    shown = {
        row.applicant_id
        for row in rows
        if row.stage not in (*CLOSED, Stage.HIRED) and row.applicant_id in legal
    }

    levels = shared_levels(shown) if shown else {}
    checked = right_to_work_checked_on(shown) if shown else {}
    periods: dict[int, list[LegalStatusPeriod]] = defaultdict(list)
    permissions: dict[int, list[WorkPermission]] = defaultdict(list)
    documents: dict[int, list[Document]] = defaultdict(list)
    if legal:
        for period in LegalStatusPeriod.objects.filter(applicant_id__in=legal):
            periods[period.applicant_id].append(period)
        for permission in WorkPermission.objects.filter(applicant_id__in=legal):
            permissions[permission.applicant_id].append(permission)
    if shown:
        wants_documents = {
            row.applicant_id for row in rows if FieldGroup.DOCUMENTS in (groups_of.get(row.pk) or [])
        }
        if wants_documents:
            for document in Document.objects.filter(applicant_id__in=wants_documents).order_by(
                "-uploaded_at", "-pk"
            ):
                documents[document.applicant_id].append(document)

    packets: dict[int, dict[str, Any] | None] = {}
    for row in rows:
        person = row.applicant
        if row.stage == Stage.HIRED:
            placement = placements.get(row.pk)
            placed: dict[str, Any] = {
                "reference_code": person.reference_code,
                "given_name": person.given_name,
                "start_date": placement.start_date if placement else row.reported_start_date,
                "follow_ups": [
                    {"id": f.pk, "month": f.month, "due_on": f.due_on, "recorded": f.recorded_at is not None}
                    for f in (follow_ups.get(placement.pk, []) if placement else [])
                ],
            }
            if groups_of.get(row.pk) is not None:  # a current consent: the one legal fact they need
                placed["may_work_until"] = may_work_until(periods[person.pk], permissions[person.pk], day)
            packets[row.pk] = placed
            continue
        groups = groups_of.get(row.pk)
        if groups is None:
            packets[row.pk] = None
            continue
        if row.stage in CLOSED:
            packets[row.pk] = {"reference_code": person.reference_code}
            continue
        mine_periods, mine_permissions = periods[person.pk], permissions[person.pk]
        until = may_work_until(mine_periods, mine_permissions, day)
        packet: dict[str, Any] = {
            "reference_code": person.reference_code,
            "given_name": person.given_name,
            "japanese_level": _level(levels.get(person.pk)),
            "skills": list(person.skills or []),
            "languages": list(person.languages or []),
            "availability": _availability(person),
            # The last day of the unbroken run of days from today on which the person may work (None:
            # not today, or no end recorded); never the status kind behind it.
            "may_work_until": until,
            EMPLOYER_MUST_CHECK: employer_must_check_text(),
        }
        if row.stage in FAMILY_NAME_STAGES:
            packet["family_name"] = person.family_name
        if person.pk in checked:
            packet["right_to_work_checked_on"] = checked[person.pk]
        if FieldGroup.CONTACT in groups:
            packet["phone"] = person.phone
            packet["email"] = person.email
        if FieldGroup.NATIONALITY in groups:
            packet["nationality"] = str(person.nationality.name) if person.nationality else ""
        if FieldGroup.WORK_HISTORY in groups:
            packet["work_history"] = person.work_history
        if FieldGroup.EDUCATION in groups:
            packet["education"] = person.education
        if FieldGroup.DOCUMENTS in groups:
            packet["documents"] = [
                {"kind": document.get_kind_display(), "name": document.original_name}
                for document in documents[person.pk]
            ]
        packets[row.pk] = packet
    return packets


def share_packet(referral: Referral, *, on: date | None = None) -> dict[str, Any] | None:
    return share_packets([referral], on=on).get(referral.pk)
