"""Pages for portal users: the staff employer page's Portal users card and its invite/withdraw/remove
views, the anonymous invitation page, and the portal's Team section."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import OutgoingEmail, User
from jobs.models import EmployerMembership, Invitation, MembershipRole
from jobs.services.memberships import invitation_accept, invitation_send
from tests.jobs.factories import EmployerFactory

PASSWORD = "kirin-tobira-2026!"


@pytest.fixture
def acme(db, supervisor):
    return EmployerFactory(organisation=supervisor.organisation, name="Acme Foods")


def member(employer, by, email, role=MembershipRole.ADMIN) -> EmployerMembership:
    _invitation, token = invitation_send(by=by, employer=employer, email=email, role=role)
    return invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)


# Staff: the employer page's card


def test_supervisor_sees_members_invitations_and_the_invite_form(acme, supervisor, client_for):
    member(acme, supervisor, "boss@example.com")
    invitation_send(by=supervisor, employer=acme, email="open@example.com", role="member")
    page = client_for(supervisor).get(reverse("jobs:employer_detail", args=[acme.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "boss@example.com" in html and "open@example.com" in html
    assert reverse("jobs:invitation_add", args=[acme.pk]) in html
    assert "Withdraw the invitation to open@example.com" in html


def test_caseworker_sees_the_list_without_the_form(acme, supervisor, caseworker, client_for):
    member(acme, supervisor, "boss@example.com")
    html = client_for(caseworker).get(reverse("jobs:employer_detail", args=[acme.pk])).content.decode()
    assert "boss@example.com" in html
    assert reverse("jobs:invitation_add", args=[acme.pk]) not in html
    assert "Remove boss@example.com" not in html


def test_employer_page_queries_do_not_grow_with_portal_users(acme, supervisor, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(supervisor)
    url = reverse("jobs:employer_detail", args=[acme.pk])
    member(acme, supervisor, "one@example.com")
    invitation_send(by=supervisor, employer=acme, email="inv1@example.com", role="member")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(5):
        member(acme, supervisor, f"more{n}@example.com", role=MembershipRole.MEMBER)
        invitation_send(by=supervisor, employer=acme, email=f"inv-more{n}@example.com", role="member")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_staff_invite_sends_and_redirects(acme, supervisor, client_for):
    response = client_for(supervisor).post(
        reverse("jobs:invitation_add", args=[acme.pk]), {"email": "new@example.com", "role": "member"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.role == MembershipRole.ADMIN  # the first one
    assert OutgoingEmail.objects.filter(recipient=invitation.user).exists()


def test_staff_invite_with_a_bad_address_shows_the_form_again(acme, supervisor, client_for):
    response = client_for(supervisor).post(
        reverse("jobs:invitation_add", args=[acme.pk]), {"email": "nope", "role": "member"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


def test_staff_invite_with_a_bad_role_shows_the_form_again(acme, supervisor, client_for):
    response = client_for(supervisor).post(
        reverse("jobs:invitation_add", args=[acme.pk]), {"email": "a@example.com", "role": "owner"}
    )
    assert response.status_code == 200 and response.context["form"].errors["role"]


def test_caseworker_may_not_open_the_invite_page(acme, caseworker, client_for):
    client = client_for(caseworker)
    assert client.get(reverse("jobs:invitation_add", args=[acme.pk])).status_code == 403
    assert (
        client.post(reverse("jobs:invitation_add", args=[acme.pk]), {"email": "a@example.com"}).status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_staff_withdraw_and_remove(acme, supervisor, client_for):
    boss = member(acme, supervisor, "boss@example.com")
    invitation, _token = invitation_send(by=supervisor, employer=acme, email="x@example.com", role="member")
    client = client_for(supervisor)
    assert client.post(reverse("jobs:invitation_withdraw", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    # twice: a message, not an error page
    response = client.post(reverse("jobs:invitation_withdraw", args=[invitation.pk]))
    assert response.status_code == 302
    assert client.post(reverse("jobs:member_remove", args=[boss.pk])).status_code == 302
    assert not EmployerMembership.objects.exists()
    assert not User.objects.get(pk=boss.user_id).is_active


def test_staff_withdraw_and_remove_need_post(acme, supervisor, client_for):
    boss = member(acme, supervisor, "boss@example.com")
    client = client_for(supervisor)
    assert client.get(reverse("jobs:member_remove", args=[boss.pk])).status_code == 405


# Anonymous: accepting


def test_accept_page_shows_the_employer_and_signs_in_after_success(acme, supervisor):
    _invitation, token = invitation_send(by=supervisor, employer=acme, email="new@example.com", role="admin")
    client = Client()
    url = reverse("partner_invitation_accept", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Acme Foods" in page.content.decode()
    response = client.post(url, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("partner_home")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(reverse("account_security") in m for m in messages)
    home = client.get(reverse("partner_home"))
    assert home.status_code == 200 and home.context["partner"].employer == acme


def test_accept_with_a_weak_password_shows_the_form_again(acme, supervisor):
    _invitation, token = invitation_send(by=supervisor, employer=acme, email="new@example.com", role="admin")
    response = Client().post(
        reverse("partner_invitation_accept", args=[token]), {"password": "short", "password_again": "short"}
    )
    assert response.status_code == 200 and response.context["form"].errors["password"]
    assert not User.objects.get(email="new@example.com").is_active


@pytest.mark.parametrize("state", ["used", "expired", "withdrawn", "ended", "unknown"])
def test_unusable_links_get_a_clear_page(acme, supervisor, state):
    invitation, token = invitation_send(by=supervisor, employer=acme, email="new@example.com", role="admin")
    if state == "used":
        invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    elif state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    elif state == "withdrawn":
        Invitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())
    elif state == "ended":
        acme.partnership_status = "ended"
        acme.save()
    elif state == "unknown":
        token = "x" * 43
    client = Client()
    for response in (
        client.get(reverse("partner_invitation_accept", args=[token])),
        client.post(
            reverse("partner_invitation_accept", args=[token]),
            {"password": "another-pass-123!", "password_again": "another-pass-123!"},
        ),
    ):
        assert response.status_code in (404, 410)
        assert "This invitation cannot be used" in response.content.decode()
        assert "Acme Foods" not in response.content.decode()
        assert "form" not in response.context or response.context.get("form") is None
    assert not response.wsgi_request.user.is_authenticated


# The portal's Team section


def test_employer_admin_sees_team_and_invites_a_colleague(acme, supervisor):
    boss = member(acme, supervisor, "boss@example.com")
    client = Client()
    client.force_login(boss.user)
    page = client.get(reverse("partner_team"))
    assert page.status_code == 200 and "boss@example.com" in page.content.decode()
    home = client.get(reverse("partner_home")).content.decode()
    assert reverse("partner_team") in home  # the section is in the admin's nav
    response = client.post(reverse("partner_team"), {"email": "col@example.com", "role": "member"})
    assert response.status_code == 302
    assert Invitation.objects.get(email="col@example.com").invited_by == boss.user


def test_team_invite_with_bad_address_shows_the_form(acme, supervisor):
    boss = member(acme, supervisor, "boss@example.com")
    client = Client()
    client.force_login(boss.user)
    response = client.post(reverse("partner_team"), {"email": "bad", "role": "member"})
    assert response.status_code == 200 and response.context["form"].errors["email"]


def test_team_invite_of_a_colleague_already_member_shows_the_form(acme, supervisor):
    boss = member(acme, supervisor, "boss@example.com")
    client = Client()
    client.force_login(boss.user)
    response = client.post(reverse("partner_team"), {"email": "boss@example.com", "role": "member"})
    assert response.status_code == 200 and response.context["form"].errors["email"]


def test_member_not_admin_has_no_team_section(acme, supervisor):
    member(acme, supervisor, "boss@example.com")
    worker = member(acme, supervisor, "worker@example.com", role=MembershipRole.MEMBER)
    client = Client()
    client.force_login(worker.user)
    assert reverse("partner_team") not in client.get(reverse("partner_home")).content.decode()
    assert client.get(reverse("partner_team")).status_code == 403
    assert client.post(reverse("partner_team"), {"email": "z@example.com"}).status_code == 403
    assert not Invitation.objects.filter(email="z@example.com").exists()


def test_team_admin_removes_colleague_and_withdraws(acme, supervisor):
    boss = member(acme, supervisor, "boss@example.com")
    worker = member(acme, supervisor, "worker@example.com", role=MembershipRole.MEMBER)
    invitation, _token = invitation_send(by=boss.user, employer=acme, email="x@example.com", role="member")
    client = Client()
    client.force_login(boss.user)
    assert client.post(reverse("partner_invitation_withdraw", args=[invitation.pk])).status_code == 302
    assert client.post(reverse("partner_member_remove", args=[worker.pk])).status_code == 302
    assert not EmployerMembership.objects.filter(pk=worker.pk).exists()
    # Not themselves, the last admin: a message, membership kept.
    assert client.post(reverse("partner_member_remove", args=[boss.pk])).status_code == 302
    assert EmployerMembership.objects.filter(pk=boss.pk).exists()


def test_other_employers_admin_gets_404_for_this_employers_rows(acme, supervisor):
    boss = member(acme, supervisor, "boss@example.com")
    invitation, _token = invitation_send(by=boss.user, employer=acme, email="x@example.com", role="member")
    other = member(EmployerFactory(organisation=acme.organisation), supervisor, "other@example.com")
    client = Client()
    client.force_login(other.user)
    assert client.post(reverse("partner_member_remove", args=[boss.pk])).status_code == 404
    assert client.post(reverse("partner_invitation_withdraw", args=[invitation.pk])).status_code == 404
    assert "boss@example.com" not in client.get(reverse("partner_team")).content.decode()


def test_paused_partnership_team_is_read_only(acme, supervisor):
    boss = member(acme, supervisor, "boss@example.com")
    worker = member(acme, supervisor, "worker@example.com", role=MembershipRole.MEMBER)
    acme.partnership_status = "paused"
    acme.save()
    client = Client()
    client.force_login(boss.user)
    page = client.get(reverse("partner_team"))
    assert page.status_code == 200 and "Invite a colleague" not in page.content.decode()
    assert client.post(reverse("partner_team"), {"email": "p@example.com"}).status_code == 403
    assert client.post(reverse("partner_member_remove", args=[worker.pk])).status_code == 403


def test_team_page_queries_do_not_grow(acme, supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    boss = member(acme, supervisor, "boss@example.com")
    client = Client()
    client.force_login(boss.user)
    client.get(reverse("partner_team"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("partner_team"))
    for n in range(5):
        member(acme, supervisor, f"m{n}@example.com", role=MembershipRole.MEMBER)
        invitation_send(by=boss.user, employer=acme, email=f"i{n}@example.com", role="member")
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("partner_team"))
    assert len(small) == len(large)
