"""Accounts' reads: who must use a second factor, and what a user has set up."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from klachtenregister.register.models import Membership


def two_factor_required(user: User | AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` may not work without a second factor: when REQUIRE_TWO_FACTOR is on,
    superusers and whoever holds one of TWO_FACTOR_ROLES (coordinators and directors: they see
    every complaint of their organisation) in any organisation."""
    if not settings.REQUIRE_TWO_FACTOR or not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return Membership.objects.filter(user_id=user.pk, kind__in=settings.TWO_FACTOR_ROLES).exists()


def has_two_factor(user: User | AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` has set up a second factor (an authenticator app)."""
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def authenticator(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
