"""URLs of the partner portal."""

from django.urls import path

from jobs import views

urlpatterns = [
    path("", views.partner_home, name="partner_home"),
]
