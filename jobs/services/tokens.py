"""API tokens for an employer's integrations: a service account that is a portal user of one employer.

An administrator of the employer's organisation creates it (casework's service_account_create: role
employer, a DRF token, no password, no web sign-in) and this module makes it a member of the employer, so
the partner API treats it like any of the employer's portal users: its own employer's openings and
referrals, another employer's a 404, the staff API a 403, read-only while the partnership is paused.
The token is returned once; rotating it (casework's service accounts page) revokes the old one.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.audit import record_change
from casework.models import User
from casework.roles import Role
from casework.services.accounts import service_account_create
from jobs.models import Employer, EmployerMembership, MembershipRole, PartnershipStatus
from jobs.services.base import is_admin, require

USERNAME = re.compile(r"^[-a-zA-Z0-9_]{1,150}$")


def may_create_api_account(by: User, employer: Employer) -> bool:
    return bool(by.is_active and is_admin(by) and by.organisation_id == employer.organisation_id)


@transaction.atomic
def employer_api_account_create(*, by: User, employer: Employer, username: str) -> tuple[User, str]:
    """Create a service account for the employer's integrations; returns it and its token (shown once)."""
    require(may_create_api_account(by, employer))
    username = str(username or "").strip()
    if not username:
        raise ValidationError({"username": _("Give the service account a name.")})
    if not USERNAME.match(username):
        raise ValidationError(
            {"username": _("Use only letters, digits, hyphens and underscores (at most 150) in the name.")}
        )
    if employer.partnership_status == PartnershipStatus.ENDED:
        raise ValidationError(
            {"username": _("The partnership with this employer has ended: it cannot have an API account.")}
        )
    account, token = service_account_create(by=by, username=username, role=Role.EMPLOYER)
    record_change(actor=by, instance=account, before=None, after={"username": account.username})
    membership = EmployerMembership.objects.create(
        user=account, employer=employer, role=MembershipRole.MEMBER, invited_by=by
    )
    record_change(actor=by, instance=membership, before=None)
    return account, token
