"""seed_demo_jobs: idempotent, every stage, the low-wage draft, the probation person, the portal's
packets and impact, through the services. The demo is seeded once for the module; seed_bench_jobs and
the order of the commands are tested in test_seed.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from casework.models import Applicant, ChangeRecord, Consent, ConsentPurpose, Import, User
from jobs.management.demo_catalogue import (
    BROAD_SCOPE,
    LOW_WAGE_OPENING,
    NARROW_SCOPE,
    PROBATION_OPENING,
    PROBATION_PERSON,
)
from jobs.models import (
    Employer,
    EmployerContact,
    EmployerMembership,
    FollowUp,
    Interview,
    JobOpening,
    OpeningStatus,
    Placement,
    Referral,
    Stage,
    StageChange,
)
from jobs.rules import employer_ref
from jobs.selectors.matching import match_rows, matching
from jobs.selectors.packets import allowed_keys, share_packet
from jobs.selectors.partner import partner_placements, partner_referrals
from jobs.services.openings import clean_opening, wage_problem
from tests.module_data import counts as model_counts
from tests.module_data import run, seeded_once

MODELS = (
    Employer,
    EmployerContact,
    JobOpening,
    Referral,
    StageChange,
    Interview,
    Placement,
    FollowUp,
    Consent,
    EmployerMembership,
)


def counts() -> dict[str, int]:
    return model_counts(MODELS)


# The demo, seeded once for the module (tests/module_data.py): every test here reads it.
module_demo = seeded_once("seed_demo", "seed_demo_learning", "seed_demo_jobs")


@pytest.fixture
def demo(module_demo, db) -> str:
    return module_demo


@pytest.mark.django_db
def test_seed_demo_jobs_counts_and_twice_adds_nothing(demo):
    first = counts()
    assert first["Employer"] == 8 + 15  # 15 from the demo import of the sample employer list
    # 14 current openings and Arakawa Construction's 4 past ones (its Impact page, issue 17).
    assert first["JobOpening"] == 18
    assert first["Placement"] == 12
    assert first["EmployerContact"] >= 8
    assert first["FollowUp"] == 12 * 4
    assert first["EmployerMembership"] == 2
    employer = User.objects.get(username="employer")
    before = (employer.password, employer.last_login, list(employer.groups.values_list("pk", flat=True)))
    second = run("seed_demo_jobs")
    assert counts() == first
    assert "0 employers" in second and "0 referrals" in second
    employer.refresh_from_db()
    assert (
        employer.password,
        employer.last_login,
        list(employer.groups.values_list("pk", flat=True)),
    ) == before


@pytest.mark.django_db
def test_every_stage_is_present_with_its_history(demo):
    stages = set(Referral.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    for referral in Referral.objects.prefetch_related("stage_changes"):
        history = [change.to_stage for change in referral.stage_changes.all()]
        assert history[0] == Stage.PROPOSED and history[-1] == referral.stage, (referral, history)
    # Services wrote the history: every employer, opening and referral has its change record.
    models = dict(ChangeRecord.objects.values_list("model").annotate(n=Count("pk")))
    assert models.get("jobs.employer", 0) >= 8
    assert models.get("jobs.jobopening", 0) >= 14
    assert models.get("jobs.referral", 0) >= Referral.objects.count()


@pytest.mark.django_db
def test_shared_or_later_referrals_have_a_consent_for_their_employer(demo):
    later = Referral.objects.exclude(stage__in=[Stage.PROPOSED]).select_related("opening")
    assert later.exists()
    for referral in later:
        assert Consent.objects.filter(
            applicant_id=referral.applicant_id,
            purpose=ConsentPurpose.SHARE_WITH_EMPLOYER,
            employer_ref=employer_ref(referral.opening.employer_id),
        ).exists(), referral


@pytest.mark.django_db
def test_follow_ups_past_recorded_and_due(demo):
    today = timezone.localdate()
    recorded = FollowUp.objects.exclude(outcome="")
    assert set(recorded.values_list("outcome", flat=True)) == {"retained", "at_risk", "left"}
    assert recorded.filter(outcome="left").exclude(leaving_reason="").exists()
    # Sita, and three of Arakawa Construction's past hires (Thin, Maryam, Joseph).
    assert Placement.objects.filter(ended_on__isnull=False).exclude(leaving_reason="").count() == 4
    due = FollowUp.objects.filter(
        outcome="", placement__ended_on__isnull=True, due_on__lte=today + timedelta(days=7)
    )
    assert due.count() >= 2


@pytest.mark.django_db
def test_the_low_wage_opening_is_a_draft_and_says_why(demo):
    opening = JobOpening.objects.get(title=LOW_WAGE_OPENING)
    assert opening.status == OpeningStatus.DRAFT
    fields = {
        field: getattr(opening, field)
        for field in (
            "title",
            "description",
            "prefecture",
            "address",
            "hours_per_week",
            "daily_hours",
            "shift_pattern",
            "wage",
            "wage_unit",
            "contract_type",
            "start_date",
            "probation_months",
            "required_level",
            "required_skills",
            "places",
        )
    }
    refusal, _warning = wage_problem(clean_opening(fields))
    assert refusal and "minimum wage" in refusal


@pytest.mark.django_db
def test_the_probation_person_matches_with_a_warning(demo):
    opening = JobOpening.objects.get(title=PROBATION_OPENING)
    caseworker = User.objects.get(username="caseworker")
    rows = list(matching(user=caseworker, opening=opening))
    person = Applicant.objects.get(given_name="Suriya")
    (row,) = [r for r in match_rows(rows, opening=opening) if r.applicant.pk == person.pk]
    assert row.eligible, row.reasons
    assert row.works_until is not None
    assert opening.start_date <= row.works_until < opening.start_date + timedelta(days=92)
    assert PROBATION_PERSON == "suriya"


@pytest.mark.django_db
def test_demo_people_have_availability(demo):
    assert Applicant.objects.exclude(commute_prefectures="").count() >= 12


@pytest.mark.django_db
def test_the_demo_employer_sees_a_narrow_and_a_broad_packet(demo):
    """Issue 16's demo: Arakawa Construction's `employer` meets Mehmet with a narrow consent (no
    nationality, no contact details) and Serhat with a broad one (nationality and contact details)."""
    employer = User.objects.get(username="employer")
    packets = {
        referral.applicant.given_name: share_packet(referral)
        for referral in partner_referrals(employer).select_related("applicant")
    }
    assert set(packets) >= {"Mehmet", "Serhat"}
    narrow, broad = packets["Mehmet"], packets["Serhat"]
    assert narrow is not None and broad is not None
    assert "nationality" not in narrow and "phone" not in narrow
    assert broad["nationality"] and "phone" in broad
    assert set(narrow) <= allowed_keys(NARROW_SCOPE)
    assert set(broad) <= allowed_keys(BROAD_SCOPE)
    # A placed worker with a follow-up to confirm, and a message thread on Mehmet's interview.
    placement = partner_placements(employer).get(
        ended_on__isnull=True, start_date__gt=timezone.localdate() - timedelta(days=30)
    )
    assert placement.applicant.given_name.startswith("Zaw")
    assert placement.follow_ups.filter(outcome="").exists()
    mehmet = partner_referrals(employer).get(applicant__given_name="Mehmet")
    assert set(mehmet.messages.values_list("side", flat=True)) == {"employer", "organisation"}
    # Kibou Care Home's `employer2` sees only its own candidates.
    other = User.objects.get(username="employer2")
    assert not {r.applicant.given_name for r in partner_referrals(other)} & {"Mehmet", "Serhat"}


@pytest.mark.django_db
def test_the_demo_employers_impact_page_shows_figures(demo):
    """Issue 17's demo: Arakawa Construction has 7 placements (Zaw and six past hires, one who left with
    a reason), so its Impact page shows the placements, retention at 3 and 6 months and the time to fill;
    12 months has only 2 ended windows behind it, so it is hidden. Deterministic: days from today."""
    from jobs.selectors.partner_impact import partner_impact

    impact = partner_impact(User.objects.get(username="employer"))
    assert impact is not None
    assert impact.placements == 7
    three, six, twelve = impact.retention
    assert three.employer is not None and (three.employer.retained, three.employer.left) == (5, 1)
    assert six.employer is not None and (six.employer.retained, six.employer.left) == (4, 1)
    assert twelve.employer is None
    # The programme's figure less Arakawa's is the other employers' together: 3 people with an outcome
    # at 3 months (Ahmad, Kavitha, Sita), fewer than 5, so it is not shown (complementary suppression).
    assert three.programme is None and six.programme is None
    assert impact.time_to_fill is not None and impact.time_to_fill.count == 5
    assert (impact.time_to_fill.q1, impact.time_to_fill.median, impact.time_to_fill.q3) == (12, 18, 26)
    # The workers of those past hires who left are looking for work again.
    assert Applicant.objects.get(given_name="Joseph").case_stage == "active"


@pytest.mark.django_db
def test_placed_people_s_history_comes_before_their_start(demo):
    for placement in Placement.objects.select_related("referral"):
        start = placement.start_date
        assert all(timezone.localdate(c.at) <= start for c in placement.referral.stage_changes.all()), (
            placement
        )
        assert all(
            timezone.localdate(i.starts_at) < start
            for i in Interview.objects.filter(referral=placement.referral)
        )


@pytest.mark.django_db
def test_seed_demo_jobs_gives_the_demo_portal_users_their_employers(demo, client):
    """employer administers Arakawa Construction (active, with shared candidates), employer2 Kibou Care
    Home; both sign in with the demo password and see their own employer's portal."""
    from django.conf import settings

    from jobs.selectors.partner import partner_access, partner_referrals

    for username, employer_name in (("employer", "Arakawa Construction"), ("employer2", "Kibou Care Home")):
        user = User.objects.get(username=username)
        access = partner_access(user)
        assert access is not None and access.employer.name == employer_name and access.is_employer_admin
        assert not access.read_only
        assert partner_referrals(user).exists(), f"{employer_name} has no shared candidate in the demo"
        assert user.check_password(settings.DEMO_PASSWORD)
    run("seed_demo_jobs")
    assert EmployerMembership.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_has_a_done_import_of_the_sample_employers(demo):
    """The supervisor's import of docs/import-samples/employers.xlsx, done, with its report; a second
    seed run imports nothing again (test_seed_demo_jobs_counts_and_twice_adds_nothing counts it)."""
    imp = Import.objects.get(kind="employers", created_by__username="supervisor")
    assert imp.status == Import.Status.DONE
    assert imp.file_name == "employers.xlsx"
    assert (imp.rows_total, imp.rows_error, imp.rows_duplicate) == (15, 0, 0)
    assert imp.created_count >= 15  # the employers and their contacts
    assert Employer.objects.filter(name="株式会社みなと精工").exists()
    assert imp.rows.count() == 15
    assert "Demo import: employers.xlsx" in demo
    run("seed_demo_jobs")
    assert Import.objects.filter(kind="employers").count() == 1
