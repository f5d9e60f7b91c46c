"""Jobs test data: employers, openings, consents to share, and a person who may work."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from casework.models import Consent, ConsentPurpose, WorkPermission
from jobs.models import Employer, JobOpening, MinimumWage, OpeningStatus
from tests.casework.applicant_factories import LegalStatusPeriodFactory, WorkPermissionFactory
from tests.casework.factories import TeamFactory, UserFactory


def today() -> date:
    return timezone.localdate()


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    organisation = factory.LazyAttribute(lambda o: TeamFactory().organisation)
    name = factory.Sequence(lambda n: f"Sakura Foods {n}")
    industry = "food_manufacturing"
    prefecture = "13"
    partnership_status = "active"
    created_by = factory.SubFactory(UserFactory)


class JobOpeningFactory(factory.django.DjangoModelFactory):
    """An open full-time day job in Tokyo at ¥1,300 an hour, starting in two weeks."""

    class Meta:
        model = JobOpening

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Line worker {n}")
    prefecture = "13"
    hours_per_week = Decimal(40)
    daily_hours = Decimal(8)
    wage = 1300
    wage_unit = "hourly"
    contract_type = "fixed_term"
    start_date = factory.LazyFunction(lambda: today() + timedelta(days=14))
    status = OpeningStatus.OPEN
    created_by = factory.SubFactory(UserFactory)


def consent_to_share(applicant, employer, *, by, granted=None, expires=None, revoked=None) -> Consent:
    return Consent.objects.create(
        applicant=applicant,
        purpose=ConsentPurpose.SHARE_WITH_EMPLOYER,
        employer_name=employer.name,
        employer_ref=f"jobs.employer:{employer.pk}",
        scope=["skills", "languages"],
        granted_on=granted or today() - timedelta(days=1),
        expires_on=expires,
        revoked_on=revoked,
        recorded_by=by,
    )


def may_work(applicant, *, days: int = 365) -> None:
    """A designation-sheet permission covering today + `days` on a period that covers it too."""
    start = today() - timedelta(days=30)
    LegalStatusPeriodFactory(applicant=applicant, start_date=start, end_date=start + timedelta(days=days))
    WorkPermissionFactory(
        applicant=applicant,
        basis=WorkPermission.Basis.DESIGNATION_SHEET,
        start_date=start,
        end_date=start + timedelta(days=days),
    )


def tokyo_rate(yen: int = 1226, since: date | None = None) -> MinimumWage:
    """The data migration's rows are there already; a test may add its own for a clear figure."""
    return MinimumWage.objects.update_or_create(
        prefecture="13", effective_from=since or date(2025, 10, 3), defaults={"yen_per_hour": yen}
    )[0]


def make_placements(
    opening: JobOpening,
    starts: list[date],
    *,
    by,
    team,
    ended_on: date | None = None,
    recorded: dict[int, str] | None = None,
    confirmed_at=None,
) -> list:
    """Placed workers of `opening` (one new person each, hired referrals), started on `starts`, with their
    follow-ups at 1, 3, 6 and 12 months (`recorded`: month → outcome), in a fixed number of queries."""
    from jobs import rules
    from jobs.models import FollowUp, Placement, Referral, Stage
    from tests.casework.applicant_factories import bulk_applicants

    people = bulk_applicants(len(starts), team=team, caseworker=by)
    now = timezone.now()
    referrals = Referral.objects.bulk_create(
        [
            Referral(applicant=p, opening=opening, stage=Stage.HIRED, stage_changed_at=now, created_by=by)
            for p in people
        ]
    )
    placements = Placement.objects.bulk_create(
        [
            Placement(
                referral=referral,
                applicant=referral.applicant,
                opening=opening,
                start_date=start,
                ended_on=ended_on,
                leaving_reason="better_job" if ended_on else "",
                hours_per_week=Decimal(40),
                daily_hours=Decimal(8),
                wage=1300,
                wage_unit="hourly",
                employment_insurance=True,
                confirmed_by=by,
                confirmed_at=confirmed_at or now,
            )
            for referral, start in zip(referrals, starts, strict=True)
        ]
    )
    outcomes = recorded or {}
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                placement=placement,
                month=month,
                due_on=due,
                outcome=outcomes.get(month, ""),
                leaving_reason="better_job" if outcomes.get(month) == "left" else "",
            )
            for placement in placements
            for month, due in rules.follow_up_dates(placement.start_date)
        ]
    )
    return placements
