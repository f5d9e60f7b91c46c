"""The door to a learner: people whose learning data a user may read (trainers their own learners,
staff the people whose case they may change).
"""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from casework.models import Applicant
from learning.models import (
    learner_condition,
    signed_in,
)


def learners_visible(*, user) -> QuerySet[Applicant]:
    """People whose learning data the user may read: administrators the organisation's, caseworkers
    and supervisors the people they may change, trainers the learners of their courses."""
    if not signed_in(user):
        return Applicant.objects.none()
    rows = Applicant.objects.filter(organisation_id=user.organisation_id)
    condition = learner_condition(user, "pk")
    return rows if condition is None else rows.filter(condition)


def may_see_learning(user, applicant: Applicant) -> bool:
    return learners_visible(user=user).filter(pk=applicant.pk).exists()
