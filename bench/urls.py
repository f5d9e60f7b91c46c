"""Tobira's URLs with the floor under /bench-floor/ (bench settings only)."""

from django.urls import include, path

from bench import floor

urlpatterns = [
    path("bench-floor/constant/", floor.constant, name="bench_floor_constant"),
    path("bench-floor/<str:model>/", floor.ModelFloor.as_view(), name="bench_floor_list"),
    path("", include("config.urls")),
]
