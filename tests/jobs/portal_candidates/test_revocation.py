"""Revoking a consent to share with an employer: the packet is gone at once from the portal and the API
(next request and every later one), and the referrals not yet hired to that employer become "withdrawn:
consent revoked" in their stage history; nothing else moves."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from casework.models import ChangeRecord, Consent, ConsentPurpose
from casework.services import consent as consent_services
from casework.services import consent_revoke
from jobs.models import ReasonCode, Referral, Stage, StageChange
from tests.jobs.factories import today
from tests.jobs.portal_candidates.conftest import BROAD, refer, share

pytestmark = pytest.mark.django_db


def consent_of(referral: Referral) -> Consent:
    return Consent.objects.get(applicant=referral.applicant, purpose=ConsentPurpose.SHARE_WITH_EMPLOYER)


def test_revoke_while_the_employer_has_it_open(client_for, portal_user, caseworker, make_candidate, opening):
    referral = make_candidate(opening, scope=BROAD, stage=Stage.INTERVIEW)
    page = client_for(portal_user)
    api = APIClient()
    api.force_authenticate(portal_user)
    url = reverse("partner_candidate", args=[referral.pk])
    assert "Perera" in page.get(url).content.decode()
    assert api.get(f"/api/v1/partner/referrals/{referral.pk}/").json()["packet"] is not None

    consent_revoke(by=caseworker, consent=consent_of(referral))

    for _ in range(3):  # the next request, and every later one
        html = page.get(url).content.decode()
        assert not re.search(r"data-packet-key", html)
        for hidden in ("Perera", "Suriya", "Sri Lanka", "090-1234-5678", "forklift"):
            assert hidden not in html
        listing = page.get(reverse("partner_candidates")).content.decode()
        assert "Suriya" not in listing and "data-packet-key" not in listing
        assert api.get(f"/api/v1/partner/referrals/{referral.pk}/").json()["packet"] is None
        rows = api.get("/api/v1/partner/referrals/").json()["results"]
        assert [row["packet"] for row in rows] == [None]


def test_referral_not_yet_hired_becomes_withdrawn_consent_revoked(caseworker, make_candidate, opening):
    referral = make_candidate(opening, stage=Stage.OFFER)
    consent_revoke(by=caseworker, consent=consent_of(referral))
    referral.refresh_from_db()
    assert referral.stage == Stage.WITHDRAWN
    assert referral.reason_code == ReasonCode.CONSENT_REVOKED
    change = StageChange.objects.filter(referral=referral).order_by("-at", "-pk").first()
    assert (change.from_stage, change.to_stage, change.reason_code, change.by) == (
        Stage.OFFER,
        Stage.WITHDRAWN,
        ReasonCode.CONSENT_REVOKED,
        caseworker,
    )
    assert ChangeRecord.objects.filter(model="jobs.referral", object_id=str(referral.pk)).exists()


@pytest.mark.parametrize("stage", [Stage.PROPOSED, Stage.CONSENT_RECORDED, Stage.SHARED, Stage.HIRE_REPORTED])
def test_every_open_stage_is_withdrawn(caseworker, make_candidate, opening, stage):
    referral = make_candidate(opening, stage=stage)
    consent_revoke(by=caseworker, consent=consent_of(referral))
    referral.refresh_from_db()
    assert referral.stage == Stage.WITHDRAWN


def test_hired_and_closed_referrals_do_not_move(caseworker, make_candidate, opening):
    for stage in (Stage.HIRED, Stage.REJECTED):
        referral = make_candidate(opening, stage=stage)
        consent_revoke(by=caseworker, consent=consent_of(referral))
        referral.refresh_from_db()
        assert referral.stage == stage


def test_referral_to_another_employer_stays(caseworker, make_candidate, opening, other_opening):
    referral = make_candidate(opening)
    elsewhere = refer(referral.applicant, other_opening, by=caseworker)
    share(referral.applicant, other_opening.employer, by=caseworker, scope=BROAD)
    consent_revoke(by=caseworker, consent=_for(referral, opening))
    elsewhere.refresh_from_db()
    assert elsewhere.stage == Stage.SHARED
    referral.refresh_from_db()
    assert referral.stage == Stage.WITHDRAWN


def _for(referral, opening) -> Consent:
    return Consent.objects.get(
        applicant=referral.applicant, employer_ref=f"jobs.employer:{opening.employer_id}"
    )


def test_another_current_consent_for_the_same_employer_keeps_it(caseworker, make_candidate, opening):
    referral = make_candidate(opening)
    old = consent_of(referral)
    share(referral.applicant, opening.employer, by=caseworker, scope=BROAD, granted=today())
    consent_revoke(by=caseworker, consent=old)
    referral.refresh_from_db()
    assert referral.stage == Stage.SHARED


def test_revoking_another_purpose_moves_nothing(caseworker, make_candidate, opening):
    referral = make_candidate(opening)
    research = Consent.objects.create(
        applicant=referral.applicant,
        purpose=ConsentPurpose.RESEARCH,
        granted_on=today() - timedelta(days=3),
        recorded_by=caseworker,
    )
    consent_revoke(by=caseworker, consent=research)
    referral.refresh_from_db()
    assert referral.stage == Stage.SHARED


def test_a_refused_revocation_moves_nothing(caseworker, make_candidate, opening):
    referral = make_candidate(opening)
    with pytest.raises(ValidationError):
        consent_revoke(by=caseworker, consent=consent_of(referral), revoked_on=today() + timedelta(days=2))
    referral.refresh_from_db()
    assert referral.stage == Stage.SHARED


def test_a_failing_handler_undoes_the_revocation(caseworker, make_candidate, opening, monkeypatch):
    referral = make_candidate(opening)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(consent_services, "_REVOKED_HANDLERS", [*consent_services._REVOKED_HANDLERS, broken])
    with pytest.raises(RuntimeError):
        consent_revoke(by=caseworker, consent=consent_of(referral))
    assert consent_of(referral).revoked_on is None
    referral.refresh_from_db()
    assert referral.stage == Stage.SHARED
