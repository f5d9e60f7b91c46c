"""Demo employers, openings, referrals at every stage, placements and follow-ups for seed_demo_jobs.

Built on seed_demo's people and accounts (jobs → casework, never the other way), through jobs.services
and casework's services, so the demo's history (stage changes, audit) looks like real use. Where a
service refuses what the demo needs (a placement that started months ago: a hire is confirmed on or
after the offer day), the placement is confirmed today through the service and its dates are then moved
back, follow-ups with it. Idempotent: an employer is recognised by its name, an opening by its employer
and title, a referral by its person and opening, a consent by its person and employer reference.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from casework.management.commands.seed_demo import find_demo_person
from casework.management.demo_people import PEOPLE
from casework.models import Applicant, CaseStage, Consent, ConsentPurpose, Organisation, User
from casework.rules import add_months
from casework.services import applicant_update, consent_record
from jobs import rules
from jobs.models import Employer, FollowUp, JobOpening, Placement, Referral, Stage
from jobs.services import employers as employer_services
from jobs.services import openings as opening_services
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services

EMPLOYERS = (
    # name, kana, industry, prefecture, size, partnership, address, contacts (name, role, e-mail, phone)
    (
        "Sakura Foods Co., Ltd.",
        "サクラフーズ",
        "food_manufacturing",
        "11",
        "50-299",
        "active",
        "Kawaguchi, Saitama",
        (("Yoko Mori", "HR manager", "mori@sakura-foods.example", "048-000-1111"),),
    ),
    (
        "Hotel Sumida Riverside",
        "ホテルすみだリバーサイド",
        "hospitality",
        "13",
        "50-299",
        "active",
        "Sumida-ku, Tokyo",
        (
            ("Takeshi Ono", "Front office manager", "ono@sumida-hotel.example", ""),
            ("Rina Kato", "Housekeeping lead", "kato@sumida-hotel.example", ""),
        ),
    ),
    (
        "Minato Code Works",
        "みなとコードワークス",
        "it",
        "13",
        "10-49",
        "active",
        "Minato-ku, Tokyo",
        (("Ken Ishida", "CTO", "ishida@minato-code.example", ""),),
    ),
    (
        "Kibou Care Home",
        "きぼうケアホーム",
        "care",
        "14",
        "50-299",
        "active",
        "Yokohama, Kanagawa",
        (("Sachiko Abe", "Care manager", "abe@kibou-care.example", "045-000-2222"),),
    ),
    (
        "Arakawa Construction",
        "荒川建設",
        "construction",
        "11",
        "10-49",
        "active",
        "Kawaguchi, Saitama",
        (("Masaru Endo", "Site manager", "", "048-000-3333"),),
    ),
    (
        "Kanto Logistics Centre",
        "関東ロジスティクスセンター",
        "logistics",
        "12",
        "300+",
        "active",
        "Ichikawa, Chiba",
        (("Jun Saito", "Warehouse manager", "saito@kanto-logi.example", ""),),
    ),
    (
        "Gunma Green Farms",
        "群馬グリーンファーム",
        "agriculture",
        "10",
        "1-9",
        "prospect",
        "Isesaki, Gunma",
        (("Tomoko Hara", "Owner", "", "0270-00-4444"),),
    ),
    (
        "Clean Tokyo Services",
        "クリーン東京サービス",
        "cleaning",
        "13",
        "10-49",
        "paused",
        "Adachi-ku, Tokyo",
        (("Akira Noda", "Area supervisor", "noda@clean-tokyo.example", ""),),
    ),
)


@dataclass(frozen=True)
class DemoOpening:
    employer: str
    title: str
    prefecture: str
    wage: int
    wage_unit: str
    hours: int
    daily: int
    contract: str
    start_in: int  # days from today
    status: str = "open"
    level: str = ""
    skills: tuple[str, ...] = ()
    shift: str = "day"
    probation: int | None = None
    places: int = 1


OPENINGS = (
    DemoOpening(
        "Sakura Foods Co., Ltd.",
        "Bento line worker",
        "11",
        1200,
        "hourly",
        40,
        8,
        "fixed_term",
        21,
        level="A1",
        places=3,
    ),
    DemoOpening(
        "Sakura Foods Co., Ltd.",
        "Night packing staff",
        "11",
        1450,
        "hourly",
        32,
        8,
        "part_time",
        14,
        shift="night",
    ),
    DemoOpening(
        "Hotel Sumida Riverside",
        "Hotel kitchen assistant",
        "13",
        1300,
        "hourly",
        40,
        8,
        "fixed_term",
        14,
        skills=("cooking",),
        probation=3,
    ),
    DemoOpening(
        "Hotel Sumida Riverside",
        "Housekeeping staff",
        "13",
        1250,
        "hourly",
        30,
        6,
        "part_time",
        28,
        level="A2",
        shift="rotating",
    ),
    DemoOpening(
        "Minato Code Works",
        "IT support technician",
        "13",
        280000,
        "monthly",
        40,
        8,
        "permanent",
        45,
        level="B1",
        skills=("IT support",),
        probation=6,
    ),
    DemoOpening(
        "Minato Code Works",
        "Interpreter and office assistant",
        "13",
        1500,
        "hourly",
        20,
        5,
        "part_time",
        30,
        level="B2",
        skills=("interpreting",),
    ),
    DemoOpening(
        "Kibou Care Home",
        "Care assistant",
        "14",
        1300,
        "hourly",
        40,
        8,
        "fixed_term",
        30,
        level="A2",
        skills=("caregiving",),
        shift="rotating",
        probation=3,
        places=2,
    ),
    DemoOpening(
        "Kibou Care Home", "Kitchen and cleaning staff", "14", 1240, "hourly", 25, 5, "part_time", 21
    ),
    DemoOpening(
        "Arakawa Construction",
        "Interior construction worker",
        "11",
        14000,
        "daily",
        40,
        8,
        "fixed_term",
        14,
        skills=("construction",),
        places=2,
    ),
    DemoOpening(
        "Arakawa Construction", "Welder", "11", 15000, "daily", 40, 8, "fixed_term", 40, skills=("welding",)
    ),
    DemoOpening(
        "Kanto Logistics Centre",
        "Warehouse picker",
        "12",
        1250,
        "hourly",
        40,
        8,
        "dispatch",
        10,
        shift="day",
        places=4,
    ),
    DemoOpening(
        "Kanto Logistics Centre",
        "Forklift driver",
        "12",
        1400,
        "hourly",
        40,
        8,
        "fixed_term",
        35,
        skills=("driving",),
        shift="evening",
    ),
    # Below Gunma's minimum wage: kept as a draft, and its page says why it cannot open.
    DemoOpening(
        "Gunma Green Farms",
        "Vegetable harvest helper",
        "10",
        950,
        "hourly",
        30,
        6,
        "part_time",
        30,
        status="draft",
        skills=("farming",),
    ),
    DemoOpening(
        "Clean Tokyo Services",
        "Office cleaning (early morning)",
        "13",
        1280,
        "hourly",
        20,
        4,
        "part_time",
        20,
        status="closed",
    ),
)
LOW_WAGE_OPENING = "Vegetable harvest helper"
# The person whose right to work ends inside the probation of an opening they match (the warning).
PROBATION_PERSON, PROBATION_OPENING = "suriya", "Hotel kitchen assistant"

# Availability for the demo people: (available in days, hours wanted, days, shifts, prefectures).
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
AVAILABILITY = {
    "suriya": (0, 40, WEEKDAYS + ["sat"], ["day", "evening"], ["東京都", "千葉県"]),
    "mehmet": (0, 40, WEEKDAYS + ["sat"], ["day"], ["埼玉県", "東京都"]),
    "serhat": (7, 40, WEEKDAYS, ["day", "night"], ["埼玉県", "東京都"]),
    "rojda": (0, 30, WEEKDAYS, ["day"], ["埼玉県"]),
    "imran": (0, 40, WEEKDAYS + ["sat", "sun"], ["day", "evening", "night"], ["千葉県", "東京都"]),
    "harjit": (14, 30, WEEKDAYS, ["day"], ["神奈川県"]),
    "sokha": (0, 30, WEEKDAYS, ["day", "evening"], ["千葉県", "東京都"]),
    "nasir": (0, 40, WEEKDAYS, ["day"], ["東京都", "神奈川県"]),
    "maryam": (0, 20, ["mon", "wed", "fri"], ["day"], ["東京都"]),
    "grace": (0, 40, WEEKDAYS, ["day", "evening", "night"], ["神奈川県"]),
    "gurpreet": (0, 30, WEEKDAYS + ["sat"], ["day"], ["群馬県"]),
    "thin": (30, 40, WEEKDAYS, ["day"], ["神奈川県", "東京都"]),
    "fatima": (0, 25, WEEKDAYS, ["day"], ["神奈川県"]),
    "tharindu": (0, 20, ["sat", "sun"], ["day"], ["東京都"]),
    "shahid": (0, 30, WEEKDAYS, ["day"], ["群馬県"]),
}

# Referrals: person, opening title, the stages it passes through after "proposed", the reason of its end.
REFERRALS = (
    ("rojda", "Bento line worker", (), ""),
    ("fatima", "Kitchen and cleaning staff", (Stage.CONSENT_RECORDED,), ""),
    ("sokha", "Warehouse picker", (Stage.CONSENT_RECORDED, Stage.SHARED), ""),
    ("mehmet", "Interior construction worker", (Stage.CONSENT_RECORDED, Stage.SHARED, Stage.INTERVIEW), ""),
    ("serhat", "Welder", (Stage.CONSENT_RECORDED, Stage.SHARED, Stage.INTERVIEW, Stage.OFFER), ""),
    (
        "imran",
        "Forklift driver",
        (Stage.CONSENT_RECORDED, Stage.SHARED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRE_REPORTED),
        "",
    ),
    (
        "nasir",
        "Interpreter and office assistant",
        (Stage.CONSENT_RECORDED, Stage.SHARED, Stage.INTERVIEW, Stage.REJECTED),
        "language",
    ),
    ("grace", "Care assistant", (Stage.CONSENT_RECORDED, Stage.WITHDRAWN), "person_declined"),
    ("harjit", "Care assistant", (Stage.CONSENT_RECORDED, Stage.SHARED), ""),
)
# Placements: person, opening, started days ago, follow-ups recorded (month, outcome, leaving reason).
PLACEMENTS = (
    (
        "ahmad",
        "Interpreter and office assistant",
        400,
        ((1, "retained", ""), (3, "retained", ""), (6, "retained", ""), (12, "retained", "")),
    ),
    ("kavitha", "Care assistant", 200, ((1, "retained", ""), (3, "retained", ""), (6, "at_risk", ""))),
    ("sita", "Kitchen and cleaning staff", 120, ((1, "retained", ""), (3, "left", "working_conditions"))),
    ("nattaya", "Housekeeping staff", 100, ((1, "retained", ""),)),  # the 3-month follow-up is due
    ("aung", "IT support technician", 25, ()),  # the first follow-up is due within a week
)
INTERVIEW_PLACE = "At the employer, with a Tobira volunteer"


class DemoJobs:
    def __init__(self, *, organisation: Organisation):
        self.organisation = organisation
        self.today = timezone.localdate()
        self.counts: Counter[str] = Counter()
        users = {u.username: u for u in User.objects.filter(username__in=["admin", "supervisor"])}
        if len(users) < 2:
            raise CommandError("Run seed_demo first: the demo accounts are missing.")
        self.admin, self.supervisor = users["admin"], users["supervisor"]
        self.people: dict[str, Applicant] = {}
        for person in PEOPLE:
            applicant = find_demo_person(organisation, person)
            if applicant is None:
                raise CommandError("Run seed_demo first: the demo people are missing.")
            self.people[person.key] = applicant
        self.employers: dict[str, Employer] = {}
        self.openings: dict[str, JobOpening] = {}

    def by_for(self, applicant: Applicant) -> User:
        return applicant.caseworker or self.supervisor

    def run(self) -> Counter[str]:
        self.add_employers()
        self.add_openings()
        self.add_availability()
        for key, title, stages, reason in REFERRALS:
            self.add_referral(key, title, stages, reason)
        for key, title, days_ago, follow_ups in PLACEMENTS:
            self.add_placement(key, title, days_ago, follow_ups)
        return self.counts

    def add_employers(self) -> None:
        existing = {e.name: e for e in Employer.objects.filter(organisation=self.organisation)}
        for name, kana, industry, prefecture, size, status, address, contacts in EMPLOYERS:
            if name in existing:
                self.employers[name] = existing[name]
                continue
            employer = employer_services.employer_create(
                by=self.supervisor,
                data={
                    "name": name,
                    "name_kana": kana,
                    "industry": industry,
                    "prefecture": prefecture,
                    "size_band": size,
                    "partnership_status": status,
                    "address": address,
                },
            )
            for index, (person, role, email, phone) in enumerate(contacts):
                employer_services.employer_contact_save(
                    by=self.supervisor,
                    employer=employer,
                    data={
                        "name": person,
                        "role": role,
                        "email": email,
                        "phone": phone,
                        "is_primary": index == 0,
                    },
                )
                self.counts["contacts"] += 1
            self.employers[name] = employer
            self.counts["employers"] += 1

    def add_openings(self) -> None:
        existing = {
            (o.employer.name, o.title): o
            for o in JobOpening.objects.filter(employer__in=self.employers.values()).select_related(
                "employer"
            )
        }
        for spec in OPENINGS:
            found = existing.get((spec.employer, spec.title))
            if found is None:
                found = opening_services.opening_create(
                    by=self.supervisor,
                    employer=self.employers[spec.employer],
                    data={
                        "title": spec.title,
                        "description": f"{spec.title} at {spec.employer}.",
                        "prefecture": spec.prefecture,
                        "hours_per_week": str(spec.hours),
                        "daily_hours": str(spec.daily),
                        "shift_pattern": spec.shift,
                        "wage": spec.wage,
                        "wage_unit": spec.wage_unit,
                        "contract_type": spec.contract,
                        "start_date": self.today + timedelta(days=spec.start_in),
                        "probation_months": spec.probation,
                        "required_level": spec.level,
                        "required_skills": list(spec.skills),
                        "places": spec.places,
                        # A closed opening was open first.
                        "status": "open" if spec.status == "closed" else spec.status,
                    },
                )
                if spec.status == "closed":
                    found = opening_services.opening_update(
                        by=self.supervisor,
                        opening=found,
                        data={
                            "status": "closed",
                            "status_note": "The employer paused hiring for the winter.",
                        },
                    )
                self.counts["openings"] += 1
            self.openings[spec.title] = found

    def add_availability(self) -> None:
        for key, (days, hours, weekdays, shifts, prefectures) in AVAILABILITY.items():
            applicant = Applicant.objects.get(pk=self.people[key].pk)
            if applicant.available_from is not None or applicant.commute_prefectures:
                continue
            applicant_update(
                by=self.by_for(applicant),
                applicant=applicant,
                data={
                    "available_from": self.today + timedelta(days=days),
                    "hours_per_week_wanted": hours,
                    "available_days": weekdays,
                    "available_shifts": shifts,
                    "commute_prefectures": prefectures,
                },
                expected_version=applicant.version,
            )
            self.counts["availability"] += 1

    def share_consent(self, applicant: Applicant, employer: Employer, by: User) -> None:
        ref = referral_services.employer_ref(employer.pk)
        if Consent.objects.filter(applicant=applicant, employer_ref=ref, revoked_on__isnull=True).exists():
            return
        consent_record(
            by=by,
            applicant=applicant,
            data={
                "purpose": ConsentPurpose.SHARE_WITH_EMPLOYER,
                "employer_name": employer.name,
                "employer_ref": ref,
                "scope": ["languages", "skills", "japanese_level", "work_history", "may_work_until"],
                "granted_on": self.today,
                "expires_on": add_months(self.today, 12),
                "note": "Signed with the caseworker before the referral.",
            },
        )
        self.counts["consents"] += 1

    def add_referral(self, key: str, title: str, stages: tuple[str, ...], reason: str) -> Referral | None:
        applicant, opening = self.people[key], self.openings[title]
        if Referral.objects.filter(applicant=applicant, opening=opening).exists():
            return None
        by = self.by_for(applicant)
        if opening.status != "open":
            return None
        referral = referral_services.referral_propose(
            by=by, applicant=applicant, opening=opening, note="Matches the opening's skills and hours."
        )
        for stage in stages:
            if stage == Stage.CONSENT_RECORDED:
                self.share_consent(applicant, opening.employer, by)
            data: dict[str, object] = {"stage": stage}
            if stage in (Stage.REJECTED, Stage.WITHDRAWN):
                data["reason_code"] = reason
            if stage == Stage.HIRE_REPORTED:
                data["start_date"] = opening.start_date
            referral = referral_services.referral_move(by=by, referral=referral, data=data)
            if stage == Stage.INTERVIEW:
                referral_services.interview_save(
                    by=by,
                    referral=referral,
                    data={
                        "starts_at": timezone.make_aware(
                            datetime.combine(self.today + timedelta(days=3), time(14, 0))
                        ),
                        "place": INTERVIEW_PLACE,
                        "interpreter_needed": key in ("serhat", "mehmet"),
                        "interpreter_language": "Turkish" if key in ("serhat", "mehmet") else "",
                    },
                )
                self.counts["interviews"] += 1
        self.counts["referrals"] += 1
        return referral

    def add_placement(self, key: str, title: str, days_ago: int, follow_ups) -> None:
        applicant, opening = self.people[key], self.openings[title]
        if Referral.objects.filter(applicant=applicant, opening=opening).exists():
            return
        stage_before = Applicant.objects.get(pk=applicant.pk).case_stage
        path = (Stage.CONSENT_RECORDED, Stage.SHARED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRE_REPORTED)
        referral = self.add_referral(key, title, path, "")
        if referral is None:
            return
        by = self.by_for(applicant)
        confirmed = placement_services.placement_confirm(
            by=by, referral=referral, data={"start_date": self.today}
        )
        placement = confirmed.placement
        self.backdate(placement, self.today - timedelta(days=days_ago))
        for month, outcome, leaving in follow_ups:
            placement_services.follow_up_record(
                by=by,
                placement=placement,
                month=month,
                data={
                    "outcome": outcome,
                    "leaving_reason": leaving,
                    "reported_by": "employer",
                    "note": "Phoned the employer and the person.",
                },
            )
            self.counts["follow-ups recorded"] += 1
        if any(outcome == "left" for _m, outcome, _r in follow_ups):
            placement.refresh_from_db()
            Placement.objects.filter(pk=placement.pk).update(ended_on=self.today - timedelta(days=5))
        if stage_before == CaseStage.FOLLOW_UP:
            fresh = Applicant.objects.get(pk=applicant.pk)
            applicant_update(
                by=by, applicant=fresh, data={"case_stage": stage_before}, expected_version=fresh.version
            )
        self.counts["placements"] += 1

    def backdate(self, placement: Placement, start: date) -> None:
        """Move a placement confirmed today back to its demo start, with its follow-ups' due dates and the
        referral's stage history (a history that ends before the job started)."""
        shift = self.today - start
        probation = (
            add_months(start, placement.opening.probation_months)
            if placement.opening.probation_months
            else None
        )
        Placement.objects.filter(pk=placement.pk).update(
            start_date=start,
            probation_end=probation,
            confirmed_at=placement.confirmed_at - shift,
            # The employer confirmed the hire notification long ago: the demo shows no old notices.
        )
        for month, due in rules.follow_up_dates(start):
            FollowUp.objects.filter(placement=placement, month=month).update(due_on=due)
        for change in placement.referral.stage_changes.all():
            change.at = change.at - shift - timedelta(days=14)
            change.save(update_fields=["at"])
        Referral.objects.filter(pk=placement.referral_id).update(
            stage_changed_at=placement.confirmed_at - shift
        )
