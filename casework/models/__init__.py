"""Casework models, one module per part of the case: accounts, applicants, legal status."""

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
from casework.models.legal import (
    LegalStatusPeriod,
    ProcedureEvent,
    ProcedureOutcome,
    RefugeeProcedure,
    RenewalDecision,
    ReportingObligation,
    WorkPermission,
)

__all__ = [
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
