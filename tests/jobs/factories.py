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
