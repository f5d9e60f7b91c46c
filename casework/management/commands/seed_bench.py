"""Bulk benchmark data: N applicants with aliases, assignment history, 2–3 legal status periods and a
refugee procedure with its events each, in teams of about 500 with ten staff each.

No per-row services: rows are built in memory and inserted with bulk_create, one transaction per
batch, so 100,000 people take a minute or two rather than hours. Everything the services derive is
derived here by the same functions: search and name keys (names.applicant_keys), reference codes
(services.reference_code_format, numbers reserved from the ReferenceCounter so later registrations
never collide), card numbers (normalised, encrypted, keyed hash and hint as in services.legal).
Periods of one person never overlap, so the PostgreSQL exclusion constraint holds.

Each kind of data has its own function (`bench_staff`, `build_applicants`, `insert_aliases`, ...);
later issues add theirs (courses and attendance, employers, referrals) and call them from handle().

One number scales everything (`make bench`, docs/performance.md): N applicants, about 2.5 N periods and
1.5 N procedure events, N/500 teams of a supervisor, 8 caseworkers and a trainer, people dealt to the
teams in turn so every team has about 500 at every N. --applicants is the total wanted: a second run
with the same N does nothing, a larger N tops the organisation up.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from casework import crypto, names, rules
from casework.management.name_pools import NATIONALITY_WEIGHTS, generate_name
from casework.models import (
    Alias,
    Applicant,
    Assignment,
    BirthDatePrecision,
    CaseStage,
    LegalStatusPeriod,
    Organisation,
    ProcedureEvent,
    RefugeeProcedure,
    RenewalDecision,
    Team,
    User,
    default_organisation_id,
)
from casework.roles import Role
from casework.services import reference_code_format, reference_numbers_reserve, user_set_roles

BENCH_TEAM_PREFIX = "Bench team"
TEAM_SIZE = 500  # applicants per team: the measured caseworker's caseload is the same at every N
PREFECTURES = {
    "Tokyo": ("Shinjuku", "Toshima", "Edogawa", "Adachi", "Kita", "Itabashi"),
    "Saitama": ("Kawaguchi", "Warabi", "Saitama", "Koshigaya"),
    "Kanagawa": ("Yokohama", "Kawasaki", "Sagamihara", "Yamato"),
    "Chiba": ("Chiba", "Funabashi", "Matsudo", "Ichikawa"),
    "Gunma": ("Isesaki", "Ota", "Tatebayashi"),
    "Aichi": ("Nagoya", "Toyohashi", "Toyota"),
    "Osaka": ("Osaka", "Sakai", "Higashiosaka"),
}
PREFECTURE_WEIGHTS = (40, 15, 15, 10, 7, 7, 6)
STAGE_WEIGHTS = {
    CaseStage.INTAKE: 10,
    CaseStage.ACTIVE: 45,
    CaseStage.JOB_READY: 15,
    CaseStage.PLACED: 12,
    CaseStage.FOLLOW_UP: 8,
    CaseStage.CLOSED: 10,
}
SKILLS = (
    "cooking",
    "construction",
    "driving",
    "welding",
    "sewing",
    "farming",
    "caregiving",
    "cleaning",
    "IT support",
    "accounting",
    "teaching",
    "interpreting",
    "warehouse",
    "car repair",
    "retail",
)
DESIGNATION_WORDING = (
    "収入を伴う事業を運営する活動又は報酬を受ける活動を除く。",
    "就労可（指定書による）",
    "",
)

# A person's legal history: (status kind, possible lengths in months) per link of the chain,
# oldest first; the last link is the current period. Weights are relative.
HISTORIES: tuple[tuple[int, tuple[tuple[str, tuple[int, ...]], ...]], ...] = (
    (
        55,
        (
            ("da_refugee_applicant", (2,)),
            ("da_refugee_applicant", (3,)),
            ("da_refugee_applicant", (3, 6)),
        ),
    ),
    (10, (("provisional_release", (1, 2, 3)),) * 3),
    (6, (("provisional_release", (2, 3)), ("supervisory_measures", (3, 6)), ("supervisory_measures", (6,)))),
    (
        10,
        (
            ("da_refugee_applicant", (6,)),
            ("da_humanitarian", (12,)),
            ("long_term_resident", (12, 36)),
        ),
    ),
    (10, (("da_refugee_applicant", (6,)), ("da_humanitarian", (12,)), ("da_humanitarian", (12,)))),
    (6, (("da_refugee_applicant", (3,)), ("other", (12,)), ("other", (12,)))),
    (3, (("da_evacuee", (12,)),) * 3),
)
OTHER_STATUS_LABELS = ("Specified Skilled Worker (i)", "Student", "Spouse or Child of Japanese National")


@dataclass
class BenchStaff:
    teams: list[Team]
    caseworkers: dict[int, list[User]]  # team pk → caseworkers
    supervisors: list[User]
    trainers: list[User] = field(default_factory=list)


@dataclass
class ApplicantPlan:
    """One person to insert, with what goes into the other tables once their pk is known."""

    applicant: Applicant
    alias_names: list[str]
    history: tuple[tuple[str, tuple[int, ...]], ...]
    with_card: bool
    periods: list[LegalStatusPeriod] = field(default_factory=list)


@dataclass
class BenchCounts:
    applicants: int = 0
    aliases: int = 0
    periods: int = 0
    cards: int = 0
    assignments: int = 0
    procedures: int = 0
    events: int = 0


# --- Staff ----------------------------------------------------------------------------------------------


def bench_staff(*, organisation: Organisation, teams: int, caseworkers_per_team: int) -> BenchStaff:
    """An administrator, teams with a supervisor, caseworkers and a trainer each (existing ones reused).

    The trainers are named as seed_bench_learning names its own, so the courses go to them."""
    staff = BenchStaff(teams=[], caseworkers={}, supervisors=[])
    # An administrator to read the whole bench organisation with (search and API timings).
    _bench_user(organisation, "bench-admin", Role.ADMINISTRATOR, None)
    for number in range(1, teams + 1):
        team, _created = Team.objects.get_or_create(
            organisation=organisation, name=f"{BENCH_TEAM_PREFIX} {number:03d}"
        )
        supervisor = _bench_user(organisation, f"bench-supervisor-{number:03d}", Role.SUPERVISOR, None)
        team.supervisors.add(supervisor)
        staff.teams.append(team)
        staff.supervisors.append(supervisor)
        staff.caseworkers[team.pk] = [
            _bench_user(organisation, f"bench-caseworker-{number:03d}-{member:02d}", Role.CASEWORKER, team)
            for member in range(1, caseworkers_per_team + 1)
        ]
        staff.trainers.append(_bench_user(organisation, f"bench-trainer-{number:03d}", Role.TRAINER, team))
    return staff


def _bench_user(organisation: Organisation, username: str, role: Role, team: Team | None) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"organisation": organisation, "team": team, "email": f"{username}@bench.example"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user_set_roles(user=user, roles=[role.value])
    return user


# --- Applicants -----------------------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _alias_variants(rng: random.Random, family: str, given: str) -> list[str]:
    """Other spellings a person's name turns up in: passport order in capitals, transliteration variants."""
    variants = []
    if family:
        variants.append(f"{family.upper()} {given.upper()}")
    swapped = given
    for old, new in (("oo", "u"), ("u", "oo"), ("ee", "i"), ("i", "ee"), ("ph", "f"), ("w", "v"), ("a", "e")):
        if old in swapped.lower():
            swapped = swapped.replace(old, new, 1)
            break
    if swapped != given:
        variants.append(" ".join(part for part in (swapped, family) if part))
    rng.shuffle(variants)
    return variants[: rng.choice((0, 0, 1, 1, 2))]


def build_applicants(
    *,
    rng: random.Random,
    organisation: Organisation,
    staff: BenchStaff,
    count: int,
    today: date,
    first_number: int = 0,
) -> list[ApplicantPlan]:
    """People of a batch, in memory: everything but the reference code and the keys that include it.
    Person number k (counting from the organisation's first) goes to team k mod teams."""
    plans = []
    prefectures = list(PREFECTURES)
    for number in range(first_number, first_number + count):
        nationality = str(_weighted(rng, NATIONALITY_WEIGHTS))
        name = generate_name(rng, nationality)
        born = date(rng.randint(1962, 2006), rng.randint(1, 12), rng.randint(1, 28))
        precision = rng.choices(
            (BirthDatePrecision.DAY, BirthDatePrecision.YEAR, BirthDatePrecision.MONTH), weights=(85, 10, 5)
        )[0]
        if precision == BirthDatePrecision.YEAR:
            born = date(born.year, 1, 1)
        elif precision == BirthDatePrecision.MONTH:
            born = date(born.year, born.month, 1)
        prefecture = rng.choices(prefectures, weights=PREFECTURE_WEIGHTS)[0]
        team = staff.teams[number % len(staff.teams)]
        caseworker = None if rng.random() < 0.05 else rng.choice(staff.caseworkers[team.pk])
        languages = [{"language": name.languages[0], "level": "native"}]
        languages += [{"language": extra, "level": "conversational"} for extra in name.languages[1:2]]
        languages.append({"language": "Japanese", "level": rng.choice(("basic", "basic", "conversational"))})
        applicant = Applicant(
            organisation=organisation,
            team=team,
            caseworker=caseworker,
            family_name=name.family_name,
            given_name=name.given_name,
            name_native=name.name_native,
            name_katakana=name.name_katakana,
            date_of_birth=born,
            birth_date_precision=precision,
            gender=rng.choice(("female", "male", "male")),
            nationality=nationality,
            languages=languages,
            phone=f"080-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            prefecture=prefecture,
            city=rng.choice(PREFECTURES[prefecture]),
            skills=sorted(rng.sample(SKILLS, rng.randint(0, 3)), key=str.lower),
            intake_date=today - timedelta(days=rng.randint(0, 8 * 365)),
            case_stage=str(_weighted(rng, STAGE_WEIGHTS)),
        )
        history_weights = [weight for weight, _chain in HISTORIES]
        chain = rng.choices([chain for _weight, chain in HISTORIES], weights=history_weights)[0]
        if nationality == "UA":
            chain = HISTORIES[-1][1]
        plans.append(
            ApplicantPlan(
                applicant=applicant,
                alias_names=_alias_variants(rng, name.family_name, name.given_name),
                history=chain[-rng.choice((2, 3)) :],
                with_card=False,
            )
        )
    return plans


def assign_reference_codes(*, organisation: Organisation, plans: list[ApplicantPlan]) -> None:
    """Reserve a block of numbers per intake year (as the services number them) and compute the keys."""
    by_year: dict[int, list[ApplicantPlan]] = defaultdict(list)
    for plan in plans:
        by_year[plan.applicant.intake_date.year].append(plan)
    for year, members in sorted(by_year.items()):
        first = reference_numbers_reserve(organisation_id=organisation.pk, year=year, count=len(members))
        for offset, plan in enumerate(members):
            applicant = plan.applicant
            applicant.reference_code = reference_code_format(year, first + offset)
            applicant.search_key, applicant.name_key = names.applicant_keys(
                family_name=applicant.family_name,
                given_name=applicant.given_name,
                name_native=applicant.name_native,
                name_katakana=applicant.name_katakana,
                alias_names=plan.alias_names,
                reference_code=applicant.reference_code,
            )


def insert_applicants(plans: list[ApplicantPlan], *, batch_size: int) -> int:
    Applicant.objects.bulk_create([plan.applicant for plan in plans], batch_size=batch_size)
    return len(plans)


def insert_aliases(plans: list[ApplicantPlan], *, batch_size: int) -> int:
    aliases = [Alias(applicant=plan.applicant, name=name) for plan in plans for name in plan.alias_names]
    Alias.objects.bulk_create(aliases, batch_size=batch_size)
    return len(aliases)


def insert_assignments(plans: list[ApplicantPlan], *, batch_size: int) -> int:
    """The first entry of each person's assignment history, as applicant_register writes it."""
    rows = [
        Assignment(
            applicant=plan.applicant,
            team=plan.applicant.team,
            caseworker=plan.applicant.caseworker,
            reason="Registered (bench data)",
        )
        for plan in plans
    ]
    Assignment.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


# --- Legal status periods -------------------------------------------------------------------------------


def _card_number(rng: random.Random, applicant: Applicant, index: int) -> str:
    """A well-formed card number, unique per person and period (the digits encode code and index)."""
    _prefix, year, number = applicant.reference_code.split("-")
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    head = rng.choice(letters) + rng.choice(letters)
    tail = rng.choice(letters) + rng.choice(letters)
    return f"{head}{int(year) % 100:02d}{int(number) % 100000:05d}{index % 10}{tail}"


def build_periods(*, rng: random.Random, plan: ApplicantPlan, today: date) -> list[LegalStatusPeriod]:
    """A contiguous chain of periods ending around today, oldest first; renewals of the earlier ones
    filed and granted, the current one sometimes with a renewal pending (some already past their end)."""
    chain = plan.history
    lengths = [rng.choice(months) for _kind, months in chain]
    end = today + timedelta(days=rng.randint(-75, 220))
    spans: list[tuple[date, date]] = []
    for months in reversed(lengths):
        start = rules.add_months(end + timedelta(days=1), -months)
        spans.append((start, end))
        end = start - timedelta(days=1)
    spans.reverse()
    periods = []
    for index, ((kind, _months), (start, end)) in enumerate(zip(chain, spans, strict=True)):
        rule = rules.status_kind(kind)
        period = LegalStatusPeriod(
            applicant=plan.applicant,
            status_kind=kind,
            start_date=start,
            end_date=end,
            card_expiry_date=end if rule.is_status_of_residence else None,
            designation_wording=rng.choice(DESIGNATION_WORDING) if kind.startswith("da_") else "",
        )
        if kind == "other":
            period.status_other_label = rng.choice(OTHER_STATUS_LABELS)
            period.other_grants_work = period.status_other_label != "Student"
        is_current = index == len(spans) - 1
        if not is_current and rule.special_period_applies:
            filed = max(start, end - timedelta(days=rng.randint(10, 45)))
            period.renewal_filed_on = filed
            period.renewal_decision = RenewalDecision.GRANTED
            period.renewal_decided_on = min(end, filed + timedelta(days=rng.randint(5, 30)))
        elif (
            is_current
            and rule.special_period_applies
            and end - timedelta(days=60) <= today
            and rng.random() < 0.6
        ):
            latest = min(end, today)
            period.renewal_filed_on = max(start, latest - timedelta(days=rng.randint(0, 40)))
        if plan.with_card and rule.is_status_of_residence:
            normalised = _card_number(rng, plan.applicant, index)
            period.card_number_encrypted = crypto.encrypt(normalised)
            period.card_number_hash = crypto.lookup_hash(normalised)
            period.card_number_hint = normalised[:2] + normalised[-2:]
        periods.append(period)
    return periods


def insert_periods(
    plans: list[ApplicantPlan], *, rng: random.Random, today: date, batch_size: int
) -> tuple[int, int]:
    periods = []
    for plan in plans:
        plan.periods = build_periods(rng=rng, plan=plan, today=today)
        periods.extend(plan.periods)
    LegalStatusPeriod.objects.bulk_create(periods, batch_size=batch_size)
    return len(periods), sum(1 for period in periods if period.card_number_hash)


# --- Refugee procedures ---------------------------------------------------------------------------------

# After the filing, at most one more event each (1.5 events a person on average).
LATER_EVENTS = (
    (ProcedureEvent.Kind.INTERVIEW, 30),
    (ProcedureEvent.Kind.TRIAGE, 12),
    (ProcedureEvent.Kind.REFUSAL_NOTICE, 8),
)


def insert_procedures(
    plans: list[ApplicantPlan], *, rng: random.Random, today: date, batch_size: int
) -> tuple[int, int]:
    """A first refugee application per person, filed at intake, and half the time one later event."""
    procedures = [
        RefugeeProcedure(applicant=plan.applicant, ordinal=1, applied_on=plan.applicant.intake_date)
        for plan in plans
    ]
    RefugeeProcedure.objects.bulk_create(procedures, batch_size=batch_size)
    events = []
    kinds = [kind for kind, _weight in LATER_EVENTS]
    weights = [weight for _kind, weight in LATER_EVENTS]
    for procedure in procedures:
        events.append(
            ProcedureEvent(procedure=procedure, kind=ProcedureEvent.Kind.FILED, date=procedure.applied_on)
        )
        if rng.random() < 0.5:
            kind = rng.choices(kinds, weights=weights)[0]
            later = min(today, procedure.applied_on + timedelta(days=rng.randint(30, 400)))
            event = ProcedureEvent(procedure=procedure, kind=kind, date=later)
            if kind == ProcedureEvent.Kind.TRIAGE:
                event.triage_category = rng.choice(ProcedureEvent.Triage.values)
            events.append(event)
    ProcedureEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(procedures), len(events)


# --- The command ----------------------------------------------------------------------------------------


def analyse_tables() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL), so the first searches use the indexes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in (
            "casework_applicant",
            "casework_alias",
            "casework_legalstatusperiod",
            "casework_assignment",
            "casework_refugeeprocedure",
            "casework_procedureevent",
        ):
            cursor.execute(f"ANALYZE {table}")


class Command(BaseCommand):
    help = (
        "Bring the organisation to N benchmark applicants with aliases, 2–3 legal status periods and a "
        "refugee procedure each, in N/500 teams (bulk inserts; nothing to do when N are there)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--applicants", type=int, default=1000, help="How many people there should be.")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per transaction.")
        parser.add_argument(
            "--teams", type=int, default=None, help=f"Bench teams (default: one per {TEAM_SIZE} applicants)."
        )
        parser.add_argument("--caseworkers-per-team", type=int, default=8)
        parser.add_argument(
            "--card-every",
            type=int,
            default=5,
            help="One person in this many gets residence card numbers (encryption is the slow part).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (runs are repeatable).")

    def handle(self, *args, **options) -> None:
        wanted: int = options["applicants"]
        batch_size: int = max(1, options["batch_size"])
        card_every: int = max(1, options["card_every"])
        started = time.monotonic()
        today = timezone.localdate()
        organisation = Organisation.objects.get(pk=default_organisation_id())
        with transaction.atomic():
            staff = bench_staff(
                organisation=organisation,
                teams=options["teams"] or max(1, round(wanted / TEAM_SIZE)),
                caseworkers_per_team=options["caseworkers_per_team"],
            )
        # Seeded by what is already there: a top-up adds different people, reproducibly.
        existing = Applicant.objects.filter(organisation=organisation).count()
        count = max(0, wanted - existing)
        rng = random.Random(f"{options['seed']}:{existing}")
        totals = BenchCounts()
        with tqdm(
            total=count, unit="applicants", disable=options["verbosity"] == 0, file=self.stderr._out
        ) as progress:
            for batch_start in range(0, count, batch_size):
                size = min(batch_size, count - batch_start)
                with transaction.atomic():
                    plans = build_applicants(
                        rng=rng,
                        organisation=organisation,
                        staff=staff,
                        count=size,
                        today=today,
                        first_number=existing + batch_start,
                    )
                    for number, plan in enumerate(plans, start=existing + batch_start):
                        plan.with_card = number % card_every == 0
                    assign_reference_codes(organisation=organisation, plans=plans)
                    totals.applicants += insert_applicants(plans, batch_size=batch_size)
                    totals.aliases += insert_aliases(plans, batch_size=batch_size)
                    totals.assignments += insert_assignments(plans, batch_size=batch_size)
                    periods, cards = insert_periods(plans, rng=rng, today=today, batch_size=batch_size)
                    totals.periods += periods
                    totals.cards += cards
                    procedures, events = insert_procedures(plans, rng=rng, today=today, batch_size=batch_size)
                    totals.procedures += procedures
                    totals.events += events
                progress.update(size)
        analyse_tables()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Bench data added in {elapsed:.1f} s: {totals.applicants} applicants, "
                f"{totals.aliases} aliases, {totals.periods} legal status periods "
                f"({totals.cards} with a card number), {totals.assignments} assignments, "
                f"{totals.procedures} refugee procedures with {totals.events} events; {len(staff.teams)} teams, "
                f"{sum(len(v) for v in staff.caseworkers.values())} caseworkers, {len(staff.trainers)} trainers."
            )
        )
