"""Jobs models, one module per part of the case: employers, openings, referrals, placements, portal notifications, wages."""

from jobs.models.employers import Employer, EmployerContact, Industry, PartnershipStatus, SizeBand
from jobs.models.memberships import INVITATION_DAYS, EmployerMembership, Invitation, MembershipRole
from jobs.models.messages import MESSAGE_MAX_LENGTH, MessageSide, ReferralMessage
from jobs.models.notifications import PortalNotification, PortalNotificationKind
from jobs.models.openings import ContractType, JobOpening, OpeningStatus, ShiftPattern, WageUnit
from jobs.models.placements import (
    Difficulty,
    FollowUp,
    FollowUpDifficulty,
    FollowUpOutcome,
    LeavingReason,
    Placement,
    Reporter,
)
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
    "Difficulty",
    "EmploymentTerms",
    "InterviewProposal",
    "ProposalSlot",
    "ProposalStatus",
    "TermsKind",
    "Employer",
    "EmployerContact",
    "EmployerMembership",
    "FollowUp",
    "FollowUpDifficulty",
    "FollowUpOutcome",
    "INVITATION_DAYS",
    "Industry",
    "Invitation",
    "Interview",
    "InterviewOutcome",
    "JobOpening",
    "LeavingReason",
    "MESSAGE_MAX_LENGTH",
    "MembershipRole",
    "MessageSide",
    "MinimumWage",
    "OpeningStatus",
    "PartnershipStatus",
    "Placement",
    "PortalNotification",
    "PortalNotificationKind",
    "ReasonCode",
    "Referral",
    "ReferralMessage",
    "Reporter",
    "ShiftPattern",
    "SizeBand",
    "Stage",
    "StageChange",
    "WageUnit",
]
