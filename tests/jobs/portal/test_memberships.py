"""Portal users: inviting, accepting, withdrawing, removing (jobs.services.memberships), and the
invitation e-mail through casework's outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from casework.deadlines.delivery import send_emails
from casework.models import ChangeRecord, Organisation, OutgoingEmail, User
from casework.roles import Role
from jobs.models import EmployerMembership, Invitation, MembershipRole
from jobs.services.memberships import (
    InvitationUnusable,
    invitation_accept,
    invitation_for_token,
    invitation_send,
    invitation_withdraw,
    member_remove,
    token_hash,
)
from tests.jobs.factories import EmployerFactory

PASSWORD = "kirin-tobira-2026!"


@pytest.fixture
def acme(db, supervisor):
    return EmployerFactory(organisation=supervisor.organisation, name="Acme Foods")


def accepted(employer, by, email, role=MembershipRole.ADMIN) -> EmployerMembership:
    _invitation, token = invitation_send(by=by, employer=employer, email=email, role=role)
    return invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)


def test_staff_invite_creates_an_inactive_employer_user_and_stores_only_the_hash(acme, supervisor):
    invitation, token = invitation_send(by=supervisor, employer=acme, email="Hana@Example.COM", role="member")
    assert invitation.email == "Hana@example.com"
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
    assert invitation.role == MembershipRole.ADMIN  # the first person invited administers the others
    user = invitation.user
    assert user is not None and not user.is_active and user.has_role(Role.EMPLOYER)
    assert user.organisation_id == acme.organisation_id and not user.has_usable_password()
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    record = ChangeRecord.objects.get(model="jobs.invitation", object_id=str(invitation.pk))
    assert "token_hash" not in record.changes


def test_administrator_may_invite(acme, administrator):
    administrator.organisation = acme.organisation
    invitation, _token = invitation_send(by=administrator, employer=acme, email="a@example.com", role="admin")
    assert invitation.pk


def test_second_invitation_keeps_the_asked_role(acme, supervisor):
    accepted(acme, supervisor, "first@example.com")
    invitation, _token = invitation_send(by=supervisor, employer=acme, email="two@example.com", role="member")
    assert invitation.role == MembershipRole.MEMBER


def test_invitation_email_is_queued_in_the_invitees_language_with_the_link(acme, supervisor):
    invitation, token = invitation_send(
        by=supervisor, employer=acme, email="ja@example.com", role="admin", language="ja"
    )
    email = OutgoingEmail.objects.get(recipient=invitation.user)
    assert email.purpose == OutgoingEmail.Purpose.NOTIFICATION
    assert (email.kind, email.target, email.topic) == (
        "jobs.invitation",
        str(invitation.pk),
        f"jobs.invitation:{invitation.pk}",
    )
    assert reverse("partner_invitation_accept", args=[token]) in email.body
    assert "Acme Foods" in email.subject
    with translation.override("ja"):  # rendered in the invitee's language
        expected = gettext("Your invitation to the Tobira partner portal for %(employer)s")
    assert email.subject == expected % {"employer": "Acme Foods"}
    assert email.message_id.startswith(f"<jobs.invitation.{invitation.pk}.")


def test_invitation_email_is_sent_although_the_user_is_inactive(acme, supervisor, mailoutbox):
    invitation, _token = invitation_send(by=supervisor, employer=acme, email="new@example.com", role="admin")
    assert send_emails() == {"sent": 1}
    assert mailoutbox[0].to == ["new@example.com"]
    assert mailoutbox[0].extra_headers["Message-ID"] == OutgoingEmail.objects.get().message_id
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT
    assert invitation.pk


def test_a_new_invitation_withdraws_the_open_one_and_reuses_the_user(acme, supervisor):
    first, first_token = invitation_send(by=supervisor, employer=acme, email="x@example.com", role="admin")
    second, second_token = invitation_send(by=supervisor, employer=acme, email="x@example.com", role="admin")
    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    assert first.user_id == second.user_id
    with pytest.raises(InvitationUnusable, match="withdrawn"):
        invitation_for_token(first_token)
    invitation_for_token(second_token)
    assert OutgoingEmail.objects.filter(recipient=second.user).count() == 2


@pytest.mark.parametrize("email", ["", "not-an-address", "a@", "@example.com", "a b@example.com"])
def test_bad_address_is_refused_on_the_email_field(acme, supervisor, email):
    with pytest.raises(ValidationError) as error:
        invitation_send(by=supervisor, employer=acme, email=email, role="admin")
    assert "email" in error.value.message_dict
    assert not Invitation.objects.exists() and not User.objects.filter(is_active=False).exists()


def test_bad_role_is_refused(acme, supervisor):
    with pytest.raises(ValidationError) as error:
        invitation_send(by=supervisor, employer=acme, email="r@example.com", role="owner")
    assert "role" in error.value.message_dict


def test_an_address_already_a_member_is_refused(acme, supervisor):
    accepted(acme, supervisor, "m@example.com")
    with pytest.raises(ValidationError) as error:
        invitation_send(by=supervisor, employer=acme, email="M@example.com", role="member")
    assert "email" in error.value.message_dict


def test_an_address_of_a_staff_account_is_refused(acme, supervisor, caseworker):
    caseworker.email = "staff@example.com"
    caseworker.username = "staff@example.com"
    caseworker.save()
    with pytest.raises(ValidationError) as error:
        invitation_send(by=supervisor, employer=acme, email="staff@example.com", role="member")
    assert "email" in error.value.message_dict
    caseworker.refresh_from_db()
    assert caseworker.is_active and not caseworker.has_role(Role.EMPLOYER)


def test_ended_partnership_refuses_invitations(acme, supervisor):
    acme.partnership_status = "ended"
    acme.save()
    with pytest.raises(ValidationError) as error:
        invitation_send(by=supervisor, employer=acme, email="e@example.com", role="admin")
    assert "email" in error.value.message_dict


def test_caseworker_may_not_invite(acme, caseworker):
    with pytest.raises(PermissionDenied):
        invitation_send(by=caseworker, employer=acme, email="c@example.com", role="admin")


def test_trainer_and_unlinked_employer_user_may_not_invite(acme, trainer, employer):
    for user in (trainer, employer):
        with pytest.raises(PermissionDenied):
            invitation_send(by=user, employer=acme, email="t@example.com", role="admin")


def test_supervisor_of_another_organisation_may_not_invite(acme, make_user):
    elsewhere = Organisation.objects.create(name="Another NPO", slug="another-npo")
    stranger = make_user(Role.SUPERVISOR, username="far-super", organisation=elsewhere)
    with pytest.raises(PermissionDenied):
        invitation_send(by=stranger, employer=acme, email="f@example.com", role="admin")


def test_employer_admin_invites_for_their_own_employer_only(acme, supervisor):
    admin = accepted(acme, supervisor, "boss@example.com").user
    invitation, _token = invitation_send(by=admin, employer=acme, email="col@example.com", role="member")
    assert invitation.role == MembershipRole.MEMBER and invitation.invited_by == admin
    other = EmployerFactory(organisation=acme.organisation)
    with pytest.raises(PermissionDenied):
        invitation_send(by=admin, employer=other, email="o@example.com", role="member")


def test_employer_member_who_is_not_admin_may_not_invite(acme, supervisor):
    accepted(acme, supervisor, "boss@example.com")
    member = accepted(acme, supervisor, "worker@example.com", role=MembershipRole.MEMBER).user
    with pytest.raises(PermissionDenied):
        invitation_send(by=member, employer=acme, email="w2@example.com", role="member")


def test_employer_admin_may_not_invite_while_paused(acme, supervisor):
    admin = accepted(acme, supervisor, "boss@example.com").user
    acme.partnership_status = "paused"
    acme.save()
    with pytest.raises(PermissionDenied):
        invitation_send(by=admin, employer=acme, email="p@example.com", role="member")


# Accepting


def test_accept_activates_sets_password_and_creates_membership(acme, supervisor):
    invitation, token = invitation_send(by=supervisor, employer=acme, email="a@example.com", role="admin")
    membership = invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    user = User.objects.get(pk=invitation.user_id)
    assert user.is_active and user.check_password(PASSWORD)
    assert (membership.employer, membership.role, membership.invited_by) == (acme, "admin", supervisor)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert ChangeRecord.objects.filter(model="jobs.employermembership", actor=user).exists()


def test_link_works_once(acme, supervisor):
    _invitation, token = invitation_send(by=supervisor, employer=acme, email="a@example.com", role="admin")
    invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    with pytest.raises(InvitationUnusable, match="already been used"):
        invitation_accept(token=token, password="another-pass-123!", password_again="another-pass-123!")
    assert EmployerMembership.objects.count() == 1
    assert User.objects.get(email="a@example.com").check_password(PASSWORD)


def test_expired_link_is_refused(acme, supervisor):
    invitation, token = invitation_send(by=supervisor, employer=acme, email="a@example.com", role="admin")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvitationUnusable, match="expired"):
        invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    assert not User.objects.get(pk=invitation.user_id).is_active


def test_withdrawn_link_is_refused(acme, supervisor):
    invitation, token = invitation_send(by=supervisor, employer=acme, email="a@example.com", role="admin")
    invitation_withdraw(by=supervisor, invitation=invitation)
    with pytest.raises(InvitationUnusable, match="withdrawn"):
        invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)


def test_ended_partnership_link_is_refused(acme, supervisor):
    _invitation, token = invitation_send(by=supervisor, employer=acme, email="a@example.com", role="admin")
    acme.partnership_status = "ended"
    acme.save()
    with pytest.raises(InvitationUnusable, match="ended"):
        invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)


def test_unknown_token_is_refused(db):
    with pytest.raises(InvitationUnusable, match="not valid"):
        invitation_for_token("nothing-like-this")


@pytest.mark.parametrize("password", ["", "short", "12345678901", "password123"])
def test_weak_password_is_refused_on_the_field(acme, supervisor, password):
    invitation, token = invitation_send(by=supervisor, employer=acme, email="a@example.com", role="admin")
    with pytest.raises(ValidationError) as error:
        invitation_accept(token=token, password=password, password_again=password)
    assert error.value.message_dict["password"]
    assert not User.objects.get(pk=invitation.user_id).is_active
    assert not EmployerMembership.objects.exists()
    invitation_for_token(token)  # still usable


def test_password_mismatch_is_refused_on_the_second_field(acme, supervisor):
    _invitation, token = invitation_send(by=supervisor, employer=acme, email="a@example.com", role="admin")
    with pytest.raises(ValidationError) as error:
        invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD + "x")
    assert list(error.value.message_dict) == ["password_again"]


# Withdrawing and removing


def test_withdraw_by_staff_and_own_admin_not_others(acme, supervisor, caseworker):
    admin = accepted(acme, supervisor, "boss@example.com").user
    invitation, _token = invitation_send(by=admin, employer=acme, email="x@example.com", role="member")
    with pytest.raises(PermissionDenied):
        invitation_withdraw(by=caseworker, invitation=invitation)
    other_admin = accepted(
        EmployerFactory(organisation=acme.organisation), supervisor, "else@example.com"
    ).user
    with pytest.raises(PermissionDenied):
        invitation_withdraw(by=other_admin, invitation=invitation)
    invitation_withdraw(by=admin, invitation=invitation)
    with pytest.raises(ValidationError):
        invitation_withdraw(by=supervisor, invitation=invitation)


def test_remove_deactivates_and_deletes_membership_with_history(acme, supervisor):
    membership = accepted(acme, supervisor, "gone@example.com")
    user = membership.user
    member_remove(by=supervisor, membership=membership)
    user.refresh_from_db()
    assert not user.is_active
    assert not EmployerMembership.objects.filter(pk=membership.pk).exists()
    assert ChangeRecord.objects.filter(
        model="jobs.employermembership", object_id=str(membership.pk), action=ChangeRecord.Action.DELETE
    ).exists()


def test_removed_members_open_session_is_signed_out(acme, supervisor):
    membership = accepted(acme, supervisor, "gone@example.com")
    client = Client()
    client.force_login(membership.user)
    assert client.get(reverse("partner_home")).status_code == 200
    member_remove(by=supervisor, membership=membership)
    response = client.get(reverse("partner_home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_employer_admin_removes_a_colleague_but_not_themselves_as_last_admin(acme, supervisor):
    admin_membership = accepted(acme, supervisor, "boss@example.com")
    admin = admin_membership.user
    colleague = accepted(acme, supervisor, "col@example.com", role=MembershipRole.MEMBER)
    with pytest.raises(ValidationError):
        member_remove(by=admin, membership=admin_membership)
    member_remove(by=admin, membership=colleague)
    second_admin = accepted(acme, supervisor, "boss2@example.com", role=MembershipRole.ADMIN)
    member_remove(by=admin, membership=admin_membership)  # another admin is left
    assert EmployerMembership.objects.filter(pk=second_admin.pk).exists()


def test_member_and_other_employers_admin_may_not_remove(acme, supervisor, caseworker):
    accepted(acme, supervisor, "boss@example.com")
    member = accepted(acme, supervisor, "m1@example.com", role=MembershipRole.MEMBER)
    member2 = accepted(acme, supervisor, "m2@example.com", role=MembershipRole.MEMBER)
    other_admin = accepted(EmployerFactory(organisation=acme.organisation), supervisor, "o@example.com").user
    for by in (member.user, other_admin, caseworker):
        with pytest.raises(PermissionDenied):
            member_remove(by=by, membership=member2)
    assert EmployerMembership.objects.filter(pk=member2.pk).exists()


def test_outbox_notification_is_queued_once_per_kind_and_target(acme, supervisor):
    from casework.deadlines.delivery import queue_notification_email

    invitation, _token = invitation_send(by=supervisor, employer=acme, email="n@example.com", role="admin")
    context = {"employer_name": "Acme Foods", "inviter_name": "K", "link_path": "/x/", "days": 7}
    again = queue_notification_email(
        user=invitation.user,
        kind="jobs.invitation",
        target=str(invitation.pk),
        template="jobs/email/invitation",
        context=context,
    )
    assert again is not None and OutgoingEmail.objects.filter(recipient=invitation.user).count() == 1
    assert "/x/" not in again.body  # the first rendering stands: the same message, the same Message-ID
    nobody = User.objects.create(username="no-mail", organisation=acme.organisation, is_active=False)
    assert (
        queue_notification_email(
            user=nobody, kind="jobs.invitation", target="0", template="jobs/email/invitation", context=context
        )
        is None
    )
