"""Accounts' pages; ``config.urls`` serves them in Dutch at ``/`` and in English at ``/en/``.
The URL names ``login`` and ``logout`` are the ones Django's settings and every page use."""

from django.urls import path

from klachtenregister.accounts import views

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("inloggen/code/", views.two_factor_verify, name="two_factor_verify"),
    path("account/", views.account, name="account"),
    path("account/tweestapsverificatie/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "account/tweestapsverificatie/herstelcodes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "account/tweestapsverificatie/uitzetten/",
        views.two_factor_remove,
        name="two_factor_remove",
    ),
    path("account/wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verzonden/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
