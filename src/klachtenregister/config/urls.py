"""URLs: the interface in Dutch at ``/``, in English at ``/en/``; admin and health unprefixed.

The error handlers render the back office's own 403/404/500 pages (views/errors.py).
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from klachtenregister.backoffice.views.start import health

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", include("klachtenregister.accounts.urls")),
        path("", include("klachtenregister.backoffice.urls")),
        path("", include("klachtenregister.reports.urls")),
        prefix_default_language=False,
    ),
]

handler403 = "klachtenregister.backoffice.views.errors.forbidden"
handler404 = "klachtenregister.backoffice.views.errors.not_found"
handler500 = "klachtenregister.backoffice.views.errors.server_error"
