"""Confirming the job-ready suggestion of the applicant page (learning registers the panel: it knows levels).

A POST from a staff member who may change the person sets the case stage to job_ready through casework's
applicant service, so the change history records `case_stage` → `job_ready`. A person the user cannot
see: 404; one they see but may not change (a teammate's shared case): 403. Trainers and employer users
are refused by the role check.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import services as casework_services
from casework.access import role_required
from casework.models import Applicant, CaseStage
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from learning.selectors.job_ready import job_ready_suggestion, may_confirm_job_ready

confirmers = role_required(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)


@confirmers
@require_POST
def job_ready_confirm(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    user = request.user
    applicant = get_object_or_404(Applicant.objects.visible_to(user), reference_code=reference_code)
    if not may_confirm_job_ready(user, applicant):
        raise PermissionDenied
    back = reverse("applicant_detail", kwargs={"reference_code": applicant.reference_code})
    if job_ready_suggestion(user=user, applicant=applicant) is None:
        messages.error(
            request,
            _(
                "%(name)s cannot be confirmed as job-ready: that needs an assessed Japanese level and a "
                "right to work today, and a case not yet job-ready, placed or closed."
            )
            % {"name": applicant.display_name},
        )
        return redirect(back)
    try:
        with transaction.atomic():
            casework_services.applicant_update(
                by=user,
                applicant=applicant,
                data={"case_stage": CaseStage.JOB_READY},
                expected_version=applicant.version,
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("%(name)s is now job-ready.") % {"name": applicant.display_name})
    return redirect(back)
