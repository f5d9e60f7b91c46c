"""The seeding commands: seed_demo (idempotent, realistic) and seed_bench (bulk, consistent with the services)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from casework import crypto, names, selectors, services
from casework.models import (
    Alias,
    Applicant,
    Assignment,
    HouseholdMember,
    LegalStatusPeriod,
    ProcedureEvent,
    ReferenceCounter,
    RefugeeProcedure,
    ReportingObligation,
    Team,
    User,
    WorkPermission,
)
from casework.roles import Role

MODELS = (
    Applicant,
    Alias,
    Assignment,
    HouseholdMember,
    LegalStatusPeriod,
    WorkPermission,
    ReportingObligation,
    RefugeeProcedure,
    ProcedureEvent,
    ReferenceCounter,
    User,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


# --- seed_demo ------------------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    output = run("seed_demo")
    return output


@pytest.mark.django_db
def test_seed_demo_twice_creates_nothing_new(demo):
    first = counts()
    assert 38 <= first["Applicant"] <= 50
    assert "already there" in demo
    second_output = run("seed_demo")
    assert counts() == first
    assert f"0 people added, {first['Applicant']} already there" in second_output


@pytest.mark.django_db
def test_seed_demo_spreads_people_over_the_demo_caseworkers(demo):
    by_caseworker = {
        username: Applicant.objects.filter(caseworker__username=username).count()
        for username in ("caseworker", "caseworker2", "caseworker3")
    }
    assert all(count >= 8 for count in by_caseworker.values()), by_caseworker
    assert Applicant.objects.filter(caseworker=None).exists()  # waiting for a caseworker
    assert Applicant.objects.filter(caseworker__username="caseworker3", team__name="Kanagawa").exists()
    nationalities = set(Applicant.objects.values_list("nationality", flat=True))
    assert {
        "LK",
        "TR",
        "TH",
        "PK",
        "IN",
        "KH",
        "MM",
        "AF",
        "NP",
        "BD",
        "IR",
        "UG",
        "CM",
        "VN",
    } <= nationalities


@pytest.mark.django_db
def test_seed_demo_has_the_cases_a_demo_needs(demo):
    today = timezone.localdate()
    admin = User.objects.get(username="admin")
    rows = selectors.applicants_for_list(user=admin, day=today)
    # Upcoming deadlines, whatever the day the demo was seeded.
    soon = rows.filter(selectors.deadline_within_condition(14, today))
    assert soon.count() >= 5
    # A refusal notice received 2 days ago: 5 days left to appeal.
    notice = ProcedureEvent.objects.get(kind="refusal_notice", date=today - timedelta(days=2))
    status = selectors.appeal_status(notice.procedure, today)
    assert (status.days_left, status.is_open) == (5, True)
    # A late appeal, flagged.
    assert any(
        (status := selectors.appeal_status(procedure, today)) and status.filed_late
        for procedure in RefugeeProcedure.objects.prefetch_related("events")
    )
    # A third application without grounds, and one with them.
    thirds = RefugeeProcedure.objects.filter(ordinal=3)
    assert {p.is_missing_grounds for p in thirds} == {True, False}
    # Renewals pending (one past its end, in the special period), D2 triage, statuses of every kind.
    pending = LegalStatusPeriod.objects.filter(
        renewal_filed_on__isnull=False, renewal_decided_on__isnull=True
    )
    assert pending.count() >= 4 and pending.filter(end_date__lt=today).exists()
    assert ProcedureEvent.objects.filter(triage_category="D2").count() >= 3
    kinds = set(LegalStatusPeriod.objects.values_list("status_kind", flat=True))
    assert {
        "da_refugee_applicant",
        "long_term_resident",
        "provisional_release",
        "supervisory_measures",
    } <= kinds
    lengths = {
        p.length_in_months for p in LegalStatusPeriod.objects.filter(status_kind="da_refugee_applicant")
    }
    assert {2, 3, 6} <= lengths
    assert (
        ReportingObligation.objects.filter(kind="supervisory_measures").exclude(supervisor_name="").exists()
    )
    assert ReportingObligation.objects.filter(kind="provisional_release").exists()
    # Household members, one of them another applicant.
    assert HouseholdMember.objects.filter(linked_applicant__isnull=False).exists()
    # Names: only a given name, only a birth year, own script, aliases; card numbers masked and valid.
    assert Applicant.objects.filter(family_name="").exists()
    assert Applicant.objects.filter(birth_date_precision="year").exists()
    assert Applicant.objects.exclude(name_native="").count() >= 25
    assert Alias.objects.count() >= 8
    for period in LegalStatusPeriod.objects.exclude(card_number_hash="")[:10]:
        assert names.is_valid_card_number(period.card_number)
        assert period.card_number_hash == crypto.lookup_hash(period.card_number)


@pytest.mark.django_db
def test_seed_demo_people_are_found_by_search(demo):
    admin = User.objects.get(username="admin")
    visible = Applicant.objects.visible_to(admin)
    assert selectors.search_applicants(visible, "ｽﾘﾔ").get().given_name == "Suriya"
    assert selectors.search_applicants(visible, "sooriya perera").get().family_name == "Perera"
    assert selectors.search_applicants(visible, "Yilmaz Mehmet").get().given_name == "Mehmet"
    assert selectors.search_applicants(visible, "あうん").get().given_name == "Aung Kyaw Moe"


# --- seed_bench -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_bench_creates_consistent_rows(caseworker):
    output = run("seed_bench", "--applicants", "50", "--batch-size", "20", "--card-every", "2")
    assert "50 applicants" in output
    applicants = list(Applicant.objects.prefetch_related("aliases", "periods"))
    assert len(applicants) == 50
    assert Assignment.objects.count() == 50
    periods = LegalStatusPeriod.objects.count()
    assert 100 <= periods <= 150
    codes = set()
    for applicant in applicants:
        codes.add(applicant.reference_code)
        assert names.applicant_keys(
            family_name=applicant.family_name,
            given_name=applicant.given_name,
            name_native=applicant.name_native,
            name_katakana=applicant.name_katakana,
            alias_names=[alias.name for alias in applicant.aliases.all()],
            reference_code=applicant.reference_code,
        ) == (applicant.search_key, applicant.name_key)
        own = sorted(applicant.periods.all(), key=lambda p: p.start_date)
        assert 2 <= len(own) <= 3
        for earlier, later in zip(own, own[1:], strict=False):
            assert earlier.end_date < later.start_date  # never overlapping
        for period in own:
            if period.card_number_hash:
                assert names.is_valid_card_number(period.card_number)
                assert period.card_number_hash == crypto.lookup_hash(period.card_number)
                assert period.card_number_masked == f"{period.card_number[:2]}******{period.card_number[-2:]}"
    assert len(codes) == 50
    assert LegalStatusPeriod.objects.exclude(card_number_hash="").exists()
    # One team of ten staff per 500 people; a procedure each, with 1.5 events a person on average.
    assert Team.objects.filter(name__startswith="Bench team").count() == 1
    assert User.objects.filter(team__name="Bench team 001").count() == 9  # 8 caseworkers and a trainer
    assert RefugeeProcedure.objects.count() == 50
    assert 50 <= ProcedureEvent.objects.count() <= 100
    # The counter went up by exactly what was used: the next registration takes the next number.
    year = timezone.localdate().year
    used_this_year = Applicant.objects.filter(reference_code__startswith=f"A-{year}-").count()
    counter = ReferenceCounter.objects.filter(year=year).first()
    assert (counter.last if counter else 0) == used_this_year
    registered = services.applicant_register(by=caseworker, data={"given_name": "After"})
    assert registered.reference_code == services.reference_code_format(year, used_this_year + 1)


@pytest.mark.django_db
def test_seed_bench_is_idempotent_and_tops_up_with_new_codes():
    run("seed_bench", "--applicants", "30")
    first_codes = set(Applicant.objects.values_list("reference_code", flat=True))
    staff = User.objects.count()
    run("seed_bench", "--applicants", "30")
    assert Applicant.objects.count() == 30  # the same N again: nothing to do
    run("seed_bench", "--applicants", "60", "--teams", "1")
    assert Applicant.objects.count() == 60
    assert len(set(Applicant.objects.values_list("reference_code", flat=True))) == 60
    assert first_codes < set(Applicant.objects.values_list("reference_code", flat=True))
    assert User.objects.count() == staff  # teams and caseworkers reused
    assert User.objects.with_role(Role.ADMINISTRATOR).filter(username="bench-admin").exists()


@pytest.mark.django_db
def test_seed_bench_deals_people_to_teams_of_equal_size():
    run("seed_bench", "--applicants", "40", "--teams", "4")
    sizes = Applicant.objects.values("team").annotate(n=Count("pk")).values_list("n", flat=True)
    assert sorted(sizes) == [10, 10, 10, 10]


@pytest.mark.django_db
def test_seed_bench_people_are_visible_and_searchable():
    run("seed_bench", "--applicants", "40")
    admin = User.objects.get(username="bench-admin")
    supervisor = User.objects.get(username="bench-supervisor-001")
    assert Applicant.objects.visible_to(admin).count() == 40
    assert (
        Applicant.objects.visible_to(supervisor).count()
        == Applicant.objects.filter(team__name="Bench team 001").count()
    )
    someone = Applicant.objects.exclude(name_katakana="").order_by("pk").first()
    first_kana = someone.name_katakana.split("・")[0]
    assert someone in selectors.search_applicants(Applicant.objects.visible_to(admin), first_kana)
    rows = selectors.applicants_for_list(user=admin)
    assert rows.count() == 40 and len(list(rows[:25])) == 25


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_seed_bench_periods_satisfy_the_exclusion_constraint_on_postgresql():
    # The rows were inserted under the constraint; also check it is there to be satisfied.
    run("seed_bench", "--applicants", "50")
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE conname = 'period_no_overlap'")
        assert cursor.fetchone() is not None
    assert LegalStatusPeriod.objects.count() >= 100


@pytest.mark.django_db
def test_the_sign_in_page_of_a_demo_install_lists_every_demo_account(client, settings):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_learning", verbosity=0)
    settings.SHOW_DEMO_ACCOUNTS = True
    page = client.get("/accounts/login/").content.decode()
    section = page[page.index('id="demo-accounts-heading"') :]
    for username in (
        "admin",
        "supervisor",
        "caseworker",
        "caseworker2",
        "caseworker3",
        "trainer",
        "trainer2",
        "employer",
    ):
        assert f"<code>{username}</code>" in section, username
    assert settings.DEMO_PASSWORD in section
    assert "Kanagawa, Tokyo East" in section  # the teams the supervisor leads
    # Demo users have chosen no language: the browser's is used until they pick one.
    assert not User.objects.filter(email__endswith="@tobira.example").exclude(language="").exists()

    settings.SHOW_DEMO_ACCOUNTS = False  # production's default
    assert "demo-accounts-heading" not in client.get("/accounts/login/").content.decode()
