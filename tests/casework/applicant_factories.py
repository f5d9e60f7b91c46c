"""factory_boy factories for applicants and their legal records, and bulk builders for query-count tests.

Factories write rows directly (no service, no validation): use services when the behaviour under test
is the service's. Reference codes come from the same per-organisation counter the services use, so
rows made here never collide with people registered through applicant_register afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import factory
from django.db.models import F
from django.utils import timezone

from casework import names
from casework.models import (
    Alias,
    Applicant,
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
from tests.casework.factories import TeamFactory, UserFactory


def reserve_reference_codes(*, organisation_id: int, year: int, count: int = 1) -> list[str]:
    """`count` fresh reference codes (A-YYYY-NNNNN) from the organisation's counter for the year."""
    counter, _created = ReferenceCounter.objects.get_or_create(organisation_id=organisation_id, year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
    counter.refresh_from_db(fields=["last"])
    first = counter.last - count + 1
    return [f"A-{year}-{number:05d}" for number in range(first, counter.last + 1)]


def fill_keys(applicant: Applicant, alias_names: Iterable[str] = ()) -> Applicant:
    """Set search_key and name_key the way the services do (names of all forms, aliases, reference)."""
    forms = [applicant.family_name, applicant.given_name, applicant.name_native, applicant.name_katakana]
    applicant.search_key = names.search_key([*forms, *alias_names, applicant.reference_code])
    applicant.name_key = names.name_key([applicant.family_name, applicant.given_name])
    return applicant


class ApplicantFactory(factory.django.DjangoModelFactory):
    """An applicant in a team; pass caseworker=… to put them in someone's caseload."""

    class Meta:
        model = Applicant

    team = factory.SubFactory(TeamFactory)
    organisation = factory.LazyAttribute(lambda o: o.team.organisation)
    caseworker = None
    family_name = factory.Faker("last_name")
    given_name = factory.Faker("first_name")
    date_of_birth = date(1990, 5, 1)
    nationality = "LK"
    intake_date = factory.LazyFunction(timezone.localdate)
    reference_code = factory.LazyAttribute(
        lambda o: reserve_reference_codes(organisation_id=o.organisation.pk, year=o.intake_date.year)[0]
    )

    @classmethod
    def _create(cls, model_class: type[Applicant], *args: Any, **kwargs: Any) -> Applicant:
        applicant = fill_keys(model_class(*args, **kwargs))
        applicant.save()
        return applicant


class LegalStatusPeriodFactory(factory.django.DjangoModelFactory):
    """A six-month refugee-applicant period running today (start 30 days ago)."""

    class Meta:
        model = LegalStatusPeriod

    applicant = factory.SubFactory(ApplicantFactory)
    status_kind = "da_refugee_applicant"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=182))


class WorkPermissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPermission

    applicant = factory.SubFactory(ApplicantFactory)
    basis = WorkPermission.Basis.DESIGNATION_SHEET
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=182))


class ReportingObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingObligation

    applicant = factory.SubFactory(ApplicantFactory)
    kind = ReportingObligation.Kind.PROVISIONAL_RELEASE
    next_report_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    place = "Tokyo Regional Immigration Services Bureau"


class RefugeeProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RefugeeProcedure

    applicant = factory.SubFactory(ApplicantFactory)
    ordinal = 1
    applied_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))


class ProcedureEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureEvent

    procedure = factory.SubFactory(RefugeeProcedureFactory)
    kind = ProcedureEvent.Kind.FILED
    date = factory.LazyAttribute(lambda o: o.procedure.applied_on)


# --- Bulk builders: hundreds of rows in a handful of queries ----------------------------------------------


def bulk_applicants(
    count: int,
    *,
    team: Team,
    caseworker: User | None = None,
    with_aliases: bool = False,
    with_household: bool = False,
    **fields: Any,
) -> list[Applicant]:
    """`count` applicants in one team (and caseload), with unique reference codes and search keys."""
    intake = fields.pop("intake_date", timezone.localdate())
    codes = reserve_reference_codes(organisation_id=team.organisation_id, year=intake.year, count=count)
    rows = []
    for index, code in enumerate(codes):
        values = {
            "family_name": f"Bulk{index:05d}",
            "given_name": "Person",
            "date_of_birth": date(1980 + index % 30, 1, 1),
            "nationality": "MM",
            **fields,
        }
        alias_names = [f"Alias{index:05d}"] if with_aliases else []
        rows.append(
            fill_keys(
                Applicant(
                    organisation_id=team.organisation_id,
                    team=team,
                    caseworker=caseworker,
                    reference_code=code,
                    intake_date=intake,
                    **values,
                ),
                alias_names,
            )
        )
    applicants = Applicant.objects.bulk_create(rows, batch_size=500)
    if with_aliases:
        Alias.objects.bulk_create(
            [Alias(applicant=a, name=f"Alias{i:05d}") for i, a in enumerate(applicants)], batch_size=500
        )
    if with_household:
        HouseholdMember.objects.bulk_create(
            [
                HouseholdMember(applicant=a, name="Child", relation="child", birth_year=2015)
                for a in applicants
            ],
            batch_size=500,
        )
    return applicants


def bulk_periods(applicants: Iterable[Applicant], *, per_applicant: int = 1, days: int = 90) -> None:
    """Consecutive, non-overlapping periods per applicant; the last one covers today."""
    today = timezone.localdate()
    rows = []
    for applicant in applicants:
        for index in range(per_applicant):
            end = today + timedelta(days=60) - timedelta(days=days * (per_applicant - 1 - index))
            rows.append(
                LegalStatusPeriod(
                    applicant=applicant,
                    status_kind="da_refugee_applicant",
                    start_date=end - timedelta(days=days - 1),
                    end_date=end,
                )
            )
    LegalStatusPeriod.objects.bulk_create(rows, batch_size=500)


@dataclass
class Caseload:
    """Two teams and the people of the access matrix, with one applicant per kind of relation.

    own: in `caseworker`'s caseload; shared: in the same team, assigned to a colleague (readable by
    `caseworker` when the organisation shares team caseloads, never writable); foreign: in the other
    team, led by `other_supervisor`.
    """

    colleague: User
    other_supervisor: User
    other_caseworker: User
    own: Applicant
    shared: Applicant
    foreign: Applicant


def build_caseload(*, team: Team, other_team: Team, caseworker: User) -> Caseload:
    colleague = UserFactory(roles=[Role.CASEWORKER], username="colleague", team=team)
    other_supervisor = UserFactory(roles=[Role.SUPERVISOR], username="super2")
    other_team.supervisors.add(other_supervisor)
    other_caseworker = UserFactory(roles=[Role.CASEWORKER], username="case2", team=other_team)
    return Caseload(
        colleague=colleague,
        other_supervisor=other_supervisor,
        other_caseworker=other_caseworker,
        own=ApplicantFactory(team=team, caseworker=caseworker, family_name="Own", given_name="Person"),
        shared=ApplicantFactory(team=team, caseworker=colleague, family_name="Shared", given_name="Person"),
        foreign=ApplicantFactory(
            team=other_team, caseworker=other_caseworker, family_name="Foreign", given_name="Person"
        ),
    )
