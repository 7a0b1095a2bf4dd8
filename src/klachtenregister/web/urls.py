"""URLs: the interface in Dutch at ``/``, in English at ``/en/``; admin and health unprefixed."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path

from klachtenregister.web import views

urlpatterns = [
    path("health", views.health, name="health"),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", views.start, name="start"),
        prefix_default_language=False,
    ),
]
