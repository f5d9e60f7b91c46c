"""The portal's candidate pages: the rendered packet holds exactly the allowed keys, hidden fields are
nowhere in the HTML, another employer's or an unshared referral is a 404 like a missing id, staff are
refused, every packet shown is in the access log, and the list's queries do not grow."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import AccessLogEntry
from jobs.models import Referral, Stage, StageChange
from jobs.selectors.packets import BASE_KEYS, allowed_keys
from tests.jobs.portal_candidates.conftest import BROAD, NARROW

pytestmark = pytest.mark.django_db

KEY = re.compile(r'data-packet-key="([a-z_]+)"')


def keys_in(html: str) -> set[str]:
    return set(KEY.findall(html))


def _masked(content: bytes) -> str:
    """The page without its per-request CSRF tokens and the path it was asked for (sign-out's "next")."""
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", content.decode())
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'data-csrf="[^"]+"', "", text)  # the session-expiry dialog's "Stay signed in"
    return re.sub(r"/partner/candidates/\d+/", "", text)


def detail(referral: Referral) -> str:
    return reverse("partner_candidate", args=[referral.pk])


def test_narrow_packet_page_shows_only_allowed_keys(client_for, portal_user, make_candidate, opening):
    referral = make_candidate(opening, scope=NARROW)
    response = client_for(portal_user).get(detail(referral))
    assert response.status_code == 200
    html = response.content.decode()
    assert keys_in(html) == BASE_KEYS - {"family_name", "right_to_work_checked_on"}
    assert keys_in(html) <= allowed_keys(NARROW)
    # Nationality, status kind and (before the interview) family name are nowhere in the page.
    for hidden in (
        "Sri Lanka",
        "スリランカ",
        "Perera",
        "da_refugee_applicant",
        "Designated Activities",
        "特定活動",
    ):
        assert hidden not in html
    assert "Suriya" in html
    assert "forklift" in html


def test_broad_packet_page_at_interview(client_for, portal_user, make_candidate, opening):
    referral = make_candidate(opening, scope=BROAD, stage=Stage.INTERVIEW)
    html = client_for(portal_user).get(detail(referral)).content.decode()
    assert keys_in(html) == allowed_keys(BROAD) - {"right_to_work_checked_on"}
    assert "Sri Lanka" in html and "Perera" in html
    assert "da_refugee_applicant" not in html and "1990-05-01" not in html


def test_list_shows_only_reference_code_and_given_name(client_for, portal_user, make_candidate, opening):
    make_candidate(opening, scope=BROAD, stage=Stage.INTERVIEW)
    make_candidate(opening, scope=NARROW, given_name="Aung")
    html = client_for(portal_user).get(reverse("partner_candidates")).content.decode()
    assert keys_in(html) == {"reference_code", "given_name"}
    assert "Aung" in html and "Suriya" in html
    assert "Perera" not in html and "Sri Lanka" not in html


def test_list_is_newest_first_and_filters_by_opening_and_stage(
    client_for, portal_user, make_candidate, opening, company, caseworker
):
    from tests.jobs.factories import JobOpeningFactory

    second = JobOpeningFactory(employer=company, created_by=caseworker, title="Packer")
    first = make_candidate(opening, given_name="Alpha")
    later = make_candidate(second, given_name="Bravo", stage=Stage.INTERVIEW)
    client = client_for(portal_user)
    html = client.get(reverse("partner_candidates")).content.decode()
    assert html.index(f'data-referral="{later.pk}"') < html.index(f'data-referral="{first.pk}"')
    html = client.get(reverse("partner_candidates"), {"opening": opening.pk}).content.decode()
    assert "Alpha" in html and "Bravo" not in html
    html = client.get(reverse("partner_candidates"), {"stage": Stage.INTERVIEW}).content.decode()
    assert "Bravo" in html and "Alpha" not in html


@pytest.mark.parametrize(
    "query", [{"opening": "abc"}, {"opening": "999999"}, {"stage": "proposed"}, {"stage": "x" * 300}]
)
def test_bad_filters_show_the_form_again_with_no_rows(
    client_for, portal_user, make_candidate, opening, query
):
    make_candidate(opening, given_name="Alpha")
    response = client_for(portal_user).get(reverse("partner_candidates"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alpha" not in html
    assert "form-errors" in html


def test_another_employers_opening_is_not_a_filter(
    client_for, portal_user, make_candidate, opening, other_opening
):
    make_candidate(opening, given_name="Alpha")
    response = client_for(portal_user).get(reverse("partner_candidates"), {"opening": other_opening.pk})
    assert response.status_code == 200
    assert "Alpha" not in response.content.decode()
    assert "Forklift driver" not in response.content.decode()


def test_another_employers_or_unshared_referral_is_a_404_like_a_missing_id(
    client_for, portal_user, other_portal_user, make_candidate, opening, other_opening
):
    theirs = make_candidate(other_opening, scope=BROAD)
    unshared = make_candidate(opening, stage=Stage.CONSENT_RECORDED)
    missing = client_for(portal_user).get(reverse("partner_candidate", args=[10**9]))
    assert missing.status_code == 404
    for referral in (theirs, unshared):
        response = client_for(portal_user).get(detail(referral))
        assert response.status_code == 404
        assert _masked(response.content) == _masked(missing.content)
    mine = make_candidate(opening)
    assert client_for(other_portal_user).get(detail(mine)).status_code == 404


def test_withdrawn_before_sharing_never_shows(client_for, portal_user, make_candidate, opening):
    referral = make_candidate(opening, stage=Stage.WITHDRAWN)
    StageChange.objects.filter(referral=referral).delete()  # never shared
    assert client_for(portal_user).get(detail(referral)).status_code == 404


def test_closed_referral_shows_only_its_reference_code(client_for, portal_user, make_candidate, opening):
    referral = make_candidate(opening, scope=BROAD, stage=Stage.REJECTED)
    html = client_for(portal_user).get(detail(referral)).content.decode()
    assert keys_in(html) == {"reference_code"}
    assert "Suriya" not in html


@pytest.mark.parametrize("name", ["partner_candidates", "partner_candidate"])
def test_staff_and_employer_without_membership_are_refused(
    client_for, caseworker, supervisor, administrator, trainer, employer, make_candidate, opening, name
):
    referral = make_candidate(opening)
    url = reverse(name, args=[referral.pk] if name == "partner_candidate" else [])
    for user in (caseworker, supervisor, administrator, trainer, employer):
        assert client_for(user).get(url).status_code == 403, user.username


def test_anonymous_goes_to_sign_in(client, make_candidate, opening):
    referral = make_candidate(opening)
    response = client.get(detail(referral))
    assert response.status_code == 302 and "login" in response["Location"]


def test_every_packet_shown_is_in_the_access_log(client_for, portal_user, make_candidate, opening):
    shown = make_candidate(opening)
    not_shown = make_candidate(opening, scope=None)  # no consent: no packet, nothing read
    client = client_for(portal_user)
    client.get(detail(shown))
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.SHARE_PACKET_VIEW)
    assert entry.actor == portal_user
    assert entry.applicant_id == shown.applicant_id
    assert entry.detail["referral_ids"] == [shown.pk]
    assert entry.detail["door"] == "portal"
    client.get(reverse("partner_candidates"))
    logged = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SHARE_PACKET_VIEW)
    assert logged.count() == 2
    assert not logged.filter(applicant_id=not_shown.applicant_id).exists()


def _grow(count, *, opening, caseworker, team):
    """`count` shared referrals with a consent each, in bulk."""
    from datetime import timedelta

    from django.utils import timezone

    from casework.models import Consent, ConsentPurpose
    from tests.casework.applicant_factories import bulk_applicants

    people = bulk_applicants(count, team=team, caseworker=caseworker, skills=["cooking"])
    now = timezone.now()
    Consent.objects.bulk_create(
        Consent(
            applicant=p,
            purpose=ConsentPurpose.SHARE_WITH_EMPLOYER,
            employer_name=opening.employer.name,
            employer_ref=f"jobs.employer:{opening.employer_id}",
            scope=BROAD,
            granted_on=timezone.localdate() - timedelta(days=1),
            recorded_by=caseworker,
        )
        for p in people
    )
    referrals = Referral.objects.bulk_create(
        Referral(
            applicant=p, opening=opening, stage=Stage.SHARED, stage_changed_at=now, created_by=caseworker
        )
        for p in people
    )
    StageChange.objects.bulk_create(
        StageChange(referral=r, from_stage="consent_recorded", to_stage=Stage.SHARED, by=caseworker, at=now)
        for r in referrals
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_queries_equal_at_5_and_500(client_for, portal_user, opening, caseworker, team):
    client = client_for(portal_user)
    url = reverse("partner_candidates")
    _grow(5, opening=opening, caseworker=caseworker, team=team)
    client.get(url)  # warm the session
    small = _count(client, url)
    _grow(495, opening=opening, caseworker=caseworker, team=team)
    assert _count(client, url) == small
