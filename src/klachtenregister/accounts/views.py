"""Accounts' pages: logging in and out, the page shown while a login is locked out, the account
page, changing one's password and resetting a forgotten one by e-mail (through the outbox)."""

from __future__ import annotations

import logging
import math
from base64 import b32encode
from typing import Any

import segno
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from klachtenregister.accounts import selectors, services
from klachtenregister.accounts.forms import CodeForm, OutboxPasswordResetForm

logger = logging.getLogger("klachtenregister.accounts")


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required`` (a name for the type checker)."""

    user: User


def language_links(request: HttpRequest) -> list[dict[str, object]]:
    """This page in each interface language, for the language switcher in the page header."""
    current = "en" if (get_language() or "nl").startswith("en") else "nl"
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


class LanguageLinksMixin:
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["language_links"] = language_links(self.request)
        return context


class LoginView(LanguageLinksMixin, auth_views.LoginView):
    template_name = "accounts/login.html"


class LogoutView(auth_views.LogoutView):
    pass


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a login while locked out (``AXES_LOCKOUT_CALLABLE``): the login
    page with a message saying why and for how long, and 429 Too Many Requests."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "accounts/login.html",
        {
            "locked_out": True,
            "cool_off_minutes": minutes,
            "language_links": language_links(request),
        },
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's account: their name and e-mail address, their password and second factor."""
    return render(
        request,
        "accounts/account.html",
        {
            "language_links": language_links(request),
            "has_two_factor": selectors.has_two_factor(request.user),
            "two_factor_required": selectors.two_factor_required(request.user),
            "recovery_codes_left": selectors.recovery_codes_left(request.user),
        },
    )


def _next(request: HttpRequest) -> str:
    """Where to go after the second factor: ``next`` when it is on this site, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of a login: a code from the app, or a recovery code."""
    if request.user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.verify_second_factor(request.user, form.cleaned_data["code"])
        if result.device is not None:
            otp_login(request, result.device)
            if result.by_recovery_code:
                messages.warning(
                    request,
                    _(
                        "U bent ingelogd met een herstelcode; die werkt niet nog eens. "
                        "Nog %(left)s over: maak nieuwe aan op uw accountpagina."
                    )
                    % {"left": selectors.recovery_codes_left(request.user)},
                )
            return HttpResponseRedirect(_next(request))
        logger.warning("second factor refused: user %r", request.user.get_username())
        form.add_error(
            "code",
            _("Te veel onjuiste codes achter elkaar. Wacht even en probeer het opnieuw.")
            if result.throttled
            else _("Deze code klopt niet (of is al gebruikt)."),
        )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next(request), "language_links": language_links(request)},
    )


@login_required
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), enter a code from the
    app; then the recovery codes are shown, once."""
    if selectors.has_two_factor(request.user) and request.method == "GET":
        return HttpResponseRedirect(reverse("account"))
    device = services.start_authenticator(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_authenticator(request.user, device.pk, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            return _show_recovery_codes(request, codes)
        form.add_error("code", _("Deze code klopt niet. Kijk of de tijd op uw telefoon klopt."))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            # segno writes the SVG itself from the otpauth URL: nothing in it is user input.
            "qr_code": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next(request),
            "required": selectors.two_factor_required(request.user),
            "language_links": language_links(request),
        },
    )


@require_POST
@login_required
def two_factor_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), for a user verified with the app."""
    if not request.user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(reverse("two_factor_verify"))
    return _show_recovery_codes(request, services.new_recovery_codes(request.user))


def _show_recovery_codes(request: AuthenticatedHttpRequest, codes: list[str]) -> HttpResponse:
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": _next(request), "language_links": language_links(request)},
    )


@require_POST
@login_required
def two_factor_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn the second factor off, for a user to whom it is not required."""
    if selectors.two_factor_required(request.user):
        messages.error(request, _("Tweestapsverificatie is voor uw rol verplicht."))
    else:
        services.remove_second_factor(request.user)
        messages.success(request, _("Tweestapsverificatie staat uit."))
    return HttpResponseRedirect(reverse("account"))


class PasswordChangeView(LanguageLinksMixin, auth_views.PasswordChangeView):
    """Every logged-in user changes their own password (the old one first; Django's password
    validators judge the new one). The session stays logged in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Uw wachtwoord is gewijzigd."))
        return response


class PasswordResetView(LanguageLinksMixin, auth_views.PasswordResetView):
    """A link to set a new password, by e-mail through the outbox. The answer is the same
    whether the address is known or not, so the page tells nobody who has an account."""

    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(LanguageLinksMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(LanguageLinksMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        response = super().form_valid(form)
        services.end_lockout(form.user)
        return response


class PasswordResetCompleteView(LanguageLinksMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
