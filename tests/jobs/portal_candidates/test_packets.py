"""The share packet's builder: exactly the base united with the consent's groups, nothing hidden, no
packet without a current consent, the closed and placed shapes, and a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Document, FieldGroup, RightToWorkCheck
from jobs.models import Placement, Stage
from jobs.selectors.packets import (
    BASE_KEYS,
    CLOSED_KEYS,
    EMPLOYER_MUST_CHECK,
    GROUP_KEYS,
    PLACEMENT_KEYS,
    PLACEMENT_SHARED_KEYS,
    allowed_keys,
    share_packet,
    share_packets,
)
from tests.jobs.factories import today
from tests.jobs.portal_candidates.conftest import BROAD, NARROW, share
from tests.learning.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

HIDDEN = (
    "da_refugee_applicant",
    "LK",
    "Sri Lanka",
    "1990-05-01",
    "date_of_birth",
    "status_kind",
    "procedure",
)


def test_narrow_consent_shared_has_the_base_without_family_name(make_candidate, opening):
    referral = make_candidate(opening, scope=NARROW)
    packet = share_packet(referral)
    assert packet is not None
    assert set(packet) == BASE_KEYS - {"family_name", "right_to_work_checked_on"}
    assert set(packet) <= allowed_keys(NARROW)
    for hidden in HIDDEN:
        assert hidden not in repr(packet)
    assert "Perera" not in repr(packet)
    assert packet["may_work_until"] is not None
    assert packet[EMPLOYER_MUST_CHECK]


def test_broad_consent_at_interview_with_a_check_has_every_allowed_key(make_candidate, opening, caseworker):
    referral = make_candidate(opening, scope=BROAD, stage=Stage.INTERVIEW)
    RightToWorkCheck.objects.create(
        applicant=referral.applicant,
        checked_on=today() - timedelta(days=2),
        saw_residence_card=True,
        saw_designation_paper=True,
        checked_by=caseworker,
    )
    AssessmentFactory(applicant=referral.applicant, framework="jlpt", level="N3", cefr_level="B1")
    packet = share_packet(referral)
    assert set(packet) == allowed_keys(BROAD)
    assert packet["family_name"] == "Perera"
    assert packet["right_to_work_checked_on"] == today() - timedelta(days=2)
    assert packet["japanese_level"]["cefr"] == "B1"
    assert packet["nationality"] == "Sri Lanka"
    assert packet["phone"] == "090-1234-5678"
    # Never the status kind, the date of birth or the address, under any consent.
    for hidden in ("da_refugee_applicant", "1990-05-01", "date_of_birth", "status_kind", "city", "address"):
        assert hidden not in repr(packet)


def test_right_to_work_check_missing_a_document_is_not_stated(make_candidate, opening, caseworker):
    referral = make_candidate(opening)
    RightToWorkCheck.objects.create(
        applicant=referral.applicant,
        checked_on=today(),
        saw_residence_card=True,
        saw_designation_paper=False,
        checked_by=caseworker,
    )
    assert "right_to_work_checked_on" not in share_packet(referral)


def test_each_group_brings_only_its_keys(make_candidate, opening):
    for group, keys in GROUP_KEYS.items():
        referral = make_candidate(opening, scope=[group])
        packet = share_packet(referral)
        assert set(packet) - BASE_KEYS == set(keys), group


def test_documents_are_names_and_kinds_only(make_candidate, opening, caseworker):
    referral = make_candidate(opening, scope=[FieldGroup.DOCUMENTS])
    Document.objects.create(
        applicant=referral.applicant,
        kind=Document.Kind.values[0],
        file="documents/x.pdf",
        original_name="cv.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=caseworker,
    )
    documents = share_packet(referral)["documents"]
    assert documents == [{"kind": str(Document.Kind.choices[0][1]), "name": "cv.pdf"}]


def test_no_current_consent_no_packet(make_candidate, opening, other_company, caseworker):
    without = make_candidate(opening, scope=None)
    assert share_packet(without) is None
    # A consent for another employer does not count.
    elsewhere = make_candidate(opening, scope=None)
    share(elsewhere.applicant, other_company, by=caseworker, scope=BROAD)
    assert share_packet(elsewhere) is None
    # Revoked or expired: none either.
    revoked = make_candidate(opening)
    revoked.applicant.consents.update(revoked_on=today())
    assert share_packet(revoked) is None
    expired = make_candidate(opening)
    expired.applicant.consents.update(
        granted_on=today() - timedelta(days=30), expires_on=today() - timedelta(days=1)
    )
    assert share_packet(expired) is None


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.REJECTED])
def test_closed_referral_shows_only_the_reference_code(make_candidate, opening, stage):
    referral = make_candidate(opening, scope=BROAD, stage=stage)
    assert share_packet(referral) == {"reference_code": referral.applicant.reference_code}
    assert set(share_packet(referral)) == CLOSED_KEYS


def test_placement_shows_reference_code_given_name_start_and_follow_ups(make_candidate, opening, caseworker):
    referral = make_candidate(opening, scope=BROAD, stage=Stage.HIRED)
    placement = Placement.objects.create(
        referral=referral,
        applicant=referral.applicant,
        opening=opening,
        start_date=today(),
        hours_per_week=40,
        daily_hours=8,
        wage=1300,
        wage_unit="hourly",
        employment_insurance=True,
        confirmed_by=caseworker,
        confirmed_at=timezone.now(),
    )
    follow_up = placement.follow_ups.create(month=1, due_on=today() + timedelta(days=30))
    packet = share_packet(referral)
    # While the consent is current, "may work until" too (the Workers section, issue 16).
    assert set(packet) == PLACEMENT_SHARED_KEYS
    assert packet["start_date"] == today()
    assert packet["follow_ups"] == [
        {"id": follow_up.pk, "month": 1, "due_on": today() + timedelta(days=30), "recorded": False}
    ]
    # The placement stays when the consent is revoked later, without "may work until".
    referral.applicant.consents.update(revoked_on=today())
    assert set(share_packet(referral)) == PLACEMENT_KEYS


def _queries(referrals) -> int:
    with CaptureQueriesContext(connection) as captured:
        share_packets(referrals)
    return len(captured)


def test_queries_do_not_grow_with_referrals(make_candidate, opening):
    few = [make_candidate(opening, scope=BROAD) for _ in range(3)]
    many = few + [make_candidate(opening, scope=BROAD) for _ in range(12)]
    for referral in many:
        AssessmentFactory(applicant=referral.applicant)
    assert _queries(few) == _queries(many)
