"""Partner portal pages for employer users."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from casework.access import role_required
from casework.roles import Role


@role_required(Role.EMPLOYER)
def partner_home(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/partner_home.html", {})
