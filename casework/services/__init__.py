"""Casework services: every write to casework data goes through a function here."""

from casework.services.accounts import heartbeat_record, team_add_supervisor, user_set_roles
from casework.services.applicants import (
    applicant_register,
    applicant_update,
    applicants_reassign,
    duplicate_check_decide,
    duplicate_check_run,
    household_member_add,
    reference_code_format,
    reference_numbers_reserve,
)
from casework.services.legal import (
    legal_period_delete,
    legal_period_record,
    legal_period_update,
    procedure_event_record,
    procedure_record,
    procedure_update,
    reporting_obligation_record,
    work_permission_record,
)
from casework.services.reminders import (
    deadline_acknowledge,
    deadline_snooze,
    notification_mark_read,
    notifications_mark_all_read,
    task_from_reminder,
)

__all__ = [
    "applicant_register",
    "applicant_update",
    "applicants_reassign",
    "deadline_acknowledge",
    "deadline_snooze",
    "duplicate_check_decide",
    "duplicate_check_run",
    "heartbeat_record",
    "household_member_add",
    "legal_period_delete",
    "legal_period_record",
    "legal_period_update",
    "notification_mark_read",
    "notifications_mark_all_read",
    "procedure_event_record",
    "procedure_record",
    "procedure_update",
    "reference_code_format",
    "reference_numbers_reserve",
    "reporting_obligation_record",
    "task_from_reminder",
    "team_add_supervisor",
    "user_set_roles",
    "work_permission_record",
]
