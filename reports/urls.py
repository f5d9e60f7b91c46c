"""Report, export and research-export pages at /reports/; the case summary under the applicant."""

from __future__ import annotations

from django.urls import path

from reports.views import pages

app_name = "reports"

urlpatterns: list = [
    path("", pages.report_index, name="report_index"),
    path("<slug:key>/", pages.report_detail, name="report_detail"),
]
