"""Add the demo's employers, openings, referrals, placements and follow-ups (after seed_demo). Idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from casework.models import Organisation, default_organisation_id
from jobs.management.demo_import import add_demo_import
from jobs.management.demo_jobs import DemoJobs


class Command(BaseCommand):
    help = (
        "Create the demo's jobs data (employers, openings, referrals at every stage, placements with "
        "follow-ups) for the people seed_demo made, and the supervisor's import of the sample employer list. "
        "Run seed_demo first; safe to run again."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.get(pk=default_organisation_id())
        counts = DemoJobs(organisation=organisation).run()
        # After the demo's own employers: the import's duplicate check sees them.
        imported = add_demo_import(organisation.pk)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo jobs: {counts['employers']} employers ({counts['contacts']} contacts), "
                f"{counts['openings']} openings, {counts['referrals']} referrals ({counts['interviews']} "
                f"interviews, {counts['consents']} consents to share), {counts['placements']} placements "
                f"({counts['follow-ups recorded']} follow-ups recorded), availability for "
                f"{counts['availability']} people added."
            )
        )
        if imported is not None:
            self.stdout.write(
                f"Demo import: {imported.file_name} by {imported.created_by.username}, "
                f"{imported.get_status_display().lower()}, {imported.created_count} records created."
            )
