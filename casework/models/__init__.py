"""Casework models, one module per part of the case: accounts, applicants, legal, consent, records, reminders, audit."""

from casework.models.accounts import (
    DEFAULT_ORGANISATION_SLUG,
    Heartbeat,
    Organisation,
    Team,
    TobiraUserManager,
    User,
    default_organisation_id,
)
from casework.models.applicants import (
    Alias,
    Applicant,
    Assignment,
    BirthDatePrecision,
    CaseStage,
    DuplicateCheck,
    HouseholdMember,
    LanguageLevel,
    ReferenceCounter,
)
from casework.models.audit import ERASED_MARKER, AccessLogEntry, AuditRowIsImmutable, ChangeRecord
from casework.models.consent import Consent, ConsentPurpose, FieldGroup, SensitiveRecord
from casework.models.legal import (
    LegalStatusPeriod,
    ProcedureEvent,
    ProcedureOutcome,
    RefugeeProcedure,
    RenewalDecision,
    ReportingObligation,
    WorkPermission,
)
from casework.models.records import CaseNote, Document, Task
from casework.models.reminders import DeadlineState, Notification, OutgoingEmail, Reminder

__all__ = [
    "DeadlineState",
    "Notification",
    "OutgoingEmail",
    "Reminder",
    "ERASED_MARKER",
    "AccessLogEntry",
    "AuditRowIsImmutable",
    "CaseNote",
    "ChangeRecord",
    "Consent",
    "ConsentPurpose",
    "Document",
    "FieldGroup",
    "SensitiveRecord",
    "Task",
    "Alias",
    "Applicant",
    "Assignment",
    "BirthDatePrecision",
    "CaseStage",
    "DuplicateCheck",
    "HouseholdMember",
    "LanguageLevel",
    "LegalStatusPeriod",
    "ProcedureEvent",
    "ProcedureOutcome",
    "ReferenceCounter",
    "RefugeeProcedure",
    "RenewalDecision",
    "ReportingObligation",
    "WorkPermission",
    "DEFAULT_ORGANISATION_SLUG",
    "Heartbeat",
    "Organisation",
    "Team",
    "TobiraUserManager",
    "User",
    "default_organisation_id",
]
