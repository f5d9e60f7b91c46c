"""Casework's panels on the home page, registered like any other app's (casework/apps.py).

Each panel's `context` returns None for a user whose role it does not serve, so the page shows each
role its own panels: a caseworker their caseload, a supervisor their teams, an administrator the
organisation and the system (DESIGN.md, access matrix). Every context runs a fixed number of queries.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import selectors
from casework.roles import Role
from casework.selectors import home, reminders
from casework.ui.panels import Panel, register_panel

HOME_DEADLINE_DAYS = (14, 90)  # the list covers the first, the chart the second
SWEEP_STALE_AFTER = timedelta(hours=26)  # the sweep runs daily at 08:00; a missed day shows


def is_administrator(user) -> bool:
    return bool(user.is_superuser or user.has_role(Role.ADMINISTRATOR))


def home_scope(user) -> str | None:
    """Whose people a home panel about cases speaks of: a supervisor's teams, a caseworker's own caseload;
    None for roles without a caseload (trainers, administrators who are neither)."""
    if user.has_role(Role.SUPERVISOR):
        return home.TEAMS
    if user.has_role(Role.CASEWORKER):
        return home.MINE
    return None


def _scope_context(user, scope: str) -> dict[str, Any]:
    return {"scope": scope, "is_team": scope == home.TEAMS}


def caseload_context(*, user, **objects) -> dict[str, Any] | None:
    scope = home_scope(user)
    if scope is None:
        return None
    stages = home.caseload_by_stage(user=user, scope=scope)
    return {**_scope_context(user, scope), "stages": stages, "total": sum(row.count for row in stages)}


def deadlines_context(*, user, **objects) -> dict[str, Any] | None:
    """The deadlines of the people whose legal records the user looks after (a caseworker's own, a
    supervisor's teams'): the chart of the next 90 days by week (drawn by the template tag
    deadlines_chart), the list of the next 14 days most urgent first. One query per deadline source and
    two for the rows shown, whatever the number of people."""
    if home_scope(user) is None:
        return None
    today = timezone.localdate()
    near, far = HOME_DEADLINE_DAYS
    rows = reminders.deadlines_ahead(user=user, days=far, today=today)
    soon = [row for row in rows if row.days_left <= near]  # soonest first: deadlines_ahead's order
    shown = reminders.with_details(soon[: home.HOME_ROWS], user=user)
    return {
        "today": today,
        "near_days": near,
        "far_days": far,
        "near_total": len(soon),
        "far_total": len(rows),
        "all_rows": rows,
        "rows": shown,
        "more": max(len(soon) - len(shown), 0),
    }


def overdue_tasks_context(*, user, **objects) -> dict[str, Any] | None:
    scope = home_scope(user)
    if scope is None:
        return None
    return {**_scope_context(user, scope), "tasks": home.overdue_tasks(user=user, scope=scope)}


def reminders_context(*, user, **objects) -> dict[str, Any] | None:
    """A caseworker's unacknowledged reminders; for a supervisor the team's at T-7 or nearer."""
    scope = home_scope(user)
    if scope is None:
        return None
    if scope == home.TEAMS:
        rows = reminders.team_unacknowledged(user=user)
        listing = home.Listing(list(rows[: home.HOME_ROWS]), rows.order_by().count())
    else:
        listing = home.unacknowledged_reminders(user=user)
    return {**_scope_context(user, scope), "reminders": listing}


def activity_context(*, user, **objects) -> dict[str, Any] | None:
    scope = home_scope(user)
    if scope is None:
        return None
    return {**_scope_context(user, scope), "activity": home.recent_activity(user=user, scope=scope)}


def team_load_context(*, user, **objects) -> dict[str, Any] | None:
    if not user.has_role(Role.SUPERVISOR):
        return None
    return {
        "led_teams": list(selectors.teams_led_by(user=user)),
        "loads": home.caseload_per_caseworker(user=user),
    }


def failed_emails_context(*, user, **objects) -> dict[str, Any] | None:
    if not reminders.may_oversee(user):
        return None
    rows = reminders.failed_emails(user=user)
    return {"emails": home.Listing(list(rows[: home.HOME_ROWS]), rows.order_by().count())}


def system_health_context(*, user, **objects) -> dict[str, Any] | None:
    if not is_administrator(user):
        return None
    from config.health import check_broker  # the same check as /healthz

    now = timezone.now()
    beats, beat_processes = home.heartbeats(names=("beat", "sweep", "worker"), now=now)
    beat_at, sweep_at = beats["beat"], beats["sweep"]
    return {
        "worker_at": beats["worker"],
        "delivery": home.delivery_health(
            user=user, now=now, lease=timedelta(seconds=settings.EMAIL_LEASE_SECONDS), since=timedelta(days=1)
        ),
        "beat_at": beat_at,
        "beat_ok": beat_at is not None
        and (now - beat_at).total_seconds() <= settings.BEAT_STALE_AFTER_SECONDS
        and len(beat_processes) <= 1,
        "beat_processes": beat_processes,
        "sweep_at": sweep_at,
        "sweep_ok": sweep_at is not None and now - sweep_at <= SWEEP_STALE_AFTER,
        "broker": check_broker(),
        "failed_emails": home.failed_email_count(user=user),
    }


def two_factor_context(*, user, **objects) -> dict[str, Any] | None:
    if not is_administrator(user):
        return None
    return {"users": home.users_without_two_factor(user=user)}


def organisation_context(*, user, **objects) -> dict[str, Any] | None:
    if not is_administrator(user):
        return None
    return {
        "overview": selectors.organisation_overview(user=user),
        "counts": home.organisation_counts(user=user),
    }


def my_team_context(*, user, **objects) -> dict[str, Any] | None:
    if not user.has_role(Role.CASEWORKER, Role.TRAINER):
        return None
    return {"my_team": selectors.team_of(user=user)}


def register() -> None:
    """Casework's home panels (CaseworkConfig.ready); learning and jobs add theirs in their own ready()."""
    for key, title, template, context, order in (
        ("system_health", _("System health"), "system_health", system_health_context, 1),
        ("two_factor", _("Users without two-factor sign-in"), "two_factor", two_factor_context, 2),
        ("organisation", _("Organisation"), "organisation", organisation_context, 3),
        ("caseload", _("Caseload by stage"), "caseload", caseload_context, 20),
        ("deadlines", _("Deadlines ahead"), "deadlines", deadlines_context, 21),
        ("overdue_tasks", _("Overdue tasks"), "overdue_tasks", overdue_tasks_context, 22),
        ("reminders", _("Reminders not acknowledged"), "reminders", reminders_context, 23),
        ("team_load", _("Caseload per caseworker"), "team_load", team_load_context, 24),
        ("failed_emails", _("Failed e-mails"), "failed_emails", failed_emails_context, 25),
        ("activity", _("Recent activity"), "activity", activity_context, 60),
        ("my_team", _("Your team"), "my_team", my_team_context, 90),
    ):
        register_panel(
            "home",
            Panel(
                key=key,
                title=title,
                template=f"casework/home/{template}.html",
                context=context,
                order=order,
            ),
        )
