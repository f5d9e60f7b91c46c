"""The candidate page's interviews and actions in the portal: proposals, interviews and their outcomes,
the offer and hire report forms, shown only where the employer may act (not while the partnership is
paused, only at the stages the services accept)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jobs.forms.proposals import OfferForm, OutcomeForm, PartnerHireReportForm, ProposalForm
from jobs.models import InterviewOutcome, ProposalStatus, Referral
from jobs.selectors.partner import PartnerAccess
from jobs.selectors.proposals import partner_interviews, partner_proposals
from jobs.services.offers import OFFERABLE_STAGES, REPORTABLE_STAGES
from jobs.services.proposals import PROPOSABLE_STAGES


def candidate_actions(
    user, access: PartnerAccess, referral: Referral, *, packet: Any, **forms: Any
) -> dict[str, Any]:
    proposals = list(partner_proposals(user).filter(referral=referral))
    now = timezone.now()
    interviews = [
        {
            "interview": interview,
            "outcome_form": forms.get(f"outcome_{interview.pk}")
            or OutcomeForm(prefix=f"outcome-{interview.pk}"),
            "may_record": interview.starts_at <= now,
        }
        for interview in partner_interviews(user).filter(referral=referral)
    ]
    writable = not access.read_only and packet is not None
    pending = any(proposal.status == ProposalStatus.PENDING for proposal in proposals)
    opening = referral.opening
    terms_initial = {
        "hours_per_week": opening.hours_per_week,
        "daily_hours": opening.daily_hours,
        "wage": opening.wage,
        "wage_unit": opening.wage_unit,
    }
    return {
        "proposals": proposals,
        "interviews": interviews,
        "can_write": writable,
        "outcome_pending": InterviewOutcome.PENDING,
        "can_propose": writable and not pending and referral.stage in PROPOSABLE_STAGES,
        "can_offer": writable and referral.stage in OFFERABLE_STAGES,
        "can_report": writable and referral.stage in REPORTABLE_STAGES,
        "proposal_form": forms.get("proposal_form") or ProposalForm(),
        "offer_form": forms.get("offer_form") or OfferForm(initial=terms_initial),
        "hire_form": forms.get("hire_form")
        or PartnerHireReportForm(initial={**terms_initial, "start_date": opening.start_date}),
    }
