"""Reads about users and teams: the teams a supervisor leads, a user's team, an organisation's counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)

from casework.models import (
    Team,
    User,
    UserSession,
)
from casework.roles import Role


def teams_led_by(*, user: User) -> QuerySet[Team]:
    members = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
    return (
        Team.objects.visible_to(user)
        .filter(supervisors=user)
        .prefetch_related(Prefetch("members", queryset=members))
    )


def team_of(*, user: User) -> Team | None:
    if user.team_id is None:
        return None
    members = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
    return (
        Team.objects.visible_to(user)
        .prefetch_related(Prefetch("members", queryset=members), "supervisors")
        .filter(pk=user.team_id)
        .first()
    )


def organisation_overview(*, user: User) -> dict[str, object]:
    """Counts an administrator's home page shows: people per role, teams, service accounts."""
    users = User.objects.visible_to(user).filter(is_active=True)
    counts = users.aggregate(
        **{role.value: Count("pk", filter=Q(groups__name=role.value), distinct=True) for role in Role},
        service_accounts=Count("pk", filter=Q(is_service_account=True), distinct=True),
    )
    teams = (
        Team.objects.visible_to(user).annotate(member_count=Count("members", distinct=True)).order_by("name")
    )
    return {
        "role_counts": [(role.label, counts[role.value]) for role in Role],
        "service_account_count": counts["service_accounts"],
        "teams": teams,
    }


def assignment_gap(*, user: User) -> str | None:
    """Why a staff user would see no one: "no_team" for a caseworker in no team, "no_led_team" for a
    supervisor who leads none; None when neither (administrators see everyone). At most one query."""
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return None
    if user.has_role(Role.CASEWORKER) and user.team_id is None:
        return "no_team"
    if user.has_role(Role.SUPERVISOR) and not user.led_teams.exists():
        return "no_led_team"
    return None


@dataclass(frozen=True)
class DemoAccount:
    username: str
    roles: list[str]  # labels, most powerful first
    teams: list[str]  # the teams led, or the own team


def demo_accounts() -> list[DemoAccount]:
    """The demo sign-ins a demo install shows: the users the seed commands made (their addresses are at
    settings.DEMO_ACCOUNT_DOMAIN), most powerful role first. Three queries."""
    rank = {role.value: index for index, role in enumerate(Role)}
    users = (
        User.objects.filter(
            email__iendswith="@" + settings.DEMO_ACCOUNT_DOMAIN, is_active=True, is_service_account=False
        )
        .select_related("team")
        .prefetch_related("groups", "led_teams")
    )
    ranked = []
    for user in users:
        roles = sorted((g.name for g in user.groups.all() if g.name in rank), key=rank.__getitem__)
        teams = sorted(team.name for team in user.led_teams.all()) or ([user.team.name] if user.team else [])
        account = DemoAccount(user.username, [str(Role(name).label) for name in roles], teams)
        ranked.append(((rank[roles[0]] if roles else len(rank), user.username), account))
    return [account for _key, account in sorted(ranked, key=lambda pair: pair[0])]


def sessions_of(*, user: User) -> list[UserSession]:
    """The person's own signed-in browser sessions that are still live, most recently active first."""
    return list(UserSession.objects.visible_to(user).filter(user=user).live().order_by("-last_activity"))
