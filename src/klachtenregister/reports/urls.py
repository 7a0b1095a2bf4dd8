"""The reports pages, under an organisation like the back office's pages."""

from django.urls import path

from klachtenregister.reports import views

urlpatterns = [
    path("o/<slug:slug>/rapportages/", views.reports, name="reports"),
]
