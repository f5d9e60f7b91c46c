"""Account services: roles, teams, the scheduler heartbeat, two-factor devices, recovery codes, service accounts,
ending a person's signed-in sessions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from casework.audit import log_access
from casework.models import AccessLogEntry, Heartbeat, Team, User, UserSession
from casework.roles import Role


def heartbeat_record(*, name: str) -> Heartbeat:
    heartbeat, _created = Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
    return heartbeat


def beat_process_record(*, identity: str) -> None:
    """The beat process (host:pid) that sent a heartbeat: two at once are shown on the health panel. Rows
    of beats silent for a day (stopped, restarted) are removed."""
    now = timezone.now()
    heartbeat_record(
        name=f"{Heartbeat.BEAT_PROCESS_PREFIX}{identity}"[: Heartbeat._meta.get_field("name").max_length]
    )
    Heartbeat.objects.filter(
        name__startswith=Heartbeat.BEAT_PROCESS_PREFIX, at__lt=now - timedelta(days=1)
    ).delete()


def role_assignment_check(*, roles: Iterable[str], team: Team | None, led_teams: Iterable[Team]) -> None:
    """A caseworker belongs to a team and a supervisor leads at least one: without, they see nobody.

    Raises a ValidationError naming `team` or `led_teams` (the user form, the admin and service accounts).
    """
    roles = set(roles)
    errors: dict[str, str] = {}
    if Role.CASEWORKER in roles and team is None:
        errors["team"] = _("A caseworker must belong to a team: choose the team whose people they work with.")
    if Role.SUPERVISOR in roles and not list(led_teams):
        errors["led_teams"] = _("A supervisor must lead at least one team: choose the teams they lead.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str]) -> User:
    unknown = set(roles) - {role.value for role in Role}
    if unknown:
        raise ValidationError({"roles": f"Unknown role(s): {', '.join(sorted(unknown))}"})
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("roles", None)
    return user


def team_add_supervisor(*, team: Team, user: User) -> None:
    team.supervisors.add(user)


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is setting up; one at a time."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        raise ValidationError(
            {"token": _("That code is not correct. Check the time on your phone and try again.")}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_regenerate(user=user)
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    if settings.REQUIRE_2FA and user.is_staff_role:
        raise ValidationError(_("Two-factor sign-in is required for your role and cannot be turned off."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def service_account_create(
    *, by: User, username: str, role: str, team: Team | None = None, led_teams: Iterable[Team] = ()
) -> tuple[User, str]:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with that name already exists.")})
    led_teams = list(led_teams)
    role_assignment_check(roles=[role], team=team, led_teams=led_teams)
    account = User(
        username=username,
        organisation_id=by.organisation_id,
        is_service_account=True,
        first_name=username,
        team=team if role == Role.CASEWORKER else None,
    )
    account.set_unusable_password()
    account.save()
    user_set_roles(user=account, roles=[role])
    if role == Role.SUPERVISOR:
        account.led_teams.set(led_teams)
    token = Token.objects.create(user=account)
    return account, token.key


@transaction.atomic
def service_account_rotate_token(*, account: User) -> str:
    Token.objects.filter(user=account).delete()
    return Token.objects.create(user=account).key


def _sessions_delete(rows) -> int:
    keys = list(rows.values_list("session_key", flat=True))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()
    rows.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def user_sessions_end(*, by: User, user: User) -> int:
    """Sign a person out everywhere (a lost phone, a shared computer, someone leaving): an administrator
    of their organisation only. Their sessions are deleted from the session store, so their next
    request is signed out; API tokens are not sessions and stay. Written to the access log."""
    if not (by.has_role(Role.ADMINISTRATOR) or by.is_superuser) or by.organisation_id != user.organisation_id:
        raise PermissionDenied
    ended = _sessions_delete(UserSession.objects.filter(user=user))
    log_access(
        actor=by,
        kind=AccessLogEntry.Kind.SESSIONS_ENDED,
        object_label=user.get_username(),
        detail={"user_id": user.pk, "sessions": ended},
    )
    return ended


@transaction.atomic
def user_sessions_end_others(*, user: User, current_key: str) -> int:
    """A person signs out every other browser (a shared computer they forgot): this one stays."""
    ended = _sessions_delete(UserSession.objects.filter(user=user).exclude(session_key=current_key))
    log_access(
        actor=user,
        kind=AccessLogEntry.Kind.SIGN_OUT,
        object_label=user.get_username(),
        detail={"reason": "other_sessions", "sessions": ended},
    )
    return ended
