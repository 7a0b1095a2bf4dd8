"""URLs: the interface in Dutch at ``/``, in English at ``/en/``; admin and health unprefixed."""

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
