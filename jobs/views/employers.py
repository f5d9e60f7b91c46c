"""Employer pages: the list, an employer's page (contacts, openings, placements, retention), the forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.typing import AuthenticatedRequest
from jobs.filtersets.employers import EmployerFilterSet
from jobs.forms.employers import ContactForm, EmployerForm
from jobs.models import Employer, EmployerContact
from jobs.selectors.employers import employer_contacts, employer_for_page, employers_for_list, retention
from jobs.selectors.openings import openings_for_list
from jobs.selectors.placements import placements_for_list
from jobs.services import employers as services
from jobs.ui.portal_users import portal_users_context
from jobs.views.base import PAGE_SIZE, jobs_staff, write


@jobs_staff
def employer_list(request: AuthenticatedRequest) -> HttpResponse:
    base = employers_for_list(user=request.user)
    filterset = EmployerFilterSet(request.GET, queryset=base, request=request)
    filterset.form.label_suffix = ""
    queryset = filterset.qs if filterset.is_valid() else base.none()
    if not request.GET.get("sort"):
        queryset = queryset.order_by("name", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/employer_list.html", {"page": page, "filter_form": filterset.form})


def _employer(request: AuthenticatedRequest, pk: int) -> Employer:
    employer = employer_for_page(user=request.user, pk=pk)
    if employer is None:
        raise Http404
    return employer


def _can_edit(request: AuthenticatedRequest, employer: Employer) -> bool:
    return Employer.objects.editable_by(request.user).filter(pk=employer.pk).exists()


@jobs_staff
def employer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    employer = _employer(request, pk)
    figures = retention(employer=employer)
    return render(
        request,
        "jobs/employer_detail.html",
        {
            "employer": employer,
            "can_edit": _can_edit(request, employer),
            "contacts": employer_contacts(employer),
            "openings": list(
                openings_for_list(user=user).filter(employer=employer).order_by("-start_date")[:50]
            ),
            "placements": list(
                placements_for_list(user=user).filter(opening__employer=employer).order_by("-start_date")[:50]
            ),
            "retention": [(month, *figures.get(month, (0, 0))) for month in (1, 3, 6, 12)],
            **portal_users_context(user, employer),
        },
    )


@jobs_staff
@require_http_methods(["GET", "POST"])
def employer_add(request: AuthenticatedRequest) -> HttpResponse:
    form = EmployerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        employer = write(form, lambda: services.employer_create(by=request.user, data=form.service_data()))
        if employer is not None:
            messages.success(request, _("Employer added."))
            return redirect("jobs:employer_detail", employer.pk)
    return render(request, "jobs/employer_form.html", {"form": form, "employer": None})


@jobs_staff
@require_http_methods(["GET", "POST"])
def employer_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer.objects.editable_by(request.user), pk=pk)
    initial = {key: getattr(employer, key) for key in services.EMPLOYER_FIELDS}
    form = EmployerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services.employer_update(by=request.user, employer=employer, data=form.service_data()),
        )
        if saved is not None:
            messages.success(request, _("Employer saved."))
            return redirect("jobs:employer_detail", employer.pk)
    return render(request, "jobs/employer_form.html", {"form": form, "employer": employer})


@jobs_staff
@require_http_methods(["GET", "POST"])
def contact_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer.objects.editable_by(request.user), pk=pk)
    return _contact_form(request, employer, None)


@jobs_staff
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        EmployerContact.objects.filter(employer__in=Employer.objects.editable_by(request.user)), pk=pk
    )
    return _contact_form(request, contact.employer, contact)


def _contact_form(request: AuthenticatedRequest, employer: Employer, contact: EmployerContact | None):
    initial = {key: getattr(contact, key) for key in services.CONTACT_FIELDS} if contact else None
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services.employer_contact_save(
                by=request.user, employer=employer, data=form.service_data(), contact=contact
            ),
        )
        if saved is not None:
            messages.success(request, _("Contact saved."))
            return redirect("jobs:employer_detail", employer.pk)
    return render(request, "jobs/contact_form.html", {"form": form, "employer": employer, "contact": contact})


@jobs_staff
@require_POST
def contact_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        EmployerContact.objects.filter(employer__in=Employer.objects.editable_by(request.user)), pk=pk
    )
    employer_id = contact.employer_id
    services.employer_contact_delete(by=request.user, contact=contact)
    messages.success(request, _("Contact removed."))
    return redirect(reverse("jobs:employer_detail", args=[employer_id]))
