"""What the jobs demo holds: its employers, openings, availability, referrals and placements (seed_demo_jobs).

The people are seed_demo's, named by their keys (casework/management/demo_people.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from jobs.models import Stage

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


OPENINGS: tuple[DemoOpening, ...] = (
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
# Arakawa Construction's past openings, filled long ago (the demo `employer`'s Impact page: enough
# placements behind its figures). Their start dates are moved back to their first hire's start.
PAST_OPENINGS = (
    DemoOpening(
        "Arakawa Construction",
        "Scaffolding assistant",
        "11",
        13500,
        "daily",
        40,
        8,
        "fixed_term",
        14,
        skills=("construction",),
        places=2,
    ),
    DemoOpening(
        "Arakawa Construction", "Site cleaner", "11", 1300, "hourly", 20, 4, "part_time", 14, places=2
    ),
    DemoOpening(
        "Arakawa Construction", "Plasterer's assistant", "11", 13500, "daily", 40, 8, "fixed_term", 14
    ),
    DemoOpening("Arakawa Construction", "Materials handler", "11", 1300, "hourly", 20, 4, "part_time", 14),
)
OPENINGS = OPENINGS + PAST_OPENINGS
# Days from an opening's creation to its first confirmed hire (the Impact page's time to fill); openings
# with a placement not named here: FILL_DAYS_OTHERWISE.
FILL_DAYS = {
    "Scaffolding assistant": 18,
    "Site cleaner": 9,
    "Plasterer's assistant": 26,
    "Materials handler": 12,
    "Interior construction worker": 34,
}
FILL_DAYS_OTHERWISE = 21
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
# What a share consent names: most people the narrow scope (no nationality, no contact details); these
# the broad one, so the portal's demo shows both packets side by side (Arakawa Construction: Mehmet's
# narrow, Serhat's broad).
NARROW_SCOPE = ("languages", "skills", "japanese_level", "work_history", "may_work_until")
BROAD_SCOPE = (*NARROW_SCOPE, "contact", "nationality", "education")
BROAD_CONSENT_PEOPLE = ("serhat",)
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
    # Arakawa Construction's placed worker (the demo `employer`'s portal: Workers, a follow-up to confirm).
    ("zaw", "Interior construction worker", 20, ()),
    # Arakawa Construction's past hires (its Impact page). A fourth value in a follow-up: the day the
    # person left, in days after the start. Retention as of the seed: 3 months 5 of 6 (Joseph left
    # before his mark), 6 months 4 of 5 (Maryam left before hers), 12 months 1 of 2 (hidden: < 5).
    (
        "thin",
        "Scaffolding assistant",
        420,
        ((1, "retained", ""), (3, "retained", ""), (6, "retained", ""), (12, "left", "contract_ended", 200)),
    ),
    (
        "naw",
        "Scaffolding assistant",
        380,
        ((1, "retained", ""), (3, "retained", ""), (6, "retained", ""), (12, "retained", "")),
    ),
    (
        "maryam",
        "Plasterer's assistant",
        300,
        ((1, "retained", ""), (3, "retained", ""), (6, "left", "language", 150)),
    ),
    ("zeynep", "Site cleaner", 250, ((1, "retained", ""), (3, "retained", ""), (6, "retained", ""))),
    ("gurpreet", "Site cleaner", 200, ((1, "retained", ""), (3, "at_risk", ""), (6, "retained", ""))),
    ("joseph", "Materials handler", 130, ((1, "retained", ""), (3, "left", "moved", 60))),
)
INTERVIEW_PLACE = "At the employer, with a Tobira volunteer"
