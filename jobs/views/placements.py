"""Placement pages: the list, the follow-ups due, and recording a follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework.typing import AuthenticatedRequest
from jobs.filtersets.referrals import PlacementFilterSet
from jobs.forms.referrals import FollowUpForm
from jobs.models import FollowUp, Placement
from jobs.selectors.placements import follow_ups_due, newest_starts_first, placements_for_list
from jobs.services.placements import follow_up_record
from jobs.views.base import PAGE_SIZE, jobs_staff, safe_next, write


@jobs_staff
def placement_list(request: AuthenticatedRequest) -> HttpResponse:
    base = newest_starts_first(placements_for_list(user=request.user), user=request.user)
    filterset = PlacementFilterSet(request.GET, queryset=base, request=request)
    filterset.form.label_suffix = ""
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/placement_list.html", {"page": page, "filter_form": filterset.form})


@jobs_staff
def follow_up_list(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(follow_ups_due(user=request.user, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    editable = set(
        Placement.objects.editable_by(request.user)
        .filter(pk__in=[f.placement_id for f in page])
        .values_list("pk", flat=True)
    )
    return render(request, "jobs/follow_up_list.html", {"page": page, "today": today, "editable": editable})


@jobs_staff
@require_http_methods(["GET", "POST"])
def follow_up_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.visible_to(request.user).select_related(
            "placement", "placement__applicant", "placement__opening", "placement__opening__employer"
        ),
        pk=pk,
    )
    placement = get_object_or_404(Placement.objects.editable_by(request.user), pk=follow_up.placement_id)
    initial = {
        "month": follow_up.month,
        "outcome": follow_up.outcome,
        "leaving_reason": follow_up.leaving_reason,
        "reported_by": follow_up.reported_by or "caseworker",
        "note": follow_up.note,
    }
    form = FollowUpForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: follow_up_record(
                by=request.user, placement=placement, month=follow_up.month, data=form.service_data()
            ),
        )
        if saved is not None:
            messages.success(request, _("Follow-up recorded."))
            return redirect(safe_next(request, reverse("jobs:follow_up_list")))
    return render(request, "jobs/follow_up_form.html", {"form": form, "follow_up": follow_up})
