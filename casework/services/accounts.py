"""Account services: roles, teams and the scheduler heartbeat."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from casework.models import Heartbeat, Team, User
from casework.roles import Role


def heartbeat_record(*, name: str) -> Heartbeat:
    heartbeat, _created = Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
    return heartbeat


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str]) -> User:
    unknown = set(roles) - {role.value for role in Role}
    if unknown:
        from django.core.exceptions import ValidationError

        raise ValidationError({"roles": f"Unknown role(s): {', '.join(sorted(unknown))}"})
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("roles", None)
    return user


def team_add_supervisor(*, team: Team, user: User) -> None:
    team.supervisors.add(user)
