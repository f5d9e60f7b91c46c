"""Filters of the interview proposals list (the staff API): by referral and by status."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from jobs.models import InterviewProposal, ProposalStatus


class InterviewProposalFilterSet(django_filters.FilterSet):
    referral = django_filters.NumberFilter(field_name="referral_id", label=_("Referral"))
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("Status"))

    class Meta:
        model = InterviewProposal
        fields = ["referral", "status"]
