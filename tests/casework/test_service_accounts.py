"""Service accounts: administrators create them on /accounts/service-accounts/, tokens work once shown."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from casework.models import Organisation, User
from casework.roles import Role
from casework.services import accounts as account_services
from tests.casework.factories import TeamFactory, UserFactory

PAGE = "/accounts/service-accounts/"

pytestmark = pytest.mark.django_db


def api_me(token: str) -> tuple[int, dict]:
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    return response.status_code, response.json()


def test_anonymous_people_are_sent_to_sign_in():
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PAGE}"


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER, Role.EMPLOYER])
def test_only_administrators_may_open_the_page(role_users, client_for, role):
    client = client_for(role_users[role])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"username": "sneaky", "role": Role.CASEWORKER}).status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


def test_the_administrator_sees_the_organisations_service_accounts(administrator, team, client_for):
    account_services.service_account_create(
        by=administrator, username="hr-sync", role=Role.CASEWORKER, team=team
    )
    elsewhere = Organisation.objects.create(name="Other NPO", slug="other")
    foreign_admin = UserFactory(organisation=elsewhere, roles=[Role.ADMINISTRATOR])
    account_services.service_account_create(
        by=foreign_admin,
        username="their-robot",
        role=Role.CASEWORKER,
        team=TeamFactory(organisation=elsewhere, name="Their team"),
    )

    response = client_for(administrator).get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "hr-sync" in text
    assert "their-robot" not in text
    assert response.context["new_token"] is None


def test_creating_a_service_account_shows_its_token_once(administrator, team, client_for):
    client = client_for(administrator)
    response = client.post(PAGE, {"username": "hr-sync", "role": Role.SUPERVISOR, "led_teams": [team.pk]})
    assert response.status_code == 200

    account = User.objects.get(username="hr-sync")
    assert account.is_service_account
    assert not account.has_usable_password()
    assert account.organisation_id == administrator.organisation_id
    assert account.roles == {Role.SUPERVISOR}
    token = Token.objects.get(user=account).key
    assert token in response.content.decode()
    assert "Copy it now" in response.content.decode()

    # The token works at once, as the role it was given.
    status, me = api_me(token)
    assert status == 200
    assert me["username"] == "hr-sync"
    assert me["roles"] == ["supervisor"]
    assert me["is_service_account"] is True

    # It is never shown again.
    again = client.get(PAGE)
    assert "hr-sync" in again.content.decode()
    assert token not in again.content.decode()


def test_administrator_role_cannot_be_given_to_a_service_account(administrator, client_for):
    response = client_for(administrator).post(PAGE, {"username": "root-bot", "role": Role.ADMINISTRATOR})
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="root-bot").exists()


@pytest.mark.parametrize("name", ["hr-sync", "HR-Sync", "case1"])
def test_a_name_already_taken_is_a_field_error(administrator, caseworker, team, client_for, name):
    account_services.service_account_create(
        by=administrator, username="hr-sync", role=Role.CASEWORKER, team=team
    )
    response = client_for(administrator).post(PAGE, {"username": name, "role": Role.CASEWORKER})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"username": ["A user with that name already exists."]}
    assert response.context["new_token"] is None
    assert User.objects.filter(username__iexact=name).count() == 1
    assert Token.objects.count() == 1


def test_a_name_must_be_a_slug(administrator, client_for):
    response = client_for(administrator).post(PAGE, {"username": "has spaces", "role": Role.CASEWORKER})
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(is_service_account=True).exists()


def test_rotating_a_token_invalidates_the_old_one(administrator, team, client_for):
    account, old = account_services.service_account_create(
        by=administrator, username="hr-sync", role=Role.CASEWORKER, team=team
    )
    assert api_me(old)[0] == 200

    client = client_for(administrator)
    assert client.get(f"{PAGE}{account.pk}/rotate/").status_code == 405
    response = client.post(f"{PAGE}{account.pk}/rotate/")
    assert response.status_code == 200
    new = Token.objects.get(user=account).key
    assert new != old
    assert new in response.content.decode()

    rejected = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {old}")
    assert rejected.status_code == 401
    assert rejected["WWW-Authenticate"] == "Token"
    status, me = api_me(new)
    assert status == 200
    assert me["username"] == "hr-sync"


def test_only_administrators_may_rotate_and_only_their_organisations_accounts(
    administrator, supervisor, team, client_for
):
    account, token = account_services.service_account_create(
        by=administrator, username="hr-sync", role=Role.CASEWORKER, team=team
    )
    assert client_for(supervisor).post(f"{PAGE}{account.pk}/rotate/").status_code == 403
    assert Client().post(f"{PAGE}{account.pk}/rotate/").status_code == 302
    assert Token.objects.get(user=account).key == token

    elsewhere = Organisation.objects.create(name="Other NPO", slug="other")
    foreign_admin = UserFactory(organisation=elsewhere, roles=[Role.ADMINISTRATOR])
    assert client_for(foreign_admin).post(f"{PAGE}{account.pk}/rotate/").status_code == 404
    # A person is not a service account: their "token" cannot be rotated through this page.
    assert client_for(administrator).post(f"{PAGE}{supervisor.pk}/rotate/").status_code == 404
    assert Token.objects.get(user=account).key == token


def test_a_service_account_cannot_use_the_web_pages(administrator, team):
    account, _token = account_services.service_account_create(
        by=administrator, username="hr-sync", role=Role.CASEWORKER, team=team
    )
    # It has no password, so the sign-in page refuses it...
    response = Client().post("/accounts/login/", {"username": "hr-sync", "password": ""})
    assert response.status_code == 200
    # ...and a session made some other way is ended at the first page.
    client = Client()
    client.force_login(account)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


@override_settings(REQUIRE_2FA=True)
def test_a_token_works_when_two_factor_is_required(administrator, team):
    """Integrations cannot type a code: the token is their only factor, and it is enough for the API."""
    _account, token = account_services.service_account_create(
        by=administrator, username="hr-sync", role=Role.CASEWORKER, team=team
    )
    assert api_me(token)[0] == 200


@pytest.mark.parametrize(
    ("role", "field", "message"),
    [
        (Role.CASEWORKER, "team", "A caseworker must belong to a team"),
        (Role.SUPERVISOR, "led_teams", "A supervisor must lead at least one team"),
    ],
)
def test_a_role_that_needs_a_team_is_refused_without_one(administrator, client_for, role, field, message):
    response = client_for(administrator).post(PAGE, {"username": "lonely-bot", "role": role})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(username="lonely-bot").exists()
    assert not Token.objects.exists()


def test_a_caseworker_service_account_joins_its_team(administrator, team, client_for):
    client_for(administrator).post(PAGE, {"username": "intake-bot", "role": Role.CASEWORKER, "team": team.pk})
    assert User.objects.get(username="intake-bot").team == team
