"""The "Portal users" card of the staff employer page: members, open invitations, the invite form.

Every jobs staff member who sees the employer sees the list; supervisors and administrators of the
organisation also get the invite form and the withdraw and remove buttons (jobs.services.memberships
decides again on every write)."""

from __future__ import annotations

from typing import Any

from casework.models import User
from jobs.forms.memberships import InvitationForm
from jobs.models import Employer, PartnershipStatus
from jobs.selectors.memberships import employer_members, employer_pending_invitations
from jobs.services.memberships import is_org_staff_manager
from jobs.services.tokens import may_create_api_account


def portal_users_context(
    user: User, employer: Employer, form: InvitationForm | None = None
) -> dict[str, Any]:
    manage = is_org_staff_manager(user, employer)
    return {
        "portal_members": list(employer_members(employer)),
        "portal_invitations": list(employer_pending_invitations(employer)),
        "portal_manage": manage,
        "portal_may_invite": manage and employer.partnership_status != PartnershipStatus.ENDED,
        "invite_form": form or InvitationForm(auto_id="invite_%s"),
        "portal_may_add_api_account": may_create_api_account(user, employer)
        and employer.partnership_status != PartnershipStatus.ENDED,
    }
