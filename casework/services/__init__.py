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
from casework.services.records_consent import (
    consent_record,
    consent_renew,
    consent_revoke,
    sensitive_record_save,
    sensitive_records_erase,
)
from casework.services.records_notes import (
    document_upload,
    note_add,
    note_update,
    task_add,
    task_complete,
    task_reopen,
    task_update,
)

__all__ = [
    "document_upload",
    "note_add",
    "note_update",
    "task_add",
    "task_complete",
    "task_reopen",
    "task_update",
    "applicant_register",
    "applicant_update",
    "applicants_reassign",
    "consent_record",
    "consent_renew",
    "consent_revoke",
    "duplicate_check_decide",
    "duplicate_check_run",
    "heartbeat_record",
    "household_member_add",
    "legal_period_delete",
    "legal_period_record",
    "legal_period_update",
    "procedure_event_record",
    "procedure_record",
    "procedure_update",
    "reference_code_format",
    "reference_numbers_reserve",
    "reporting_obligation_record",
    "sensitive_record_save",
    "sensitive_records_erase",
    "team_add_supervisor",
    "user_set_roles",
    "work_permission_record",
]
