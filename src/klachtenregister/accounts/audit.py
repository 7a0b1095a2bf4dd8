"""Failed logins and lockouts in the application log (django-axes keeps its own records too:
``AccessAttempt``, ``AccessFailureLog``). Never the password: Django's signal carries the
credentials with the password already masked, and only the user name is logged."""

from __future__ import annotations

import logging
from typing import Any

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

logger = logging.getLogger("klachtenregister.accounts")


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return "-"
    return str(getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or "-")


@receiver(user_login_failed, dispatch_uid="klachtenregister.accounts.login_failed")
def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    logger.warning(
        "login failed: user %r from %s",
        str(credentials.get("username", ""))[:150],
        _address(request),
    )


@receiver(user_locked_out, dispatch_uid="klachtenregister.accounts.locked_out")
def locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    logger.warning("login locked out: user %r from %s", (username or "")[:150], ip_address or "-")
