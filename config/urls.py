"""Root URLs: pages, the partner portal, the API and the Django admin (/healthz is middleware)."""

from django.contrib import admin
from django.urls import include, path

from casework.views.accounts import admin_sign_in
from jobs.urls import partner_urlpatterns

admin.site.site_header = "Tobira"
admin.site.site_title = "Tobira"

# 500 inside the app shell when it can be drawn (400, 403 and 404 use the templates of the same name).
handler500 = "casework.views.home.server_error"

urlpatterns = [
    # The admin signs in through our sign-in page, so two-factor and throttling apply there too.
    path("admin/login/", admin_sign_in, name="admin_sign_in"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
    path("partner/", include(partner_urlpatterns)),
    path("jobs/", include("jobs.urls")),
    path("learning/", include("learning.urls")),
    path("reports/", include("reports.urls")),
    path("", include("casework.urls")),
]
