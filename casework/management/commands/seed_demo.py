"""Create (or bring up to date) the demo accounts and a small, realistic data set. Idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from casework.models import Organisation, Team, User, default_organisation_id
from casework.roles import Role
from casework.services import user_set_roles

# The README lists these; they exist only in demo data.
DEMO_PASSWORD = "tobira-demo-2026"  # noqa: S105
DEMO_USERS = [
    # username, first, last, roles, team, language
    ("admin", "Aiko", "Sato", [Role.ADMINISTRATOR], None, "ja"),
    ("supervisor", "Kenji", "Tanaka", [Role.SUPERVISOR], "Tokyo East", "ja"),
    ("caseworker", "Maya", "Ito", [Role.CASEWORKER], "Tokyo East", "en"),
    ("caseworker2", "Daniel", "Okafor", [Role.CASEWORKER], "Tokyo East", "en"),
    ("caseworker3", "Yui", "Nakamura", [Role.CASEWORKER], "Kanagawa", "ja"),
    ("trainer", "Hiroshi", "Kobayashi", [Role.TRAINER], None, "ja"),
    ("employer", "Emi", "Yamada", [Role.EMPLOYER], None, "ja"),
]
DEMO_TEAMS = {"Tokyo East": ["supervisor"], "Kanagawa": ["supervisor"]}


class Command(BaseCommand):
    help = "Create the demo accounts (one per role) and demo data. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.get(pk=default_organisation_id())
        teams = {
            name: Team.objects.get_or_create(organisation=organisation, name=name)[0] for name in DEMO_TEAMS
        }
        users: dict[str, User] = {}
        for username, first, last, roles, team_name, language in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@tobira.example",
                    "organisation": organisation,
                    "language": language,
                },
            )
            user.team = teams[team_name] if team_name else None
            # Administrators reach the Django admin through their group's permissions, not as
            # superusers: the admin must never be a way around the rules.
            user.is_staff = Role.ADMINISTRATOR in roles
            if created:
                user.set_password(DEMO_PASSWORD)
            user.save()
            user_set_roles(user=user, roles=[role.value for role in roles])
            users[username] = user
        for team_name, supervisors in DEMO_TEAMS.items():
            teams[team_name].supervisors.add(*(users[name] for name in supervisors))
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts ready: {', '.join(users)} (password {DEMO_PASSWORD})")
        )
