"""Bulk benchmark data for jobs, after seed_bench and seed_bench_learning: employers, openings, referrals,
placements and follow-ups in DESIGN.md's proportions.

Per N applicants: N/20 employers (5,000 at 100,000), N/5 openings, 1.5 N referrals (150,000), 0.4 N
placements and 1.2 N follow-ups. A placement's follow-ups are its 1, 3, 6 and 12-month checks as the service
creates them, except for people who left by the third month: their placement ended (coded reason, end
date) and only the checks up to then exist, which brings the follow-ups to 1.2 N (three a placement on
average). Recorded outcomes are filled for checks that are due; some are due or overdue now, so the
deadline sources have work to do.

No per-row services: rows are built in memory and written with bulk_create, one transaction per chunk of
openings. Every referral has its last stage change in the history (the board's "since" and the funnel read
it). Idempotent: a second run with the same --applicants tops each table up to its target and adds
nothing when it is there, so `make bench` can run it every time.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from casework.management.commands.seed_bench import SKILLS
from casework.models import Applicant, Organisation, User, default_organisation_id
from casework.rules import add_months
from jobs import rules
from jobs.models import (
    Employer,
    FollowUp,
    FollowUpOutcome,
    Industry,
    JobOpening,
    LeavingReason,
    OpeningStatus,
    PartnershipStatus,
    Placement,
    Referral,
    Reporter,
    Stage,
    StageChange,
)

EMPLOYER_PREFIX = "Bench employer"
# The prefectures where most of the organisation's people live, and the rest of Japan now and then.
PREFECTURES = {"13": 40, "14": 15, "11": 15, "12": 10, "10": 5, "27": 5, "23": 5, "40": 5}
OPENING_STATUSES = {
    OpeningStatus.OPEN: 60,
    OpeningStatus.FILLED: 20,
    OpeningStatus.CLOSED: 15,
    OpeningStatus.DRAFT: 5,
}
# Open referrals spread over the pipeline, and the ones that ended (hired ones are the placements).
STAGES = {
    Stage.PROPOSED: 20,
    Stage.CONSENT_RECORDED: 12,
    Stage.SHARED: 14,
    Stage.INTERVIEW: 10,
    Stage.OFFER: 5,
    Stage.HIRE_REPORTED: 3,
    Stage.REJECTED: 22,
    Stage.WITHDRAWN: 14,
}
END_REASONS = ("language", "skills", "hours", "commute", "employer_declined", "person_declined", "no_show")
LEVELS = {"": 35, "A1": 20, "A2": 25, "B1": 15, "B2": 5}
TITLES = (
    "Line worker",
    "Kitchen assistant",
    "Care assistant",
    "Warehouse picker",
    "Cleaner",
    "Welder",
    "Housekeeping staff",
    "IT support",
    "Interpreter",
    "Driver",
    "Farm helper",
    "Sewing operator",
)
SHIFTS = {"day": 60, "evening": 10, "night": 10, "rotating": 15, "flexible": 5}
LEAVING = (
    LeavingReason.BETTER_JOB,
    LeavingReason.LANGUAGE,
    LeavingReason.WORKING_CONDITIONS,
    LeavingReason.WORKPLACE_RELATIONS,
    LeavingReason.HEALTH,
    LeavingReason.MOVED,
)


def _pick(rng: random.Random, weights: dict) -> str:
    return str(rng.choices(list(weights), weights=list(weights.values()))[0])


def targets(scale: int) -> dict[str, int]:
    return {
        "employers": max(1, round(scale / 20)),
        "openings": max(1, round(scale / 5)),
        "referrals": round(scale * 1.5),
        "placements": round(scale * 0.4),
        "follow_ups": round(scale * 1.2),
    }


def analyse_tables() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Employer, JobOpening, Referral, StageChange, Placement, FollowUp):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class JobsBench:
    def __init__(self, *, rng: random.Random, organisation: Organisation, author: User, today: date):
        self.rng = rng
        self.organisation = organisation
        self.author = author
        self.today = today
        self.counts: Counter[str] = Counter()
        self.zone = timezone.get_current_timezone()
        self.unplaced: list[tuple[int, int | None]] = []  # people not placed yet, in a random order

    def moment(self, day: date) -> datetime:
        return datetime.combine(day, clock(10, 0), tzinfo=self.zone)

    def add_employers(self, count: int, first_number: int) -> list[Employer]:
        rng = self.rng
        rows = [
            Employer(
                organisation=self.organisation,
                name=f"{EMPLOYER_PREFIX} {number:06d}",
                industry=rng.choice(Industry.values),
                prefecture=_pick(rng, PREFECTURES),
                size_band=rng.choice(("1-9", "10-49", "50-299", "300+")),
                partnership_status=rng.choices(
                    [PartnershipStatus.ACTIVE, PartnershipStatus.PROSPECT, PartnershipStatus.PAUSED],
                    weights=[80, 15, 5],
                )[0],
                created_by=self.author,
            )
            for number in range(first_number + 1, first_number + count + 1)
        ]
        Employer.objects.bulk_create(rows, batch_size=5000)
        self.counts["employers"] += len(rows)
        return rows

    def add_openings(self, employer_ids: list[int], count: int) -> list[JobOpening]:
        rng, today = self.rng, self.today
        rows = []
        for index in range(count):
            hourly = rng.random() < 0.8
            rows.append(
                JobOpening(
                    employer_id=employer_ids[index % len(employer_ids)],
                    title=rng.choice(TITLES),
                    prefecture=_pick(rng, PREFECTURES),
                    hours_per_week=Decimal(rng.choice((20, 25, 30, 32, 40))),
                    daily_hours=Decimal(rng.choice((4, 5, 6, 8))),
                    shift_pattern=_pick(rng, SHIFTS),
                    wage=rng.randint(1300, 1800) if hourly else rng.randint(230, 320) * 1000,
                    wage_unit="hourly" if hourly else "monthly",
                    contract_type=rng.choice(("permanent", "fixed_term", "part_time", "dispatch")),
                    start_date=today + timedelta(days=rng.randint(-400, 90)),
                    probation_months=rng.choice((None, None, 3, 6)),
                    required_level=_pick(rng, LEVELS),
                    required_skills=rng.sample(SKILLS, rng.choice((0, 0, 1, 1, 2))),
                    places=rng.choice((1, 1, 2, 3, 5)),
                    status=_pick(rng, OPENING_STATUSES),
                    created_by=self.author,
                )
            )
        JobOpening.objects.bulk_create(rows, batch_size=5000)
        self.counts["openings"] += len(rows)
        return rows

    def add_referrals(
        self,
        openings: list[JobOpening],
        people: list[tuple[int, int | None]],
        count: int,
        hired: int,
        taken: set,
    ) -> list[Referral]:
        """`count` referrals over these openings, `hired` of them hired (each by a person not placed yet)."""
        rng = self.rng
        rows: list[Referral] = []
        hired_people = self.unplaced[:hired]
        del self.unplaced[:hired]
        for index in range(count):
            offset = index
            opening = openings[offset % len(openings)]
            stage: str
            if index < len(hired_people):
                applicant_id, caseworker_id = hired_people[index]
                stage = Stage.HIRED
                while (applicant_id, opening.pk) in taken:  # referred there in an earlier run: the next one
                    offset += 1
                    opening = openings[offset % len(openings)]
            else:
                applicant_id, caseworker_id = rng.choice(people)
                stage = _pick(rng, STAGES)
                tries = 0
                while (applicant_id, opening.pk) in taken and tries < 1000:  # one per person and opening
                    applicant_id, caseworker_id = rng.choice(people)
                    tries += 1
                if (applicant_id, opening.pk) in taken:  # a tiny dataset where everyone is referred there
                    continue
            taken.add((applicant_id, opening.pk))
            since = self.moment(min(self.today, opening.start_date) - timedelta(days=rng.randint(0, 60)))
            closed = stage in (Stage.REJECTED, Stage.WITHDRAWN)
            rows.append(
                Referral(
                    applicant_id=applicant_id,
                    opening_id=opening.pk,
                    stage=stage,
                    reason_code=rng.choice(END_REASONS) if closed else "",
                    stage_changed_at=since,
                    reported_start_date=opening.start_date
                    if stage in (Stage.HIRE_REPORTED, Stage.HIRED)
                    else None,
                    created_by_id=caseworker_id or self.author.pk,
                )
            )
        Referral.objects.bulk_create(rows, batch_size=5000)
        StageChange.objects.bulk_create(
            [
                StageChange(
                    referral=row,
                    from_stage="" if row.stage == Stage.PROPOSED else Stage.PROPOSED,
                    to_stage=row.stage,
                    reason_code=row.reason_code,
                    by_id=row.created_by_id,
                    at=row.stage_changed_at,
                )
                for row in rows
            ],
            batch_size=5000,
        )
        self.counts["referrals"] += len(rows)
        return rows

    def add_placements(
        self, referrals: list[Referral], openings: dict[int, JobOpening], follow_ups: int
    ) -> None:
        """Placements for the hired referrals with their follow-ups, `follow_ups` of them in all."""
        rng, today = self.rng, self.today
        hired = [r for r in referrals if r.stage == Stage.HIRED]
        if not hired:
            return
        # Each placement has its 4 checks; those who left by the third month only the first 2.
        short = max(0, min(len(hired), (4 * len(hired) - follow_ups) // 2))
        placements = []
        for index, referral in enumerate(hired):
            opening = openings[referral.opening_id]
            start = opening.start_date
            left = index < short
            probation = opening.probation_months
            placements.append(
                Placement(
                    referral_id=referral.pk,
                    applicant_id=referral.applicant_id,
                    opening_id=opening.pk,
                    start_date=start,
                    probation_end=rules_probation_end(start, probation),
                    hours_per_week=opening.hours_per_week,
                    daily_hours=opening.daily_hours,
                    wage=opening.wage,
                    wage_unit=opening.wage_unit,
                    employment_insurance=opening.hours_per_week >= 20,
                    ended_on=start + timedelta(days=rng.randint(20, 85)) if left else None,
                    leaving_reason=rng.choice(LEAVING) if left else "",
                    confirmed_by_id=referral.created_by_id,
                    confirmed_at=self.moment(start - timedelta(days=7)),
                )
            )
        Placement.objects.bulk_create(placements, batch_size=5000)
        rows = []
        budget = follow_ups
        for index, placement in enumerate(placements):
            dates = list(rules.follow_up_dates(placement.start_date))
            keep = 2 if index < short else 4
            remaining_placements = len(placements) - index
            keep = max(1, min(keep, budget - (remaining_placements - 1)))  # the total comes out exact
            for month, due in dates[:keep]:
                recorded = due <= today - timedelta(days=3) and rng.random() < 0.85
                outcome = ""
                reason = ""
                if recorded:
                    outcome = rng.choices(
                        [FollowUpOutcome.RETAINED, FollowUpOutcome.AT_RISK], weights=[85, 15]
                    )[0]
                    if placement.ended_on is not None and due >= placement.ended_on:
                        outcome, reason = FollowUpOutcome.LEFT, placement.leaving_reason
                rows.append(
                    FollowUp(
                        placement=placement,
                        month=month,
                        due_on=due,
                        outcome=outcome,
                        leaving_reason=reason,
                        reported_by=Reporter.CASEWORKER if recorded else "",
                        recorded_by_id=placement.confirmed_by_id if recorded else None,
                        recorded_at=self.moment(due) if recorded else None,
                    )
                )
            budget -= keep
        FollowUp.objects.bulk_create(rows, batch_size=5000)
        self.counts["placements"] += len(placements)
        self.counts["follow_ups"] += len(rows)


def rules_probation_end(start: date, months: int | None) -> date | None:
    return add_months(start, months) if months else None


class Command(BaseCommand):
    help = (
        "Add benchmark jobs data for the people seed_bench made: N/20 employers, N/5 openings, 1.5 N "
        "referrals, 0.4 N placements and 1.2 N follow-ups for --applicants N. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--applicants", type=int, default=None, help="N (default: the applicants there).")
        parser.add_argument("--openings-per-chunk", type=int, default=500, help="Openings per transaction.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (runs are repeatable).")

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        today = timezone.localdate()
        organisation = Organisation.objects.get(pk=default_organisation_id())
        people: list[tuple[int, int | None]] = list(
            Applicant.objects.filter(organisation=organisation)
            .order_by("pk")
            .values_list("pk", "caseworker_id")
        )
        if not people:
            raise CommandError("No applicants to refer: run `manage.py seed_bench` first.")
        author = User.objects.filter(username="bench-admin").first()
        if author is None:
            raise CommandError("The bench administrator is missing: run `manage.py seed_bench` first.")
        scale = options["applicants"] or len(people)
        goal = targets(scale)
        employers = Employer.objects.filter(organisation=organisation, name__startswith=EMPLOYER_PREFIX)
        have = {
            "employers": employers.count(),
            "openings": JobOpening.objects.filter(employer__in=employers).count(),
            "referrals": Referral.objects.filter(opening__employer__in=employers).count(),
            "placements": Placement.objects.filter(opening__employer__in=employers).count(),
            "follow_ups": FollowUp.objects.filter(placement__opening__employer__in=employers).count(),
        }
        need = {key: max(0, goal[key] - have[key]) for key in goal}
        rng = random.Random(f"{options['seed']}:jobs:{have['referrals']}")  # noqa: S311 - repeatable
        bench = JobsBench(rng=rng, organisation=organisation, author=author, today=today)
        quiet = options["verbosity"] == 0
        with transaction.atomic():
            bench.add_employers(need["employers"], have["employers"])
        employer_ids = list(employers.order_by("pk").values_list("pk", flat=True))
        placed = set(Placement.objects.values_list("applicant_id", flat=True))
        bench.unplaced = [p for p in people if p[0] not in placed]
        rng.shuffle(bench.unplaced)
        taken = set(
            Referral.objects.filter(opening__employer__in=employers).values_list("applicant_id", "opening_id")
        )
        chunk = max(1, options["openings_per_chunk"])
        openings_left = need["openings"]
        if openings_left == 0 and (need["referrals"] or need["placements"]):
            # The openings are there: referrals go to the existing ones.
            existing = list(JobOpening.objects.filter(employer__in=employers).order_by("pk"))
        else:
            existing = []
        chunks = max(1, -(-openings_left // chunk)) if openings_left else 1
        with tqdm(
            total=need["referrals"], unit="referrals", disable=quiet, file=self.stderr._out
        ) as progress:
            for number in range(chunks):
                share = 1 / (chunks - number)
                referrals_now = round(need["referrals"] * share)
                hired_now = round(need["placements"] * share)
                follow_now = round(need["follow_ups"] * share)
                with transaction.atomic():
                    if openings_left:
                        openings = bench.add_openings(employer_ids, min(chunk, openings_left))
                        openings_left -= len(openings)
                    else:
                        openings = existing
                    if not openings or not (referrals_now or hired_now):
                        continue
                    rng.shuffle(openings)
                    referrals = bench.add_referrals(
                        openings, people, max(referrals_now, hired_now), hired_now, taken
                    )
                    bench.add_placements(referrals, {o.pk: o for o in openings}, follow_now)
                need["referrals"] -= len(referrals)
                need["placements"] -= sum(1 for r in referrals if r.stage == Stage.HIRED)
                need["follow_ups"] = max(
                    0, goal["follow_ups"] - have["follow_ups"] - bench.counts["follow_ups"]
                )
                progress.update(len(referrals))
        analyse_tables()
        counts = bench.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Jobs bench data added in {time.monotonic() - started:.1f} s: {counts['employers']} employers, "
                f"{counts['openings']} openings, {counts['referrals']} referrals, {counts['placements']} "
                f"placements, {counts['follow_ups']} follow-ups."
            )
        )
