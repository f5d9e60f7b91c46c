"""Report, export and research-export pages at /reports/; the case summary under the applicant."""

from __future__ import annotations

from django.urls import path

from reports.views import exports, pages, research, summary

app_name = "reports"

urlpatterns: list = [
    # The printable one-page case summary (views/summary.py)
    path("applicants/<str:reference_code>/summary/", summary.applicant_summary, name="applicant_summary"),
    # The anonymised research export and its releases (views/research.py)
    path("research/", research.research_export, name="research_export"),
    path("research/releases/", research.research_release_list, name="research_release_list"),
    # Exports of every list (views/exports.py): the file at once, or a background export and its page
    path("exports/job/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/job/<int:pk>/progress/", exports.export_progress, name="export_progress"),
    path("exports/job/<int:pk>/download/", exports.export_download, name="export_download"),
    path("exports/<slug:table_key>/", exports.export_start, name="export_start"),
    path("", pages.report_index, name="report_index"),
    path("<slug:key>/", pages.report_detail, name="report_detail"),
]
