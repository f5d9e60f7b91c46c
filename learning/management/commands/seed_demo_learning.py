"""Add the demo's courses, sessions, enrolments, attendance and assessments (after seed_demo). Idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from casework.models import Organisation, default_organisation_id
from learning.management.demo_learning import PROGRESS_LEARNER, DemoLearning


class Command(BaseCommand):
    help = (
        "Create the demo's learning data (courses, a term of sessions, enrolments, attendance, "
        "assessments) for the people seed_demo made. Run seed_demo first; safe to run again."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.get(pk=default_organisation_id())
        demo = DemoLearning(organisation=organisation)
        counts = demo.run()
        learner = demo.people[PROGRESS_LEARNER]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo learning: {counts['courses']} courses added, {counts['existing courses']} already "
                f"there ({counts['sessions']} sessions, {counts['cancelled sessions']} cancelled; "
                f"{counts['enrolments']} enrolled, {counts['waitlisted']} on a waiting list, "
                f"{counts['drop-outs']} dropped out, {counts['completed']} completed; "
                f"{counts['attendance marks']} attendance marks)."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo assessments: {counts['assessments']} added ({counts['certificates']} with a "
                f"certificate), {counts['existing assessments']} already there. Language progress: "
                f"{learner.display_name} ({learner.reference_code})."
            )
        )
