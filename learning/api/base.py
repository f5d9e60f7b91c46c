"""What learning's API shares: the permission, the viewset base (a course or a learner or 404), the learner
as reference code and name, and service errors with the API's field names.

- Every queryset starts from ``visible_to(request.user)`` (or a learning selector that does): what a
  user may not see is a 404, lists hold only what they may see. Employer users see nothing here.
- Every write calls one service of learning.services inside ``service_errors()``: its ValidationError
  is a 400 naming the field with the page's message, PermissionDenied a 403; nothing is half-written.
- A learner appears as reference code and name only, whoever asks (trainers may read no more).
- Lists run a fixed number of queries whatever the page size (select_related / prefetch / annotate).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS

from casework.api.base import CaseRecordViewSet
from casework.api.errors import service_errors
from casework.api.permissions import IsAuthenticatedMember
from casework.models import Applicant
from casework.roles import STAFF_ROLES
from learning.models import (
    Course,
    Enrollment,
)

REFERENCE_HELP = _("The learner's reference code.")


class LearnerSerializer(serializers.Serializer):
    """A learner as everyone in learning sees them: reference code and name, nothing of the case."""

    reference_code = serializers.CharField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


NO_COURSE = _("You have no access to a course with this id.")


NO_SESSION = _("You have no access to a session with this id.")


NO_LEARNER = _("You have no access to a person with this reference code.")


class LearningPermission(IsAuthenticatedMember):
    """Reads are filtered by visible_to(); writes need a staff role before any input is read (employer
    users get 403); for staff the service decides per record (403), visibility first (404)."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user.is_superuser or user.has_role(*STAFF_ROLES))


@contextmanager
def renamed_errors(names: dict[str, str]) -> Iterator[None]:
    """service_errors() with the service's field names mapped to the API's input names."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            error = DjangoValidationError(
                {names.get(field, field): errors for field, errors in error.error_dict.items()}
            )
        with service_errors():
            raise error from None


class LearningViewSet(CaseRecordViewSet):
    permission_classes = [LearningPermission]

    def course_or_404(self, pk: int) -> Course:
        course = Course.objects.visible_to(self.actor).filter(pk=pk).first()
        if course is None:
            raise NotFound(NO_COURSE)
        return course

    def learner_or_404(self, reference_code: str) -> Applicant:
        """A person the user may read: their caseload (Applicant.visible_to) or, for trainers, a learner
        of their courses (whom they reach through learning only)."""
        code = reference_code.strip().upper()
        user = self.actor
        applicant = (
            Applicant.objects.filter(reference_code=code, organisation_id=user.organisation_id)
            .filter(
                Q(pk__in=Applicant.objects.visible_to(user).values("pk"))
                | Q(pk__in=Enrollment.objects.visible_to(user).values("applicant_id"))
            )
            .first()
        )
        if applicant is None:
            raise NotFound(NO_LEARNER)
        return applicant
