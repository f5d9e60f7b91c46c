"""Casework selectors: every read of casework data starts from visible_to(user) here."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from difflib import SequenceMatcher

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import crypto, names, rules
from casework.models import (
    Applicant,
    Assignment,
    CaseNote,
    Document,
    DuplicateCheck,
    HouseholdMember,
    LegalStatusPeriod,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    Task,
    Team,
    User,
    WorkPermission,
)
from casework.models.records import Consent, ConsentPurpose, SensitiveRecord
from casework.roles import Role


def teams_led_by(*, user: User) -> QuerySet[Team]:
    members = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
    return (
        Team.objects.visible_to(user)
        .filter(supervisors=user)
        .prefetch_related(Prefetch("members", queryset=members))
    )


def team_of(*, user: User) -> Team | None:
    if user.team_id is None:
        return None
    members = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
    return (
        Team.objects.visible_to(user)
        .prefetch_related(Prefetch("members", queryset=members), "supervisors")
        .filter(pk=user.team_id)
        .first()
    )


def organisation_overview(*, user: User) -> dict[str, object]:
    """Counts an administrator's home page shows: people per role, teams, service accounts."""
    users = User.objects.visible_to(user).filter(is_active=True)
    counts = users.aggregate(
        **{role.value: Count("pk", filter=Q(groups__name=role.value), distinct=True) for role in Role},
        service_accounts=Count("pk", filter=Q(is_service_account=True), distinct=True),
    )
    teams = (
        Team.objects.visible_to(user).annotate(member_count=Count("members", distinct=True)).order_by("name")
    )
    return {
        "role_counts": [(role.label, counts[role.value]) for role in Role],
        "service_account_count": counts["service_accounts"],
        "teams": teams,
    }


# --- Applicants and their legal situation -------------------------------------------------------------


DUPLICATE_NAME_SIMILARITY = 0.82


def search_applicants(queryset: QuerySet[Applicant], query: str) -> QuerySet[Applicant]:
    """Find people by any form of a name or alias, a reference code, or an exact residence card number.

    Each word of the query must begin a word of the stored search key (order and script free). On
    PostgreSQL the trigram index serves these LIKE patterns; queries under 3 characters are prefix-only.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    card = names.normalise_card_number(query)
    if names.is_valid_card_number(card):
        digest = crypto.lookup_hash(card)
        return queryset.filter(
            Exists(LegalStatusPeriod.objects.filter(applicant=OuterRef("pk"), card_number_hash=digest))
        )
    reference = query.upper()
    if reference.startswith("A-") and len(reference) >= 6:
        return queryset.filter(reference_code__startswith=reference)
    tokens = names.name_tokens(query)
    if not tokens:
        return queryset.none()
    for token in tokens:
        queryset = queryset.filter(search_key__contains=f" {token}")
    return queryset


def current_period_subquery(day: date, field: str) -> Subquery:
    """The current period as current_period() finds it: covering the day, or past its end but still
    lawful through the special period (renewal filed by the end, end + 2 months not passed, no
    decision before the day). A renewal filed long ago does not keep an old period current."""
    special_after = rules.latest_day_whose_months_later_is_on_or_before(
        day - timedelta(days=1), rules.SPECIAL_PERIOD_MONTHS
    )
    still_lawful = Q(
        status_kind__in=rules.SPECIAL_PERIOD_KINDS,
        renewal_filed_on__isnull=False,
        renewal_filed_on__lte=F("end_date"),
        end_date__gt=special_after,
    ) & (Q(renewal_decided_on__isnull=True) | Q(renewal_decided_on__gte=day))
    return Subquery(
        LegalStatusPeriod.objects.filter(applicant=OuterRef("pk"), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day) | still_lawful)
        .order_by("-start_date")
        .values(field)[:1]
    )


def may_work_condition(day: date) -> Q:
    """'May work on day' as a database condition: a covering period that grants work, or a permission."""
    covering = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    granting = Q(status_kind__in=rules.WORK_GRANTING_KINDS) | Q(status_kind="other", other_grants_work=True)
    period = LegalStatusPeriod.objects.filter(covering & granting, applicant=OuterRef("pk"))
    permission = WorkPermission.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day), applicant=OuterRef("pk"), start_date__lte=day
    )
    return Q(Exists(period)) | Q(Exists(permission))


def legal_visibility(user) -> Exists | Value:
    """An annotation: may the user read this row's legal records (see Applicant.legal_visible_to)."""
    if user is None:
        return Value(True)
    if not getattr(user, "is_authenticated", False):
        return Value(False)
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return Value(True)
    return Exists(Applicant.objects.legal_visible_to(user).filter(pk=OuterRef("pk")))


def with_legal_summary(
    queryset: QuerySet[Applicant], day: date | None = None, user=None
) -> QuerySet[Applicant]:
    """Annotate the current period and 'may work today' in the same query (no per-row queries).

    For rows whose legal records the user may not read (a teammate's shared case) every legal
    annotation is NULL, so neither the columns nor the filters built on them reveal anything.
    """
    day = day or timezone.localdate()

    def only_if_visible(expression):
        return Case(When(legal_visible=True, then=expression), default=Value(None))

    annotated = queryset.annotate(legal_visible=legal_visibility(user))
    return annotated.annotate(
        current_kind=only_if_visible(current_period_subquery(day, "status_kind")),
        current_other_label=only_if_visible(current_period_subquery(day, "status_other_label")),
        current_start=only_if_visible(current_period_subquery(day, "start_date")),
        current_end=only_if_visible(current_period_subquery(day, "end_date")),
        current_renewal_filed_on=only_if_visible(current_period_subquery(day, "renewal_filed_on")),
        current_renewal_decided_on=only_if_visible(current_period_subquery(day, "renewal_decided_on")),
        may_work_now=Case(
            When(
                legal_visible=True,
                then=Exists(Applicant.objects.filter(Q(pk=OuterRef("pk")) & may_work_condition(day))),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


@dataclass(frozen=True)
class LegalSummary:
    """What a list row or a header shows about a person's legal situation today."""

    kind: str | None
    kind_label: str
    lawful_until: date | None
    days_left: int | None
    renewal_window_opens: date | None
    renewal_pending: bool
    may_work: bool
    hidden: bool = False  # the user may not read this person's legal records

    @property
    def is_urgent(self) -> bool:
        return self.days_left is not None and self.days_left <= 14


def legal_summary_from_annotations(applicant: Applicant, day: date | None = None) -> LegalSummary:
    day = day or timezone.localdate()
    if not applicant.__dict__.get("legal_visible", True):
        return LegalSummary(None, "", None, None, None, False, False, hidden=True)
    kind = getattr(applicant, "current_kind", None)
    if kind is None:
        return LegalSummary(
            None, "", None, None, None, False, bool(getattr(applicant, "may_work_now", False))
        )
    values = applicant.__dict__  # the annotations of with_legal_summary()
    end, filed, decided = (
        values["current_end"],
        values["current_renewal_filed_on"],
        values["current_renewal_decided_on"],
    )
    until = rules.lawful_stay_until(kind=kind, end=end, renewal_filed_on=filed, renewal_decided_on=decided)
    other_label = values.get("current_other_label")
    label = other_label if kind == "other" and other_label else rules.status_kind(kind).label
    return LegalSummary(
        kind=kind,
        kind_label=label,
        lawful_until=until,
        days_left=(until - day).days if until else None,
        renewal_window_opens=rules.renewal_window_opens(start=values["current_start"], end=end),
        renewal_pending=bool(filed and not decided),
        may_work=bool(values.get("may_work_now")),
    )


def deadline_within_condition(days: int, day: date | None = None) -> Q:
    """People with a legal deadline in the next `days` days: lawful stay, appeal, report, work permission."""
    day = day or timezone.localdate()
    limit = day + timedelta(days=days)
    plain_end = LegalStatusPeriod.objects.filter(
        Q(renewal_filed_on__isnull=True) | ~Q(status_kind__in=rules.SPECIAL_PERIOD_KINDS),
        applicant=OuterRef("pk"),
        end_date__gte=day,
        end_date__lte=limit,
    )
    # Renewal filed in time: lawful until the decision or end + 2 months, whichever is first.
    special_limit = rules.latest_day_whose_months_later_is_on_or_before(limit, rules.SPECIAL_PERIOD_MONTHS)
    special_start = rules.latest_day_whose_months_later_is_on_or_before(
        day - timedelta(days=1), rules.SPECIAL_PERIOD_MONTHS
    )
    pending = LegalStatusPeriod.objects.filter(
        applicant=OuterRef("pk"),
        status_kind__in=rules.SPECIAL_PERIOD_KINDS,
        renewal_filed_on__isnull=False,
        renewal_decided_on__isnull=True,
        end_date__gt=special_start,
        end_date__lte=special_limit,
    )
    notice_from = day - timedelta(days=rules.APPEAL_WINDOW_DAYS)
    notice_to = limit - timedelta(days=rules.APPEAL_WINDOW_DAYS)
    appeal = ProcedureEvent.objects.filter(
        procedure__applicant=OuterRef("pk"),
        procedure__is_open=True,
        kind=ProcedureEvent.Kind.REFUSAL_NOTICE,
        date__gte=notice_from,
        date__lte=notice_to,
    ).exclude(procedure__events__kind=ProcedureEvent.Kind.APPEAL_FILED)
    report = ReportingObligation.objects.filter(
        applicant=OuterRef("pk"), is_active=True, next_report_date__gte=day, next_report_date__lte=limit
    )
    permission = WorkPermission.objects.filter(
        applicant=OuterRef("pk"), end_date__gte=day, end_date__lte=limit
    )
    return (
        Q(Exists(plain_end))
        | Q(Exists(pending))
        | Q(Exists(appeal))
        | Q(Exists(report))
        | Q(Exists(permission))
    )


# --- One applicant: derived values from prefetched rows (no extra queries) -------------------------------


def current_period(periods: list[LegalStatusPeriod], day: date) -> LegalStatusPeriod | None:
    """The period covering the day; or the latest one whose renewal is pending past its end."""
    covering = [p for p in periods if p.covers(day)]
    if covering:
        return max(covering, key=lambda p: p.start_date)
    started = [p for p in periods if p.start_date <= day]
    if started:
        latest = max(started, key=lambda p: p.start_date)
        until = latest.lawful_stay_until
        if until and until >= day:
            return latest
    return None


def may_work_on(periods: list[LegalStatusPeriod], permissions: list[WorkPermission], day: date) -> bool:
    """The one answer to 'may this person work on this day' (matching, placements, share packet)."""
    if any(p.covers(day) and p.grants_work for p in periods):
        return True
    return any(permission.covers(day) for permission in permissions)


def applicant_may_work_on(applicant: Applicant, day: date) -> bool:
    return may_work_on(list(applicant.periods.all()), list(applicant.work_permissions.all()), day)


@dataclass(frozen=True)
class AppealStatus:
    procedure: RefugeeProcedure
    refusal_notice_on: date
    deadline: date
    days_left: int
    appeal_filed_on: date | None

    @property
    def filed_late(self) -> bool:
        return self.appeal_filed_on is not None and self.appeal_filed_on > self.deadline

    @property
    def is_open(self) -> bool:
        return self.appeal_filed_on is None


def appeal_status(procedure: RefugeeProcedure, day: date) -> AppealStatus | None:
    """The appeal deadline (refusal notice + 7 days) of a procedure, from its prefetched events."""
    events = list(procedure.events.all())
    notices = [e for e in events if e.kind == ProcedureEvent.Kind.REFUSAL_NOTICE]
    if not notices:
        return None
    notice = max(notices, key=lambda e: e.date)
    appeals = [e for e in events if e.kind == ProcedureEvent.Kind.APPEAL_FILED and e.date >= notice.date]
    deadline = rules.appeal_deadline(notice.date)
    return AppealStatus(
        procedure=procedure,
        refusal_notice_on=notice.date,
        deadline=deadline,
        days_left=(deadline - day).days,
        appeal_filed_on=min(e.date for e in appeals) if appeals else None,
    )


def applicant_detail_queryset(user) -> QuerySet[Applicant]:
    """Everything the applicant page shows, in a fixed number of queries."""
    # Legal records are prefetched through their own visible_to: empty for a shared team case.
    return (
        Applicant.objects.visible_to(user)
        .annotate(legal_visible=legal_visibility(user))
        .select_related("team", "caseworker", "organisation")
        .prefetch_related(
            "aliases",
            Prefetch("household", queryset=_household_queryset()),
            Prefetch("periods", queryset=LegalStatusPeriod.objects.visible_to(user).order_by("start_date")),
            Prefetch(
                "work_permissions", queryset=WorkPermission.objects.visible_to(user).order_by("start_date")
            ),
            Prefetch(
                "reporting_obligations",
                queryset=ReportingObligation.objects.visible_to(user).order_by("next_report_date"),
            ),
            Prefetch(
                "procedures",
                queryset=RefugeeProcedure.objects.visible_to(user)
                .order_by("ordinal")
                .prefetch_related(Prefetch("events", queryset=ProcedureEvent.objects.order_by("date", "pk"))),
            ),
            Prefetch("assignments", queryset=_assignment_queryset()),
            *applicant_consent_prefetches(user),
            *applicant_record_prefetches(user),
        )
    )


def _household_queryset() -> QuerySet[HouseholdMember]:
    return HouseholdMember.objects.select_related("linked_applicant").order_by("pk")


def _assignment_queryset() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("team", "caseworker", "assigned_by").order_by(
        "-assigned_at", "-pk"
    )


# --- The duplicate check: the one sanctioned organisation-wide lookup ---------------------------------


@dataclass(frozen=True)
class DuplicateCandidate:
    """What a caseworker may learn of a possible match outside their caseload: nothing more."""

    pk: int
    reference_code: str
    name: str
    birth_year: int | None
    caseworker: str
    reason: str


def duplicate_candidates(
    *,
    organisation_id: int,
    family_name: str,
    given_name: str,
    name_katakana: str,
    birth_year: int | None,
    nationality: str,
    card_hash: str,
    limit: int = 10,
) -> list[DuplicateCandidate]:
    """Possible matches in the whole organisation: same card number, or a close name with the same
    birth year (and nationality when both are known). Bounded: only people born that year are compared."""
    base = Applicant.objects.filter(organisation_id=organisation_id).select_related("caseworker")
    found: dict[int, DuplicateCandidate] = {}

    def add(applicant: Applicant, reason: str) -> None:
        if applicant.pk not in found:
            found[applicant.pk] = DuplicateCandidate(
                pk=applicant.pk,
                reference_code=applicant.reference_code,
                name=applicant.display_name,
                birth_year=applicant.birth_year,
                caseworker=str(applicant.caseworker) if applicant.caseworker else "",
                reason=reason,
            )

    if card_hash:
        for applicant in base.filter(periods__card_number_hash=card_hash).distinct()[:limit]:
            add(applicant, "card")
    key = names.name_key([family_name, given_name])
    kana = "".join(names.name_tokens(name_katakana))
    if birth_year and (key or kana):
        same_year = base.filter(date_of_birth__year=birth_year)
        if nationality:
            same_year = same_year.filter(Q(nationality=nationality.upper()) | Q(nationality=""))
        for applicant in same_year.only(
            "pk",
            "reference_code",
            "family_name",
            "given_name",
            "name_katakana",
            "name_key",
            "date_of_birth",
            "caseworker",
        )[:500]:
            score = (
                SequenceMatcher(None, key, applicant.name_key).ratio() if key and applicant.name_key else 0.0
            )
            if kana and applicant.name_katakana:
                other = "".join(names.name_tokens(applicant.name_katakana))
                score = max(score, SequenceMatcher(None, kana, other).ratio())
            if score >= DUPLICATE_NAME_SIMILARITY:
                add(applicant, "name")
    return list(found.values())[:limit]


def applicants_for_list(*, user, day: date | None = None) -> QuerySet[Applicant]:
    """The applicant list (UI and API): visible rows with the legal summary annotated, one query a page."""
    queryset = Applicant.objects.visible_to(user).select_related("team", "caseworker")
    return with_legal_summary(queryset, day, user=user)


def duplicate_check_of(*, user, pk: object) -> DuplicateCheck | None:
    """A duplicate check the user ran themselves (the registration form carries its id)."""
    try:
        pk = int(str(pk))
    except (TypeError, ValueError):
        return None
    return DuplicateCheck.objects.filter(pk=pk, checked_by=user, organisation_id=user.organisation_id).first()


def duplicate_check_candidates(*, check: DuplicateCheck) -> list[DuplicateCandidate]:
    """The matches a recorded check found, as the same minimal candidates (for showing them again)."""
    matches = check.matches.select_related("caseworker").order_by("reference_code")
    return [
        DuplicateCandidate(
            pk=applicant.pk,
            reference_code=applicant.reference_code,
            name=applicant.display_name,
            birth_year=applicant.birth_year,
            caseworker=str(applicant.caseworker) if applicant.caseworker else "",
            reason="",
        )
        for applicant in matches
    ]


# --- Consent and sensitive information ----------------------------------------------------------------


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


# --- Notes, tasks and documents -----------------------------------------------------------------------


def task_order() -> list:
    """Open tasks first, the soonest due first, those without a date last."""
    return ["done", F("due_date").asc(nulls_last=True), "pk"]


def _is_administrator(user) -> bool:
    return bool(user.has_role(Role.ADMINISTRATOR) or user.is_superuser)


def applicant_record_prefetches(user) -> list[Prefetch]:
    """The notes, tasks and documents sections' rows, each through its own door.

    Administrators also get `confidential_notes_hidden`: the confidential notes they may open only
    through the logged break-glass view, without their text.
    """
    hidden = CaseNote.objects.none()
    if _is_administrator(user):
        hidden = (
            CaseNote.objects.filter(confidential=True)
            .exclude(pk__in=CaseNote.objects.visible_to(user).values("pk"))
            .select_related("author")
            .defer("text")
            .order_by("-created_at", "-pk")
        )
    return [
        Prefetch(
            "notes",
            queryset=CaseNote.objects.visible_to(user)
            .select_related("author")
            .order_by("-created_at", "-pk"),
        ),
        Prefetch("notes", queryset=hidden, to_attr="confidential_notes_hidden"),
        Prefetch("tasks", queryset=Task.objects.select_related("assignee").order_by(*task_order())),
        Prefetch(
            "documents",
            queryset=Document.objects.visible_to(user)
            .select_related("uploaded_by")
            .order_by("-uploaded_at", "-pk"),
        ),
    ]


def applicant_records_queryset(user) -> QuerySet[Applicant]:
    """An applicant with what the notes, tasks and documents sections show (their in-place updates)."""
    return (
        Applicant.objects.visible_to(user)
        .select_related("team", "caseworker", "organisation")
        .prefetch_related(*applicant_record_prefetches(user))
    )


def tasks_assigned_to(*, user) -> QuerySet[Task]:
    """The "my tasks" list: the tasks assigned to the user on cases they can still see, open first."""
    return (
        Task.objects.visible_to(user)
        .filter(assignee_id=user.pk)
        .select_related("applicant")
        .order_by(*task_order())
    )


def task_assignees(*, applicant: Applicant) -> QuerySet[User]:
    """Who can take a task on this applicant (services.may_be_assigned decides; this lists them):
    its caseworker, the supervisors of its team, administrators, and the team's caseworkers when the
    team's caseload is shared."""
    condition = Q(groups__name=Role.ADMINISTRATOR)
    condition |= Q(led_teams=applicant.team_id, groups__name=Role.SUPERVISOR)
    if applicant.caseworker_id:
        condition |= Q(pk=applicant.caseworker_id, groups__name=Role.CASEWORKER)
    if applicant.organisation.team_caseload_shared:
        condition |= Q(team_id=applicant.team_id, groups__name=Role.CASEWORKER)
    return User.objects.filter(
        pk__in=User.objects.filter(condition).values("pk"),
        organisation_id=applicant.organisation_id,
        is_active=True,
        is_service_account=False,
    ).order_by("last_name", "first_name", "username")
