"""Reads of applicants: search, the list, the applicant page's queryset, the duplicate check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from casework import crypto, names
from casework.models import (
    Applicant,
    Assignment,
    DuplicateCheck,
    HouseholdMember,
    LegalStatusPeriod,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    RightToWorkCheck,
    Task,
    WorkPermission,
)
from casework.selectors.consent import applicant_consent_prefetches
from casework.selectors.legal import legal_visibility, with_list_annotations
from casework.selectors.records import applicant_record_prefetches, task_order

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


def applicant_detail_queryset(user) -> QuerySet[Applicant]:
    """Everything about one person (the API's detail), in a fixed number of queries: the same
    prefetches as the applicant page's tabs, all of them."""
    return (
        Applicant.objects.visible_to(user)
        .annotate(legal_visible=legal_visibility(user))
        .select_related("team", "caseworker", "organisation")
        .prefetch_related(
            "aliases",
            Prefetch("household", queryset=_household_queryset()),
            *_legal_prefetches(user),
            *_legal_record_prefetches(user),
            Prefetch("assignments", queryset=_assignment_queryset()),
            *applicant_consent_prefetches(user),
            *applicant_record_prefetches(user),
        )
    )


# The tabs of the applicant page (casework/ui/applicant_page.py), in the order they are shown.
APPLICANT_TABS = ("overview", "legal", "learning", "employment", "documents", "notes", "history")


def _legal_prefetches(user) -> list[Prefetch]:
    # Through their own visible_to: empty for a shared team case.
    return [
        Prefetch("periods", queryset=LegalStatusPeriod.objects.visible_to(user).order_by("start_date")),
        Prefetch("work_permissions", queryset=WorkPermission.objects.visible_to(user).order_by("start_date")),
    ]


def _legal_record_prefetches(user) -> list[Prefetch]:
    # Reporting obligations and refugee procedures, through their own visible_to as well.
    return [
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
    ]


def _right_to_work_prefetch(user) -> Prefetch:
    # The legal tab's "Right to work checked" list, newest first, with who checked.
    return Prefetch(
        "right_to_work_checks",
        queryset=RightToWorkCheck.objects.visible_to(user)
        .select_related("checked_by")
        .order_by("-checked_on", "-pk"),
    )


def _tab_prefetches(user, tab: str) -> list[Prefetch | str]:
    if tab == "overview":
        return [
            "aliases",
            Prefetch("household", queryset=_household_queryset()),
            *applicant_consent_prefetches(user),
            Prefetch(
                "tasks",
                queryset=Task.objects.filter(done=False).select_related("assignee").order_by(*task_order()),
                to_attr="open_tasks",
            ),
        ]
    if tab == "legal":
        return [*_legal_record_prefetches(user), _right_to_work_prefetch(user)]
    if tab in ("documents", "notes"):
        # The records sections read their own rows (notes, hidden notes, tasks, documents); only the
        # shown tab's are loaded.
        wanted = {"documents": {"documents"}, "notes": {"notes", "tasks"}}[tab]
        return [
            lookup
            for lookup in applicant_record_prefetches(user)
            if isinstance(lookup, Prefetch) and lookup.prefetch_through in wanted
        ]
    if tab == "history":
        return [Prefetch("assignments", queryset=_assignment_queryset())]
    return []  # learning, employment: the registered panels read what they show


def applicant_page_queryset(user, *, tab: str, header: bool = True) -> QuerySet[Applicant]:
    """The applicant page: the header (periods and permissions for its legal summary) when asked, and
    what one tab shows, nothing of the other tabs. A fixed number of queries per tab."""
    if tab not in APPLICANT_TABS:
        raise ValueError(tab)
    lookups: list[Prefetch | str] = []
    if header or tab == "legal":
        lookups += _legal_prefetches(user)
    lookups += _tab_prefetches(user, tab)
    return (
        Applicant.objects.visible_to(user)
        .annotate(legal_visible=legal_visibility(user))
        .select_related("team", "caseworker", "organisation")
        .prefetch_related(*lookups)
    )


def _household_queryset() -> QuerySet[HouseholdMember]:
    return HouseholdMember.objects.select_related("linked_applicant").order_by("pk")


def _assignment_queryset() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("team", "caseworker", "assigned_by").order_by(
        "-assigned_at", "-pk"
    )


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


def with_card_hash(queryset: QuerySet[Applicant], digest: str) -> QuerySet[Applicant]:
    """People with a period whose residence card number has this keyed hash (crypto.lookup_hash)."""
    return queryset.filter(
        Exists(LegalStatusPeriod.objects.filter(applicant=OuterRef("pk"), card_number_hash=digest))
    )


QUICK_SEARCH_LIMIT = 8


def quick_search(*, user, query: str, limit: int = QUICK_SEARCH_LIMIT) -> list[Applicant]:
    """The first matches of the top bar's search as you type: any name form, reference or card number.

    One query; the full list (`applicant_list?q=`) shows every match. Fewer than 2 characters find
    nothing here (a one-letter prefix matches half the organisation and helps nobody).
    """
    query = (query or "").strip()
    if len(query) < 2:
        return []
    queryset = search_applicants(Applicant.objects.visible_to(user), query)
    return list(
        queryset.only(
            "pk",
            "reference_code",
            "family_name",
            "given_name",
            "name_native",
            "name_katakana",
            "date_of_birth",
            "birth_date_precision",
        ).order_by("name_key", "pk")[:limit]
    )


def applicants_for_list(*, user, day: date | None = None) -> QuerySet[Applicant]:
    """The applicant list (UI and API): visible rows with what the filters and sorts need annotated
    (with_list_annotations), one query a page; the page's legal summaries come from legal_summaries()."""
    queryset = Applicant.objects.visible_to(user).select_related("team", "caseworker")
    return with_list_annotations(queryset, day, user=user)


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
