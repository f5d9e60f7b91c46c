"""Reads of consent and sensitive information: where a consent stands, what it allows, who may read."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
    TextChoices,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Applicant,
    Team,
)
from casework.models.consent import Consent, ConsentPurpose, SensitiveRecord
from casework.roles import Role
from casework.selectors.legal import legal_visibility


class ConsentState(TextChoices):
    """Where a consent stands on a day."""

    CURRENT = "current", _("current")
    NOT_YET = "not_yet", _("not yet valid")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


def consent_state(consent: Consent, day: date) -> str:
    if consent.revoked_on is not None and consent.revoked_on <= day:
        return ConsentState.REVOKED
    if consent.expires_on is not None and consent.expires_on < day:
        return ConsentState.EXPIRED
    if consent.granted_on > day:
        return ConsentState.NOT_YET
    return ConsentState.CURRENT


def current_consent_condition(day: date, prefix: str = "") -> Q:
    """Consent.is_current_on(day) as a database condition (`prefix` for a related path, e.g. "consents__")."""
    return (
        Q(**{f"{prefix}granted_on__lte": day})
        & (Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": day}))
        & (Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": day}))
    )


def _employer_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def _names_employer(consent: Consent, employer_ref: str | None, employer_name: str | None) -> bool:
    """A consent names an employer by its reference (set by the jobs app) or, without one, by name."""
    if employer_ref and consent.employer_ref:
        return consent.employer_ref == employer_ref
    if employer_name and consent.employer_name:
        return _employer_key(consent.employer_name) == _employer_key(employer_name)
    return False


def consents_allow(
    consents: Iterable[Consent],
    purpose: str,
    *,
    on: date,
    employer_ref: str | None = None,
    employer_name: str | None = None,
    field_group: str | None = None,
) -> bool:
    """May the person's data be used for `purpose` (for an employer) on day `on`, over rows already loaded.

    True when one consent is current on the day, has the purpose, names the employer (sharing with an
    employer: by `employer_ref`, or by `employer_name` where the consent has no reference) and, when a
    `field_group` is asked about, covers it. Pure: a page or the share packet passes prefetched rows.
    """
    for consent in consents:
        if consent.purpose != purpose or not consent.is_current_on(on):
            continue
        if purpose == ConsentPurpose.SHARE_WITH_EMPLOYER and not _names_employer(
            consent, employer_ref, employer_name
        ):
            continue
        if field_group is not None and field_group not in (consent.scope or []):
            continue
        return True
    return False


def consent_allows(
    applicant: Applicant,
    purpose: str,
    *,
    on: date | None = None,
    employer_ref: str | None = None,
    employer_name: str | None = None,
    field_group: str | None = None,
) -> bool:
    """consents_allow() over the applicant's consents (the prefetched ones when the queryset has them)."""
    return consents_allow(
        applicant.consents.all(),
        purpose,
        on=on or timezone.localdate(),
        employer_ref=employer_ref,
        employer_name=employer_name,
        field_group=field_group,
    )


@dataclass(frozen=True)
class ConsentCheck:
    """Whether a purpose is covered on a day; if not, the consent that explains why (or none)."""

    current: Consent | None
    latest: Consent | None
    day: date

    @property
    def allowed(self) -> bool:
        return self.current is not None

    @property
    def reason(self) -> str:
        """Empty when allowed; "none" without any consent; else the state of the latest one."""
        if self.current is not None:
            return ""
        if self.latest is None:
            return "none"
        return consent_state(self.latest, self.day)


def consent_check(consents: Iterable[Consent], purpose: str, *, on: date) -> ConsentCheck:
    """For purposes that name no employer (sensitive information, research…), over loaded rows."""
    relevant = [consent for consent in consents if consent.purpose == purpose]
    current = next((consent for consent in relevant if consent.is_current_on(on)), None)
    latest = max(relevant, key=lambda consent: (consent.granted_on, consent.pk), default=None)
    return ConsentCheck(current=current, latest=latest, day=on)


def consents_visible(*, user, applicant: Applicant) -> bool:
    """May the user read this person's consents (the reach of Consent.objects.visible_to)."""
    known = applicant.__dict__.get("legal_visible")
    if known is not None:
        return bool(known)
    # Consents are case records like the legal ones: ApplicantRecordQuerySet follows legal_visible_to.
    return Applicant.objects.legal_visible_to(user).filter(pk=applicant.pk).exists()


def sensitive_access_allowed(*, user, applicant: Applicant) -> bool:
    """May the user read and write this person's sensitive information (要配慮, DOMAIN.md §8).

    Only the assigned caseworker and the supervisors of the person's team, as SensitiveRecord's
    visible_to(); administrators only through one of those roles (no break-glass for these texts).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.organisation_id != applicant.organisation_id:
        return False
    if user.has_role(Role.CASEWORKER) and applicant.caseworker_id == user.pk:
        return True
    if user.has_role(Role.SUPERVISOR):
        return Team.supervisors.through.objects.filter(team_id=applicant.team_id, user_id=user.pk).exists()
    return False


def sensitive_records_readable(*, user, day: date | None = None) -> QuerySet[SensitiveRecord]:
    """Sensitive records the user may read on the day (SensitiveRecord.objects.visible_to: the assigned
    caseworker and the team's supervisors, while the sensitive-information consent is current)."""
    return SensitiveRecord.objects.visible_to(user, on=day or timezone.localdate())


def consents_for_page(user) -> QuerySet[Consent]:
    """The consents the user may read, as the applicant page lists them: newest first."""
    return (
        Consent.objects.visible_to(user)
        .select_related("recorded_by", "form_document")
        .order_by("-granted_on", "-pk")
    )


def applicant_consent_prefetches(user) -> list[Prefetch]:
    """The consent and sensitive sections' rows, each through its own door."""
    return [
        Prefetch("consents", queryset=consents_for_page(user)),
        Prefetch(
            "sensitive_records",
            queryset=SensitiveRecord.objects.visible_to(user)
            .select_related("recorded_by")
            .order_by("category"),
        ),
        # Which categories are stored, texts left out: what an erasure would remove once hidden.
        Prefetch(
            "sensitive_records",
            queryset=SensitiveRecord.objects.held_for(user).only("pk", "applicant_id", "category"),
            to_attr="sensitive_held",
        ),
    ]


def applicant_consent_queryset(user) -> QuerySet[Applicant]:
    """An applicant with what the consent and sensitive sections show (their in-place updates)."""
    return (
        Applicant.objects.visible_to(user)
        .annotate(legal_visible=legal_visibility(user))
        .select_related("team", "caseworker")
        .prefetch_related(*applicant_consent_prefetches(user))
    )


# --- Partner employers a share-with-employer consent can name ------------------------------------------
# The jobs app knows the partner employers; casework never imports it. It registers a provider here: for a
# user, the (reference, name) pairs a consent may name (reference such as "jobs.employer:12").

_RECIPIENT_PROVIDERS: list[Callable[[object], list[tuple[str, str]]]] = []


def register_consent_recipients(provider: Callable[[object], list[tuple[str, str]]]) -> None:
    if provider not in _RECIPIENT_PROVIDERS:
        _RECIPIENT_PROVIDERS.append(provider)


def consent_recipients(user) -> list[tuple[str, str]]:
    """The partner employers the user may name in a consent, as (reference, name), in the providers'
    order (one query per provider)."""
    return [pair for provider in _RECIPIENT_PROVIDERS for pair in provider(user)]
