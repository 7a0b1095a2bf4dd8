"""The reports pages, under an organisation like the back office's pages."""

from django.urls import path

from klachtenregister.reports import views

urlpatterns = [
    path("o/<slug:slug>/rapportages/", views.reports, name="reports"),
    path("o/<slug:slug>/overzicht/", views.dashboard_page, name="dashboard"),
    path("o/<slug:slug>/rapportages/toetsingen/", views.reviews, name="reports_reviews"),
    path("o/<slug:slug>/rapportages/maatregelen/", views.measures, name="reports_measures"),
    path(
        "o/<slug:slug>/rapportages/maatregelen/<int:event_id>/",
        views.measures,
        name="reports_measure_result",
    ),
]
