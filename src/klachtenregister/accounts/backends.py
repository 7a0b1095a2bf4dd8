"""The lockout check in front of Django's password check (django-axes), and the session's user
read with whether they have a second factor.

``AxesStandaloneBackend`` refuses every ``authenticate`` call without a request. A login over HTTP
always has one (the login page, the admin's); a call without one (``manage.py shell``, the test
client's ``login``) has no client to throttle, so it is let through to the password check rather
than failing with an exception.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]


class SessionUserBackend(ModelBackend):
    """Django's password check and session user, the user read with ``has_second_factor``: the
    second-factor middleware asks on every request of a session without a code whether the
    user has a device, which was a query of its own on every page."""

    def get_user(self, user_id: Any) -> User | None:
        confirmed = {"user_id": OuterRef("pk"), "confirmed": True}
        user = (
            User._default_manager.annotate(
                has_second_factor=Exists(TOTPDevice.objects.filter(**confirmed))
                | Exists(StaticDevice.objects.filter(**confirmed))
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
