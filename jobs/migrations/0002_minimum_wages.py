"""The regional minimum wage table of DOMAIN.md §9: FY2025 with each prefecture's own date, and FY2024
(in force until then) from 2024-10-01, marked approximate where the exact date was not at hand (Tokyo's
is exact). Administrators add later years' rows; this migration is never edited for them."""

from datetime import date

from django.db import migrations

# (JIS code, FY2024 yen, FY2025 yen, FY2025 effective from)
ROWS = [
    ("01", 1_010, 1_075, "2025-10-04"),  # Hokkaido
    ("02", 953, 1_029, "2025-11-21"),  # Aomori
    ("03", 952, 1_031, "2025-12-01"),  # Iwate
    ("04", 973, 1_038, "2025-10-04"),  # Miyagi
    ("05", 951, 1_031, "2026-03-31"),  # Akita
    ("06", 955, 1_032, "2025-12-23"),  # Yamagata
    ("07", 955, 1_033, "2026-01-01"),  # Fukushima
    ("08", 1_005, 1_074, "2025-10-12"),  # Ibaraki
    ("09", 1_004, 1_068, "2025-10-01"),  # Tochigi
    ("10", 985, 1_063, "2026-03-01"),  # Gunma
    ("11", 1_078, 1_141, "2025-11-01"),  # Saitama
    ("12", 1_076, 1_140, "2025-10-03"),  # Chiba
    ("13", 1_163, 1_226, "2025-10-03"),  # Tokyo
    ("14", 1_162, 1_225, "2025-10-04"),  # Kanagawa
    ("15", 985, 1_050, "2025-10-02"),  # Niigata
    ("16", 998, 1_062, "2025-10-12"),  # Toyama
    ("17", 984, 1_054, "2025-10-08"),  # Ishikawa
    ("18", 984, 1_053, "2025-10-08"),  # Fukui
    ("19", 988, 1_052, "2025-12-01"),  # Yamanashi
    ("20", 998, 1_061, "2025-10-03"),  # Nagano
    ("21", 1_001, 1_065, "2025-10-18"),  # Gifu
    ("22", 1_034, 1_097, "2025-11-01"),  # Shizuoka
    ("23", 1_077, 1_140, "2025-10-18"),  # Aichi
    ("24", 1_023, 1_087, "2025-11-21"),  # Mie
    ("25", 1_017, 1_080, "2025-10-05"),  # Shiga
    ("26", 1_058, 1_122, "2025-11-21"),  # Kyoto
    ("27", 1_114, 1_177, "2025-10-16"),  # Osaka
    ("28", 1_052, 1_116, "2025-10-04"),  # Hyogo
    ("29", 986, 1_051, "2025-11-16"),  # Nara
    ("30", 980, 1_045, "2025-11-01"),  # Wakayama
    ("31", 957, 1_030, "2025-10-04"),  # Tottori
    ("32", 962, 1_033, "2025-11-17"),  # Shimane
    ("33", 982, 1_047, "2025-12-01"),  # Okayama
    ("34", 1_020, 1_085, "2025-11-01"),  # Hiroshima
    ("35", 979, 1_043, "2025-10-16"),  # Yamaguchi
    ("36", 980, 1_046, "2026-01-01"),  # Tokushima
    ("37", 970, 1_036, "2025-10-18"),  # Kagawa
    ("38", 956, 1_033, "2025-12-01"),  # Ehime
    ("39", 952, 1_023, "2025-12-01"),  # Kochi
    ("40", 992, 1_057, "2025-11-16"),  # Fukuoka
    ("41", 956, 1_030, "2025-11-21"),  # Saga
    ("42", 953, 1_031, "2025-12-01"),  # Nagasaki
    ("43", 952, 1_034, "2026-01-01"),  # Kumamoto
    ("44", 954, 1_035, "2026-01-01"),  # Oita
    ("45", 952, 1_023, "2025-11-16"),  # Miyazaki
    ("46", 953, 1_026, "2025-11-01"),  # Kagoshima
    ("47", 952, 1_023, "2025-12-01"),  # Okinawa
]
FY2024_FROM = date(2024, 10, 1)
TOKYO = "13"


def seed(apps, schema_editor):
    MinimumWage = apps.get_model("jobs", "MinimumWage")
    rows = []
    for code, fy2024, fy2025, fy2025_from in ROWS:
        rows.append(
            MinimumWage(
                prefecture=code, yen_per_hour=fy2024, effective_from=FY2024_FROM, approximate=code != TOKYO
            )
        )
        rows.append(
            MinimumWage(prefecture=code, yen_per_hour=fy2025, effective_from=date.fromisoformat(fy2025_from))
        )
    MinimumWage.objects.bulk_create(rows, ignore_conflicts=True)


def unseed(apps, schema_editor):
    MinimumWage = apps.get_model("jobs", "MinimumWage")
    seeded = {(code, FY2024_FROM) for code, *_ in ROWS} | {
        (code, date.fromisoformat(day)) for code, _a, _b, day in ROWS
    }
    for code, day in seeded:
        MinimumWage.objects.filter(prefecture=code, effective_from=day).delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
