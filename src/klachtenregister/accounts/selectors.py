"""Accounts' reads: who must use a second factor, and what a user has set up."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Exists
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from klachtenregister.register import access


def two_factor_required(user: User | AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` may not work without a second factor: when REQUIRE_TWO_FACTOR is on,
    superusers and whoever holds one of TWO_FACTOR_ROLES (coordinators and directors: they see
    every complaint of their organisation) in any organisation."""
    if not settings.REQUIRE_TWO_FACTOR or not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    # The memberships the page reads as well (once per request).
    return any(
        kind.value in settings.TWO_FACTOR_ROLES
        for _organisation, kind in access.memberships_of(user)  # type: ignore[arg-type]
    )


def has_two_factor(user: User | AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` has set up a second factor (an authenticator app, or recovery codes).

    django-otp's ``user_has_device`` asks each kind of device in turn; the middleware asks this
    on every request of a session without a code, so both kinds in one query."""
    if not user.is_authenticated:
        return False
    known = getattr(user, "has_second_factor", None)  # read with the session's user
    if known is not None:
        return bool(known)
    confirmed = {"user_id": user.pk, "confirmed": True}
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Exists(TOTPDevice.objects.filter(**confirmed))
            | Exists(StaticDevice.objects.filter(**confirmed))
        )
        .exists()
    )


def authenticator(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
