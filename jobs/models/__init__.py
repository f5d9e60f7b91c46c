"""Jobs models, one module per part of the case: employers, openings, referrals, placements, wages."""

from jobs.models.employers import Employer, EmployerContact, Industry, PartnershipStatus, SizeBand
from jobs.models.memberships import INVITATION_DAYS, EmployerMembership, Invitation, MembershipRole
from jobs.models.openings import ContractType, JobOpening, OpeningStatus, ShiftPattern, WageUnit
from jobs.models.placements import FollowUp, FollowUpOutcome, LeavingReason, Placement, Reporter
from jobs.models.proposals import (
    MAX_SLOTS,
    EmploymentTerms,
    InterviewProposal,
    ProposalSlot,
    ProposalStatus,
    TermsKind,
)
from jobs.models.referrals import Interview, InterviewOutcome, ReasonCode, Referral, Stage, StageChange
from jobs.models.wages import MinimumWage

__all__ = [
    "MAX_SLOTS",
    "ContractType",
    "EmploymentTerms",
    "InterviewProposal",
    "ProposalSlot",
    "ProposalStatus",
    "TermsKind",
    "Employer",
    "EmployerContact",
    "EmployerMembership",
    "FollowUp",
    "FollowUpOutcome",
    "INVITATION_DAYS",
    "Industry",
    "Invitation",
    "Interview",
    "InterviewOutcome",
    "JobOpening",
    "LeavingReason",
    "MembershipRole",
    "MinimumWage",
    "OpeningStatus",
    "PartnershipStatus",
    "Placement",
    "ReasonCode",
    "Referral",
    "Reporter",
    "ShiftPattern",
    "SizeBand",
    "Stage",
    "StageChange",
    "WageUnit",
]
