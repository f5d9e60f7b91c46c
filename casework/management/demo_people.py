"""The demo caseload: about forty people with realistic names and legal histories (DOMAIN.md §1–§7).

Dates are days relative to the day seed_demo runs, so the demo always has deadlines ahead: periods
ending in the next weeks, renewals pending, an appeal window closing in five days. Dates of birth
are fixed, because a person is recognised on a second run by name, date of birth and nationality.
Everything here is written through the services by seed_demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TOKYO_BUREAU = "Tokyo Regional Immigration Services Bureau (Minato-ku)"
YOKOHAMA_BUREAU = "Yokohama District Immigration Services Bureau"
DA_NO_WORK = "収入を伴う事業を運営する活動又は報酬を受ける活動を除く。"
DA_WORK = "本邦の公私の機関との契約に基づいて行う報酬を受ける活動を含む（就労可）。"
MM_EMERGENCY = "緊急避難措置：就労可"


@dataclass(frozen=True)
class Chain:
    """Consecutive periods, oldest first, as (status kind, months); the last is current and ends
    `ends_in` days from today. Earlier periods of the same kind were renewed in time (filed, granted)."""

    links: tuple[tuple[str, int], ...]
    ends_in: int
    renewal_filed_days_ago: int | None = None  # the current period's renewal, still pending
    wording: str = ""
    other_label: str = ""


@dataclass(frozen=True)
class Change:
    """A status change mid-period: the new period starts `started_days_ago`, the running one ends the day before."""

    kind: str
    months: int
    started_days_ago: int


@dataclass(frozen=True)
class Work:
    """Explicit permission to work for the dates of the current period."""

    basis: str
    hours_per_week: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Report:
    kind: str
    next_in: int
    place: str
    supervisor: str = ""
    last_days_ago: int | None = None


@dataclass(frozen=True)
class Event:
    kind: str
    days_ago: int
    triage: str = ""
    outcome: str = ""
    note: str = ""


@dataclass(frozen=True)
class Procedure:
    ordinal: int
    applied_days_ago: int
    events: tuple[Event, ...] = ()
    grounds: bool = False
    note: str = ""


@dataclass(frozen=True)
class Relative:
    name: str
    relation: str
    birth_year: int | None = None
    schooling: str = ""
    link: str = ""  # key of another demo person who is this relative


@dataclass(frozen=True)
class Person:
    key: str
    caseworker: str | None  # username; None: unassigned, registered by the team's supervisor
    team: str
    family_name: str
    given_name: str
    name_katakana: str
    name_native: str
    born: date | None
    nationality: str
    gender: str
    languages: tuple[tuple[str, str], ...]
    intake_days_ago: int
    stage: str
    prefecture: str
    city: str
    precision: str = "day"
    aliases: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    education: str = ""
    work_history: str = ""
    chain: Chain | None = None
    change: Change | None = None
    work: Work | None = None
    reports: tuple[Report, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    household: tuple[Relative, ...] = field(default_factory=tuple)


DA = "da_refugee_applicant"
HUM = "da_humanitarian"
LTR = "long_term_resident"
PR = "provisional_release"
SM = "supervisory_measures"
PS = "provisional_stay"
EV = "da_evacuee"

TE, KA = "Tokyo East", "Kanagawa"


def _refused_long_ago(applied: int) -> tuple[Event, ...]:
    """A first-instance refusal and a refused appeal, spread over the years after `applied` days ago."""
    return (
        Event("interview", applied - 200),
        Event("decision", applied - 700, outcome="refused"),
        Event("refusal_notice", applied - 703),
        Event("appeal_filed", applied - 707),
        Event("appeal_decision", applied - 1100, outcome="refused"),
    )


# One person per block, the fields in the order of Person: a table reads better unformatted.
# fmt: off
PEOPLE: tuple[Person, ...] = (
    Person(
        "suriya", "caseworker", TE, "Perera", "Suriya", "スリヤ・ペレラ", "සූරිය පෙරේරා",
        date(1988, 3, 14), "LK", "male", (("Sinhala", "native"), ("English", "conversational"), ("Japanese", "basic")),
        320, "active", "Tokyo", "Edogawa", aliases=("Sooriya Perera",), skills=("cooking", "construction"),
        work_history="Cook in a hotel kitchen in Colombo, 6 years.",
        chain=Chain(((DA, 2), (DA, 3), (DA, 6)), ends_in=45, wording=DA_WORK),
        work=Work("designation_sheet", note="D2: six months after the application, work allowed."),
        procedures=(Procedure(1, 345, (Event("triage", 300, triage="D2"), Event("interview", 120))),),
    ),
    Person(
        "tharindu", "caseworker2", TE, "Jayasinghe", "Tharindu", "タリンドゥ・ジャヤシンハ", "තරිඳු ජයසිංහ",
        date(1993, 11, 2), "LK", "male", (("Sinhala", "native"), ("English", "basic")),
        140, "active", "Tokyo", "Adachi",
        chain=Chain(((DA, 2), (DA, 3)), ends_in=9, renewal_filed_days_ago=5, wording=DA_NO_WORK),
        procedures=(Procedure(1, 150, (Event("triage", 100, triage="D1"),)),),
    ),
    Person(
        "kavitha", "caseworker3", KA, "Sivakumar", "Kavitha", "カヴィタ・シヴァクマール", "கவிதா சிவகுமார்",
        date(1985, 6, 20), "LK", "female", (("Tamil", "native"), ("English", "fluent"), ("Japanese", "conversational")),
        700, "placed", "Kanagawa", "Yokohama", skills=("caregiving", "sewing"),
        education="Diploma in nursing (Jaffna).",
        chain=Chain(((DA, 6), (HUM, 12), (LTR, 36)), ends_in=800),
        procedures=(
            Procedure(1, 900, (Event("interview", 820), Event("decision", 665, outcome="humanitarian"))),
        ),
        household=(
            Relative("Abinaya Sivakumar", "daughter", 2012, "junior high school"),
            Relative("Kishan Sivakumar", "son", 2016, "elementary school"),
        ),
    ),
    Person(
        "nimal", "caseworker", TE, "Fernando", "Nimal", "ニマル・フェルナンド", "නිමල් ප්‍රනාන්දු",
        date(1979, 1, 1), "LK", "male", (("Sinhala", "native"), ("Japanese", "conversational")),
        900, "active", "Tokyo", "Kita", precision="year", skills=("driving", "car repair"),
        chain=Chain(((PR, 2), (PR, 2), (PR, 2)), ends_in=20),
        reports=(Report("provisional_release", 6, TOKYO_BUREAU, last_days_ago=24),),
        procedures=(
            Procedure(1, 2400, _refused_long_ago(2400)),
            Procedure(2, 400, (Event("interview", 150),)),
        ),
    ),
    Person(
        "rizwan", "caseworker2", TE, "Rizwan", "Mohamed", "モハメド・リズワン", "முகமது ரிஸ்வான்",
        date(1983, 8, 9), "LK", "male", (("Tamil", "native"), ("Sinhala", "fluent"), ("Japanese", "basic")),
        500, "active", "Saitama", "Warabi", aliases=("Mohammed Rizwan",),
        chain=Chain(((PR, 3), (PR, 3)), ends_in=35),
        reports=(Report("provisional_release", 12, TOKYO_BUREAU, last_days_ago=18),),
        procedures=(
            Procedure(1, 2600, _refused_long_ago(2600)),
            Procedure(2, 1300, _refused_long_ago(1300)),
            Procedure(3, 40, note="Third application: no new material submitted yet."),
        ),
    ),
    Person(
        "mehmet", "caseworker", TE, "Yılmaz", "Mehmet", "メフメット・ユルマズ", "",
        date(1990, 2, 17), "TR", "male", (("Kurdish (Kurmanji)", "native"), ("Turkish", "fluent"), ("Japanese", "conversational")),
        600, "job_ready", "Saitama", "Kawaguchi", aliases=("Mehmet Yilmaz",), skills=("construction", "demolition", "driving"),
        work_history="Demolition and interior work in Kawaguchi, 3 years.",
        chain=Chain(((DA, 6), (DA, 6), (DA, 6)), ends_in=100, wording=DA_WORK),
        work=Work("designation_sheet"),
        procedures=(
            Procedure(1, 2000, _refused_long_ago(2000)),
            Procedure(2, 560, (Event("interview", 300),)),
        ),
        household=(
            Relative("Elif Yılmaz", "spouse", 1993),
            Relative("Baran Yılmaz", "son", 2016, "elementary school"),
        ),
    ),
    Person(
        "zeynep", "caseworker3", KA, "Demir", "Zeynep", "ゼイネップ・デミル", "",
        date(1995, 5, 5), "TR", "female", (("Turkish", "native"), ("English", "basic")),
        250, "active", "Kanagawa", "Kawasaki",
        chain=Chain(((SM, 6),), ends_in=110),
        work=Work("supervisory_permit", hours_per_week=28),
        reports=(Report("supervisory_measures", 18, YOKOHAMA_BUREAU, "Hanako Suzuki (NPO staff)", 70),),
        procedures=(Procedure(1, 600, (Event("interview", 400),)),),
    ),
    Person(
        "serhat", "caseworker2", TE, "Aslan", "Serhat", "セルハット・アスラン", "",
        date(1984, 4, 12), "TR", "male", (("Kurdish (Kurmanji)", "native"), ("Turkish", "fluent")),
        480, "job_ready", "Saitama", "Kawaguchi", skills=("construction", "welding"),
        chain=Chain(((DA, 2), (DA, 3), (DA, 3), (DA, 6)), ends_in=130, wording=DA_WORK),
        work=Work("designation_sheet"),
        procedures=(Procedure(1, 500, (Event("triage", 470, triage="D2"), Event("interview", 300))),),
    ),
    Person(
        "rojda", "caseworker2", TE, "Aslan", "Rojda", "ロジダ・アスラン", "",
        date(1987, 9, 30), "TR", "female", (("Kurdish (Kurmanji)", "native"), ("Turkish", "fluent")),
        480, "active", "Saitama", "Kawaguchi",
        chain=Chain(((DA, 2), (DA, 3), (DA, 3), (DA, 6)), ends_in=70, wording=DA_WORK),
        work=Work("designation_sheet"),
        procedures=(
            Procedure(
                1,
                500,
                (
                    Event("triage", 470, triage="D2"),
                    Event("interview", 300),
                    Event("decision", 6, outcome="refused"),
                    Event("refusal_notice", 2, note="Notice handed over at the Tokyo bureau."),
                ),
            ),
        ),
        household=(
            Relative("Serhat Aslan", "spouse", 1984, link="serhat"),
            Relative("Zilan Aslan", "daughter", 2012, "junior high school"),
            Relative("Baran Aslan", "son", 2018, "elementary school"),
        ),
    ),
    Person(
        "hasan", "caseworker3", KA, "Çelik", "Hasan", "ハサン・チェリク", "",
        date(1998, 7, 21), "TR", "male", (("Turkish", "native"),),
        30, "intake", "Kanagawa", "Yamato", aliases=("Hasan Celik",),
        chain=Chain(((DA, 2),), ends_in=25, wording=DA_NO_WORK),
        procedures=(Procedure(1, 35),),
    ),
    Person(
        "somchai", "caseworker", TE, "Srisuk", "Somchai", "ソムチャイ・シースック", "สมชาย ศรีสุข",
        date(1976, 12, 1), "TH", "male", (("Thai", "native"), ("Japanese", "conversational")),
        300, "active", "Tokyo", "Shinjuku", skills=("cooking",),
        chain=Chain(((PS, 3), (PS, 6)), ends_in=60),
        reports=(Report("provisional_stay", 30, TOKYO_BUREAU),),
        procedures=(Procedure(1, 280, (Event("interview", 90),)),),
    ),
    Person(
        "nattaya", "caseworker2", TE, "Boonmee", "Nattaya", "ナッタヤー・ブンミー", "ณัฐญา บุญมี",
        date(1991, 4, 13), "TH", "female", (("Thai", "native"), ("English", "conversational"), ("Japanese", "conversational")),
        400, "placed", "Tokyo", "Toshima", skills=("retail", "cleaning"),
        chain=Chain(((DA, 6), (HUM, 12)), ends_in=200, wording="人道配慮：就労可"),
        work=Work("designation_sheet"),
        procedures=(Procedure(1, 560, (Event("interview", 380), Event("decision", 166, outcome="humanitarian"))),),
    ),
    Person(
        "malee", "caseworker3", KA, "Chaiyaporn", "Malee", "マリー・チャイヤポン", "มาลี ชัยพร",
        date(1989, 8, 1), "TH", "female", (("Thai", "native"),),
        110, "active", "Kanagawa", "Sagamihara", precision="month",
        chain=Chain(((DA, 2), (DA, 3)), ends_in=17, wording=DA_NO_WORK),
        procedures=(Procedure(1, 150, (Event("triage", 110, triage="D1"),)),),
    ),
    Person(
        "imran", "caseworker", TE, "Khan", "Muhammad Imran", "ムハンマド・イムラン・カーン", "محمد عمران خان",
        date(1986, 1, 25), "PK", "male", (("Urdu", "native"), ("Punjabi", "native"), ("English", "fluent")),
        230, "job_ready", "Chiba", "Funabashi", aliases=("M. Imran Khan", "Mohammad Imran Khan"),
        skills=("driving", "warehouse"), education="B.Com (University of the Punjab).",
        chain=Chain(((DA, 2), (DA, 6)), ends_in=150, wording=DA_WORK),
        work=Work("designation_sheet", note="Triage A: work allowed at once."),
        procedures=(Procedure(1, 240, (Event("triage", 200, triage="A"), Event("interview", 60))),),
    ),
    Person(
        "ayesha", "caseworker2", TE, "Bibi", "Ayesha", "アイシャ・ビビ", "عائشہ بی بی",
        date(1992, 1, 1), "PK", "female", (("Urdu", "native"), ("Pashto", "conversational")),
        260, "active", "Tokyo", "Itabashi", precision="year",
        chain=Chain(((DA, 2), (DA, 3), (DA, 3)), ends_in=30, wording=DA_NO_WORK),
        procedures=(Procedure(1, 270, (Event("triage", 230, triage="D2"),)),),
        household=(
            Relative("Hamza", "son", 2013, "elementary school"),
            Relative("Maryam", "daughter", 2015, "elementary school"),
            Relative("Ali", "son", 2020, "nursery"),
        ),
    ),
    Person(
        "bilal", "caseworker3", KA, "Ahmed", "Bilal", "ビラル・アハメド", "بلال احمد",
        date(1981, 10, 10), "PK", "male", (("Urdu", "native"), ("English", "conversational")),
        350, "active", "Kanagawa", "Yokohama",
        chain=Chain(((PR, 3), (SM, 6)), ends_in=50),
        reports=(Report("supervisory_measures", 9, YOKOHAMA_BUREAU, "Taro Watanabe (lawyer)", 80),),
        procedures=(Procedure(1, 1500, _refused_long_ago(1500)),),
    ),
    Person(
        "shahid", "caseworker", TE, "Hussain", "Shahid", "シャヒド・フセイン", "شاہد حسین",
        date(1975, 3, 3), "PK", "male", (("Urdu", "native"), ("Punjabi", "native")),
        420, "active", "Gunma", "Isesaki", skills=("farming",),
        chain=Chain(((DA, 3), (DA, 3)), ends_in=-10, renewal_filed_days_ago=20, wording=DA_NO_WORK),
        procedures=(Procedure(1, 2200, _refused_long_ago(2200)), Procedure(2, 200, (Event("interview", 40),))),
    ),
    Person(
        "gurpreet", "caseworker2", TE, "Singh", "Gurpreet", "グルプリート・シン", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ",
        date(1994, 9, 14), "IN", "male", (("Punjabi", "native"), ("Hindi", "fluent"), ("English", "conversational")),
        270, "active", "Gunma", "Tatebayashi", skills=("farming", "driving"),
        chain=Chain(((DA, 2), (DA, 3), (DA, 3)), ends_in=12, renewal_filed_days_ago=10, wording=DA_NO_WORK),
        work=Work("outside_status", hours_per_week=28, note="Permission for activity outside status, 28 h/week."),
        procedures=(Procedure(1, 275, (Event("triage", 235, triage="D2"),)),),
    ),
    Person(
        "harjit", "caseworker3", KA, "Kaur", "Harjit", "ハルジート・カウル", "ਹਰਜੀਤ ਕੌਰ",
        date(1996, 2, 29), "IN", "female", (("Punjabi", "native"), ("English", "fluent")),
        380, "job_ready", "Kanagawa", "Kawasaki", skills=("sewing", "retail"),
        chain=Chain(((DA, 2), (DA, 3), (DA, 3), (DA, 6)), ends_in=160, wording=DA_WORK),
        work=Work("designation_sheet"),
        procedures=(Procedure(1, 430, (Event("triage", 400, triage="D2"), Event("interview", 200))),),
        household=(Relative("Jaspreet Singh", "spouse", 1992),),
    ),
    Person(
        "rajesh", "caseworker", TE, "Kumar", "Rajesh", "ラジェシュ・クマール", "राजेश कुमार",
        date(1980, 7, 7), "IN", "male", (("Hindi", "native"), ("English", "conversational")),
        190, "active", "Tokyo", "Edogawa",
        chain=Chain(((PR, 1), (PR, 1), (PR, 1)), ends_in=8),
        reports=(Report("provisional_release", 3, TOKYO_BUREAU, last_days_ago=27),),
        procedures=(Procedure(1, 1900, _refused_long_ago(1900)), Procedure(2, 180)),
    ),
    Person(
        "sokha", "caseworker2", TE, "Chan", "Sokha", "チャン・ソカー", "ចាន់ សុខា",
        date(1990, 5, 18), "KH", "female", (("Khmer", "native"), ("Japanese", "conversational")),
        330, "job_ready", "Chiba", "Matsudo", skills=("cleaning", "caregiving"),
        chain=Chain(((DA, 2), (DA, 3), (DA, 6)), ends_in=75, wording=DA_WORK),
        work=Work("designation_sheet"),
        procedures=(Procedure(1, 350, (Event("triage", 310, triage="D2"),)),),
    ),
    Person(
        "vannak", "caseworker3", KA, "Sok", "Vannak", "ソック・ヴァンナック", "សុខ វណ្ណៈ",
        date(1985, 11, 11), "KH", "male", (("Khmer", "native"),),
        150, "active", "Kanagawa", "Yokohama",
        chain=Chain(((DA, 3), (DA, 3)), ends_in=5, wording=DA_NO_WORK),
        procedures=(Procedure(1, 200, (Event("triage", 160, triage="D1"),)),),
    ),
    Person(
        "sreymom", "caseworker", TE, "Chea", "Sreymom", "チア・スレイモム", "ជា ស្រីមុំ",
        date(1999, 1, 1), "KH", "female", (("Khmer", "native"),),
        18, "intake", "Tokyo", "Adachi", precision="year",
        chain=Chain(((DA, 2),), ends_in=40, wording=DA_NO_WORK),
        procedures=(Procedure(1, 20),),
    ),
    Person(
        "aung", "caseworker2", TE, "", "Aung Kyaw Moe", "アウン・チョー・モー", "အောင်ကျော်မိုး",
        date(1992, 3, 27), "MM", "male", (("Burmese", "native"), ("English", "conversational"), ("Japanese", "conversational")),
        560, "placed", "Tokyo", "Toshima", skills=("IT support", "interpreting"),
        education="B.Sc. Computer Science (Yangon).",
        chain=Chain(((HUM, 6), (HUM, 12)), ends_in=90, wording=MM_EMERGENCY),
        work=Work("designation_sheet", note="Emergency evacuation measure for Myanmar nationals."),
    ),
    Person(
        "zaw", "caseworker3", KA, "", "Zaw Min Htut", "ゾー・ミン・トゥッ", "ဇော်မင်းထွဋ်",
        date(1987, 1, 15), "MM", "male", (("Burmese", "native"), ("Japanese", "conversational")),
        520, "active", "Kanagawa", "Yokohama", skills=("cooking",),
        chain=Chain(((DA, 6), (DA, 6)), ends_in=60, wording=DA_WORK),
        change=Change(LTR, 12, 15),
        procedures=(Procedure(1, 540, (Event("interview", 300), Event("decision", 20, outcome="recognised"))),),
    ),
    Person(
        "thin", "caseworker3", KA, "", "Thin Thin Aye", "ティン・ティン・エー", "သင်းသင်းအေး",
        date(1990, 10, 5), "MM", "female", (("Burmese", "native"), ("English", "fluent")),
        520, "job_ready", "Kanagawa", "Yokohama", skills=("accounting", "teaching"),
        chain=Chain(((DA, 6), (LTR, 60)), ends_in=1400),
        procedures=(Procedure(1, 900, (Event("interview", 700), Event("decision", 430, outcome="recognised"))),),
        household=(
            Relative("Zaw Min Htut", "spouse", 1987, link="zaw"),
            Relative("Hnin Ei", "daughter", 2019, "nursery"),
        ),
    ),
    Person(
        "naw", "caseworker", TE, "", "Naw Htoo Paw", "ノー・トゥー・ポー", "နော်ထူးပေါ်",
        date(1997, 6, 1), "MM", "female", (("Karen (S'gaw)", "native"), ("Burmese", "fluent")),
        200, "active", "Tokyo", "Shinjuku", aliases=("Naw Htu Paw",),
        chain=Chain(((DA, 2), (DA, 6)), ends_in=35, wording=DA_WORK),
        work=Work("designation_sheet"),
        procedures=(Procedure(1, 240, (Event("triage", 205, triage="A"),)),),
    ),
    Person(
        "ahmad", "caseworker2", TE, "Rahimi", "Ahmad Shah", "アフマド・シャー・ラヒミ", "احمد شاه رحیمی",
        date(1978, 4, 4), "AF", "male", (("Dari", "native"), ("Pashto", "fluent"), ("English", "fluent")),
        800, "follow_up", "Tokyo", "Kita", skills=("interpreting", "accounting"),
        education="Former local staff of a Japanese organisation in Kabul.",
        chain=Chain(((HUM, 12), (LTR, 36)), ends_in=500),
        procedures=(Procedure(1, 1000, (Event("interview", 900), Event("decision", 600, outcome="recognised"))),),
        household=(
            Relative("Mariam Rahimi", "spouse", 1982),
            Relative("Omid Rahimi", "son", 2008, "high school"),
            Relative("Sahar Rahimi", "daughter", 2011, "junior high school"),
        ),
    ),
    Person(
        "fatima", "caseworker3", KA, "Noori", "Fatima", "ファティマ・ノーリ", "فاطمه نوری",
        date(1983, 1, 1), "AF", "female", (("Dari", "native"),),
        700, "active", "Kanagawa", "Kawasaki", precision="year",
        chain=Chain(((LTR, 12), (LTR, 12)), ends_in=25, renewal_filed_days_ago=12),
        household=(Relative("Yasin Noori", "son", 2014, "elementary school"),),
    ),
    Person(
        "nasir", "caseworker", TE, "Haidari", "Mohammad Nasir", "ムハンマド・ナシール・ハイダリ", "محمد نصیر حیدری",
        date(1995, 8, 15), "AF", "male", (("Dari", "native"), ("English", "fluent")),
        210, "job_ready", "Tokyo", "Shinjuku", skills=("IT support", "interpreting"),
        chain=Chain(((DA, 2), (DA, 6)), ends_in=140, wording=DA_WORK),
        work=Work("designation_sheet"),
        procedures=(Procedure(1, 230, (Event("triage", 195, triage="A"),)),),
    ),
    Person(
        "bishnu", "caseworker2", TE, "Adhikari", "Bishnu Prasad", "ビシュヌ・プラサド・アディカリ", "बिष्णु प्रसाद अधिकारी",
        date(1982, 12, 24), "NP", "male", (("Nepali", "native"), ("Hindi", "conversational")),
        260, "active", "Tokyo", "Shinjuku", skills=("cooking",),
        chain=Chain(((DA, 2), (DA, 3), (DA, 3)), ends_in=7, wording=DA_NO_WORK),
        procedures=(Procedure(1, 270, (Event("triage", 225, triage="D2"),)),),
    ),
    Person(
        "sita", "caseworker3", KA, "Gurung", "Sita", "シタ・グルン", "सीता गुरुङ",
        date(1994, 1, 1), "NP", "female", (("Nepali", "native"), ("Japanese", "conversational")),
        450, "placed", "Kanagawa", "Yokohama", precision="year", skills=("caregiving",),
        chain=Chain(((DA, 2), (DA, 3), (DA, 3), (DA, 6)), ends_in=150, wording=DA_WORK),
        work=Work("designation_sheet"),
        procedures=(Procedure(1, 440, (Event("triage", 400, triage="D2"),)),),
    ),
    Person(
        "ram", "caseworker", TE, "Thapa", "Ram Bahadur", "ラム・バハドゥル・タパ", "राम बहादुर थापा",
        date(1977, 2, 2), "NP", "male", (("Nepali", "native"),),
        640, "active", "Tokyo", "Edogawa",
        chain=Chain(((PR, 2), (PR, 2), (PR, 2)), ends_in=14),
        reports=(Report("provisional_release", 14, TOKYO_BUREAU, last_days_ago=16),),
        procedures=(Procedure(1, 1700, _refused_long_ago(1700)),),
    ),
    Person(
        "rahim", "caseworker2", TE, "Uddin", "Mohammad Rahim", "モハマド・ラヒム・ウッディン", "মোহাম্মদ রহিম উদ্দিন",
        date(1980, 6, 30), "BD", "male", (("Bengali", "native"), ("English", "conversational")),
        600, "active", "Saitama", "Koshigaya", aliases=("Md. Rahim Uddin",),
        chain=Chain(((PR, 3), (PR, 3)), ends_in=80),
        reports=(Report("provisional_release", 24, TOKYO_BUREAU, last_days_ago=6),),
        procedures=(
            Procedure(1, 2800, _refused_long_ago(2800)),
            Procedure(2, 1400, _refused_long_ago(1400)),
            Procedure(3, 100, grounds=True, note="New evidence of political persecution submitted."),
        ),
    ),
    Person(
        "nasrin", None, KA, "Akter", "Nasrin", "ナスリン・アクター", "নাসরিন আক্তার",
        date(2000, 1, 19), "BD", "female", (("Bengali", "native"), ("English", "basic")),
        8, "intake", "Kanagawa", "Kawasaki",
        chain=Chain(((DA, 2),), ends_in=50, wording=DA_NO_WORK),
        procedures=(Procedure(1, 10),),
    ),
    Person(
        "reza", "caseworker", TE, "Mohammadi", "Reza", "レザ・モハンマディ", "رضا محمدی",
        date(1969, 9, 9), "IR", "male", (("Persian", "native"), ("Japanese", "fluent")),
        1000, "active", "Tokyo", "Itabashi", aliases=("Reza Mohamadi",), skills=("car repair", "welding"),
        chain=Chain(((PR, 3), (PR, 3), (PR, 3)), ends_in=45),
        reports=(Report("provisional_release", 20, TOKYO_BUREAU, last_days_ago=10),),
        procedures=(Procedure(1, 3000, _refused_long_ago(3000)), Procedure(2, 800, (Event("interview", 500),))),
    ),
    Person(
        "maryam", "caseworker2", TE, "Hosseini", "Maryam", "マルヤム・ホセイニ", "مریم حسینی",
        date(1988, 3, 21), "IR", "female", (("Persian", "native"), ("English", "fluent")),
        500, "job_ready", "Tokyo", "Shinjuku", skills=("teaching", "interpreting"),
        chain=Chain(((HUM, 12), (HUM, 12)), ends_in=80, wording="人道配慮：就労可"),
        work=Work("designation_sheet"),
        procedures=(Procedure(1, 1300, (Event("interview", 1000), Event("decision", 655, outcome="humanitarian"))),),
    ),
    Person(
        "grace", "caseworker3", KA, "Nakato", "Grace", "グレース・ナカト", "",
        date(1993, 7, 7), "UG", "female", (("Luganda", "native"), ("English", "fluent")),
        420, "active", "Kanagawa", "Yokohama", aliases=("Grace Nakato Namubiru",), skills=("caregiving", "cleaning"),
        chain=Chain(((DA, 2), (DA, 3), (DA, 3), (DA, 6)), ends_in=20, renewal_filed_days_ago=30, wording=DA_WORK),
        work=Work("designation_sheet"),
        procedures=(Procedure(1, 440, (Event("triage", 400, triage="D2"),)),),
    ),
    Person(
        "joseph", "caseworker", TE, "Ssempijja", "Joseph", "ジョセフ・センピージャ", "",
        date(1986, 5, 12), "UG", "male", (("Luganda", "native"), ("English", "fluent")),
        330, "active", "Tokyo", "Adachi",
        chain=Chain(((SM, 3), (SM, 3)), ends_in=28),
        work=Work("supervisory_permit", hours_per_week=20),
        reports=(Report("supervisory_measures", 4, TOKYO_BUREAU, "Keiko Mori (church volunteer)", 60),),
        procedures=(Procedure(1, 1100, (Event("interview", 700),)),),
    ),
    Person(
        "jean_paul", "caseworker2", TE, "Mbarga", "Jean-Paul", "ジャン＝ポール・ンバルガ", "",
        date(1991, 11, 1), "CM", "male", (("French", "native"), ("English", "fluent")),
        160, "active", "Tokyo", "Kita", precision="month",
        chain=Chain(((DA, 2), (DA, 3)), ends_in=55, wording=DA_NO_WORK),
        procedures=(Procedure(1, 165, (Event("triage", 120, triage="D2"),)),),
    ),
    Person(
        "christelle", "caseworker3", KA, "Ngo Biyong", "Christelle", "クリステル・ンゴ・ビヨン", "",
        date(1989, 12, 8), "CM", "female", (("French", "native"), ("English", "conversational")),
        650, "active", "Kanagawa", "Yokohama",
        chain=Chain(((DA, 6), (DA, 6)), ends_in=65, wording=DA_NO_WORK),
        procedures=(
            Procedure(
                1,
                700,
                (
                    Event("interview", 400),
                    Event("decision", 25, outcome="refused"),
                    Event("refusal_notice", 22),
                    Event("appeal_filed", 12, note="Filed late: the notice was sent to an old address."),
                ),
            ),
        ),
    ),
    Person(
        "hung", "caseworker", TE, "Nguyen", "Van Hung", "グエン・ヴァン・フン", "Nguyễn Văn Hùng",
        date(1996, 4, 30), "VN", "male", (("Vietnamese", "native"), ("Japanese", "conversational")),
        120, "active", "Gunma", "Ota", skills=("welding", "construction"),
        work_history="Technical intern trainee (welding), 3 years.",
        chain=Chain(((DA, 2), (DA, 3)), ends_in=19, wording=DA_NO_WORK),
        procedures=(Procedure(1, 130, (Event("triage", 95, triage="D1"),)),),
    ),
    Person(
        "mai", "caseworker2", TE, "Tran", "Thi Mai", "チャン・ティ・マイ", "Trần Thị Mai",
        date(1998, 10, 20), "VN", "female", (("Vietnamese", "native"),),
        170, "active", "Saitama", "Kawaguchi", skills=("sewing",),
        chain=Chain(((DA, 3), (DA, 3)), ends_in=3, renewal_filed_days_ago=15, wording=DA_NO_WORK),
        procedures=(Procedure(1, 180, (Event("triage", 140, triage="D1"),)),),
    ),
    Person(
        "olena", None, TE, "Kovalenko", "Olena", "オレナ・コヴァレンコ", "Олена Коваленко",
        date(1979, 8, 24), "UA", "female", (("Ukrainian", "native"), ("Russian", "fluent"), ("English", "conversational")),
        15, "intake", "Tokyo", "Shinjuku", education="Accountant (Kharkiv).",
        chain=Chain(((EV, 12), (EV, 12), (EV, 12)), ends_in=110),
    ),
)
# fmt: on
