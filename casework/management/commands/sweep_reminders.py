"""Run the reminder sweep now: `manage.py sweep_reminders [--today YYYY-MM-DD] [--dry-run]`."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from casework.deadlines import delivery
from casework.deadlines import sweep as deadline_sweep


class Command(BaseCommand):
    help = "Evaluate every deadline source and create, skip, cancel or mark overdue reminders."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Sweep as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; write nothing.")
        parser.add_argument(
            "--no-deliver", action="store_true", help="Create reminders but do not deliver them."
        )

    def handle(self, *args, **options) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(
                    f"--today must be a date like 2026-11-25, not {options['today']!r}."
                ) from exc
        result = deadline_sweep.sweep(today=today, dry_run=options["dry_run"])
        verb = "would create" if options["dry_run"] else "created"
        kinds = sorted(
            set(result.created) | set(result.skipped) | set(result.cancelled) | set(result.overdue)
        )
        self.stdout.write(
            f"Reminder sweep for {result.today.isoformat()}{' (dry run)' if options['dry_run'] else ''}"
        )
        for kind in kinds:
            self.stdout.write(
                f"  {kind}: {verb} {result.created[kind]}, skipped {result.skipped[kind]}, "
                f"cancelled {result.cancelled[kind]}, overdue {result.overdue[kind]}"
            )
        if options["dry_run"]:
            for row in result.planned:
                if row.state == row.State.LIVE:
                    self.stdout.write(
                        f"    {verb} {row.source_kind}#{row.source_id} deadline {row.deadline_date} offset {row.offset}"
                    )
            return
        self.stdout.write(
            f"Total: created {result.total(result.created)}, skipped {result.total(result.skipped)}, "
            f"cancelled {result.total(result.cancelled)}, overdue {result.total(result.overdue)}"
        )
        if not options["no_deliver"]:
            delivered = delivery.deliver_reminders()
            self.stdout.write(f"Delivered {delivered} reminder(s).")
