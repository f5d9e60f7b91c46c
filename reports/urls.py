"""Report, export and research-export pages at /reports/; the case summary under the applicant."""

from __future__ import annotations

from django.urls import path

from reports.views import exports

app_name = "reports"

urlpatterns: list = [
    # Exports of every list (views/exports.py): the file at once, or a background export and its page
    path("exports/job/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/job/<int:pk>/progress/", exports.export_progress, name="export_progress"),
    path("exports/job/<int:pk>/download/", exports.export_download, name="export_download"),
    path("exports/<slug:table_key>/", exports.export_start, name="export_start"),
]
