"""Accounts' writes: the password-reset mail into the outbox, the end of a lockout, the second
factor (an authenticator app, TOTP, and recovery codes, django-otp's static tokens)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from axes.utils import reset as reset_axes
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import PASSWORD_RESET
from klachtenregister.correspondence.outbox import queue_message
from klachtenregister.register.models.people import person_name

logger = logging.getLogger("klachtenregister.accounts")


# At most one reset mail per address in this time: the form asks for no login, so without it
# anyone could fill a user's mailbox.
RESET_MAIL_INTERVAL = dt.timedelta(minutes=5)


def queue_password_reset(user: User, to_address: str, subject: str, body: str) -> bool:
    """Put a password-reset mail in the outbox; the worker delivers it like every other mail.
    False (nothing queued) when the address got one less than RESET_MAIL_INTERVAL ago.

    Every request is a message of its own (a fresh key): asking twice sends two links, each
    valid until the password changes or PASSWORD_RESET_TIMEOUT runs out."""
    recent = OutboxMessage.objects.filter(
        kind=PASSWORD_RESET,
        to_address__iexact=to_address,
        created_at__gte=timezone.now() - RESET_MAIL_INTERVAL,
    )
    if recent.exists():
        logger.info("password reset: a mail to user %r went out just now", user.get_username())
        return False
    queue_message(
        organisation=None,
        kind=PASSWORD_RESET,
        key=f"password-reset:{user.pk}:{uuid.uuid4()}",
        to_address=to_address,
        to_name=person_name(user),
        subject=subject,
        body=body,
    )
    return True


def end_lockout(user: User) -> int:
    """Forget the failed logins of ``user`` (after a password reset: whoever reads the account's
    mail may log in again); how many records went."""
    return int(reset_axes(username=user.get_username()))


RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "authenticator-app"
RECOVERY_NAME = "herstelcodes"


def start_authenticator(user: User) -> TOTPDevice:
    """The secret for a new authenticator app: an unconfirmed device, kept until the user
    enters a code from it (the same one on every visit, so a reload keeps the QR code valid)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def confirm_authenticator(user: User, device_id: int, code: str) -> list[str] | None:
    """Confirm the new app with a code from it; then it is the user's only app, and they get
    fresh recovery codes (returned, shown once). None if the code is not right."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device_id, user=user, confirmed=False)
            .first()
        )
        if device is None or not device.verify_token(_normalised(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Ten new one-time recovery codes for when the app is lost; the old ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@dataclass(frozen=True)
class Verification:
    device: Device | None
    throttled: bool = False

    @property
    def by_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def verify_second_factor(user: User, code: str) -> Verification:
    """Check a code from the app (six digits) or a recovery code (used up by this). Each device
    slows down repeated wrong codes itself (django-otp's throttling: 1, 2, 4 ... seconds)."""
    code = _normalised(code)
    kind: type[Device] = TOTPDevice if code.isdigit() else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in kind.objects.filter(user=user, confirmed=True).select_for_update():
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(code):
                return Verification(device)
    return Verification(None, throttled=throttled)


def remove_second_factor(user: User) -> None:
    """Remove the app and the recovery codes (only offered to whom no second factor is
    required)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()
