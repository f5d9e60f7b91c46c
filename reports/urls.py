"""Report, export and research-export pages at /reports/; the case summary under the applicant."""

from __future__ import annotations

from django.urls import path  # noqa: F401 - the routes follow

urlpatterns: list = []
