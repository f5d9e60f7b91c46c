"""A share-with-employer consent names a partner employer: the consent form and API offer the organisation's
partner employers (jobs registers them in casework's registry), the consent keeps the partner's reference
and name, and that consent is what lets a referral reach "shared". Unknown, ended or other organisations'
employers are refused, naming the field; so is a typed name that contradicts the chosen partner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework import services
from casework.models import Consent, ConsentPurpose, Organisation
from jobs.models import JobOpening, PartnershipStatus
from jobs.rules import employer_ref
from jobs.services.referrals import consent_for
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, today

pytestmark = pytest.mark.django_db
SHARE = ConsentPurpose.SHARE_WITH_EMPLOYER


@pytest.fixture
def person(caseworker):
    return ApplicantFactory(team=caseworker.team, caseworker=caseworker)


@pytest.fixture
def partners(caseworker):
    org = caseworker.organisation
    return {
        "active": EmployerFactory(organisation=org, name="Sakura Foods", created_by=caseworker),
        "paused": EmployerFactory(
            organisation=org,
            name="Aoba Hotel",
            partnership_status=PartnershipStatus.PAUSED,
            created_by=caseworker,
        ),
        "ended": EmployerFactory(
            organisation=org,
            name="Old Partner",
            partnership_status=PartnershipStatus.ENDED,
            created_by=caseworker,
        ),
        "elsewhere": EmployerFactory(
            organisation=Organisation.objects.create(name="Another organisation", slug="elsewhere"),
            name="Far Away Ltd.",
        ),
    }


def record(caseworker, person, **data):
    values = {"purpose": SHARE, "granted_on": today() - timedelta(days=1), "scope": ["skills"], **data}
    return services.consent_record(by=caseworker, applicant=person, data=values)


def errors_of(excinfo, field: str) -> list[str]:
    return [str(message) for message in excinfo.value.message_dict[field]]


def test_the_form_offers_the_organisation_s_partners_but_ended_ones(client_for, caseworker, person, partners):
    html = client_for(caseworker).get(reverse("applicant_detail", args=[person.reference_code])).content
    page = html.decode()
    assert 'name="consent-employer_ref"' in page
    assert f'value="{employer_ref(partners["active"].pk)}">Sakura Foods' in page
    assert f'value="{employer_ref(partners["paused"].pk)}">Aoba Hotel' in page
    assert "Old Partner" not in page and "Far Away Ltd." not in page


def test_choosing_a_partner_records_its_reference_and_name_and_allows_sharing(
    client_for, caseworker, person, partners
):
    employer = partners["active"]
    response = client_for(caseworker).post(
        reverse("applicant_consent_add", args=[person.reference_code]),
        {
            "consent-purpose": SHARE,
            "consent-employer_ref": employer_ref(employer.pk),
            "consent-scope": ["skills"],
            "consent-granted_on": (today() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(applicant=person)
    assert (consent.employer_ref, consent.employer_name) == (employer_ref(employer.pk), "Sakura Foods")
    opening = JobOpeningFactory(employer=employer, created_by=caseworker)
    assert consent_for(person, JobOpening.objects.select_related("employer").get(pk=opening.pk), today())


def test_the_same_name_typed_with_the_partner_is_accepted(caseworker, person, partners):
    employer = partners["active"]
    consent = record(caseworker, person, employer_ref=employer_ref(employer.pk), employer_name="sakura foods")
    assert consent.employer_name == "Sakura Foods"


@pytest.mark.parametrize("which", ["ended", "elsewhere", None])
def test_an_unknown_ended_or_other_organisation_s_employer_is_refused(caseworker, person, partners, which):
    ref = employer_ref(partners[which].pk) if which else "jobs.employer:999999"
    with pytest.raises(ValidationError) as excinfo:
        record(caseworker, person, employer_ref=ref, employer_name="")
    assert "is not a partner employer you can name" in errors_of(excinfo, "employer_ref")[0]
    assert not Consent.objects.exists()


def test_a_name_contradicting_the_chosen_partner_is_refused(caseworker, person, partners):
    employer = partners["active"]
    with pytest.raises(ValidationError) as excinfo:
        record(caseworker, person, employer_ref=employer_ref(employer.pk), employer_name="Aoba Hotel")
    assert "The chosen partner employer is Sakura Foods" in errors_of(excinfo, "employer_name")[0]
    assert not Consent.objects.exists()


def test_the_api_names_the_field_of_an_unknown_partner(client_for, caseworker, person, partners):
    response = client_for(caseworker).post(
        "/api/v1/consents/",
        {
            "applicant": person.reference_code,
            "purpose": SHARE,
            "employer_ref": employer_ref(partners["ended"].pk),
            "scope": ["skills"],
            "granted_on": (today() - timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "employer_ref" in response.json()
    assert not Consent.objects.exists()
    response = client_for(caseworker).post(
        "/api/v1/consents/",
        {
            "applicant": person.reference_code,
            "purpose": SHARE,
            "employer_ref": employer_ref(partners["active"].pk),
            "scope": ["skills"],
            "granted_on": (today() - timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["employer_name"] == "Sakura Foods"
