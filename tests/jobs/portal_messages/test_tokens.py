"""API service accounts of an employer: an administrator creates one from the staff employer page (the
token shown once); the token works on the partner API like a portal user of that employer, is refused by
the staff API (403), finds another employer's referral nowhere (404), and stops working once rotated
(401). Session sign-in keeps working beside it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.models import User
from casework.roles import Role
from casework.services.accounts import service_account_rotate_token
from jobs.models import EmployerMembership, ReferralMessage
from jobs.services.tokens import employer_api_account_create
from tests.jobs.portal_messages.conftest import ENDED, PAUSED, set_partnership

pytestmark = pytest.mark.django_db


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def account(administrator, company):
    return employer_api_account_create(by=administrator, employer=company, username="sakura-hr-system")


def test_the_service_makes_an_employer_service_account_member(account, company):
    user, token = account
    assert user.is_service_account and user.has_role(Role.EMPLOYER) and not user.has_usable_password()
    assert EmployerMembership.objects.get(user=user).employer == company
    assert Token.objects.get(user=user).key == token


@pytest.mark.parametrize("who", ["supervisor", "caseworker", "portal_user"])
def test_only_administrators_create_one(request, who, company):
    with pytest.raises(PermissionDenied):
        employer_api_account_create(by=request.getfixturevalue(who), employer=company, username="x-system")


@pytest.mark.parametrize(
    ("username", "field"), [("", "username"), ("has space", "username"), ("sakura-hr-system", "username")]
)
def test_bad_names_are_refused_naming_the_field(administrator, company, account, username, field):
    with pytest.raises(ValidationError) as error:
        employer_api_account_create(by=administrator, employer=company, username=username)
    assert field in error.value.message_dict


def test_ended_partnership_gets_no_account(administrator, company):
    set_partnership(company, ENDED)
    with pytest.raises(ValidationError):
        employer_api_account_create(by=administrator, employer=company, username="late-system")
    assert not User.objects.filter(username="late-system").exists()


def test_the_employer_page_offers_it_and_the_token_is_shown_once(
    client_for, administrator, supervisor, company
):
    employer_page = client_for(administrator).get(reverse("jobs:employer_detail", args=[company.pk]))
    url = reverse("jobs:api_account_add", args=[company.pk])
    assert f'href="{url}"' in employer_page.content.decode()
    assert (
        "Add API service account"
        not in client_for(supervisor).get(reverse("jobs:employer_detail", args=[company.pk])).content.decode()
    )
    client = client_for(administrator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "sakura-payroll"})
    assert response.status_code == 200
    token = Token.objects.get(user__username="sakura-payroll").key
    assert token in response.content.decode()
    assert token not in client.get(reverse("jobs:employer_detail", args=[company.pk])).content.decode()
    bad = client.post(url, {"username": "no spaces please"})
    assert bad.status_code == 200 and "Use only letters" in bad.content.decode()
    assert client_for(supervisor).get(url).status_code == 403


def test_token_works_on_the_partner_api(account, referral, other_referral):
    _user, token = account
    client = token_client(token)
    listed = client.get("/api/v1/partner/referrals/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [referral.pk]
    assert client.get(f"/api/v1/partner/referrals/{referral.pk}/").status_code == 200
    posted = client.post(
        f"/api/v1/partner/referrals/{referral.pk}/messages/", {"body": "From our HR system"}, format="json"
    )
    assert posted.status_code == 201
    assert ReferralMessage.objects.get().side == "employer"


def test_token_user_is_limited_like_an_employer_user(account, referral, other_referral, company):
    _user, token = account
    client = token_client(token)
    assert client.get("/api/v1/referrals/").status_code == 403
    assert client.get(f"/api/v1/referrals/{referral.pk}/messages/").status_code == 403
    assert client.get(f"/api/v1/partner/referrals/{other_referral.pk}/").status_code == 404
    assert client.get(f"/api/v1/partner/referrals/{other_referral.pk}/messages/").status_code == 404
    set_partnership(company, PAUSED)
    paused = client.post(f"/api/v1/partner/referrals/{referral.pk}/messages/", {"body": "Hi"}, format="json")
    assert paused.status_code == 403


def test_token_cannot_open_web_pages(account, referral):
    _user, token = account
    response = token_client(token).get(reverse("partner_candidate", args=[referral.pk]))
    assert response.status_code in (302, 403)


def test_revoked_token_is_a_401(account, referral):
    user, token = account
    service_account_rotate_token(account=user)
    response = token_client(token).get("/api/v1/partner/referrals/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert token_client("not-a-token").get("/api/v1/partner/referrals/").status_code == 401


def test_session_still_works(client_for, portal_user, referral):
    response = client_for(portal_user).get("/api/v1/partner/referrals/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
