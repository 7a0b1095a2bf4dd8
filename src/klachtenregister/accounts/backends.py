"""The lockout check in front of Django's password check (django-axes).

``AxesStandaloneBackend`` refuses every ``authenticate`` call without a request. A login over HTTP
always has one (the login page, the admin's); a call without one (``manage.py shell``, the test
client's ``login``) has no client to throttle, so it is let through to the password check rather
than failing with an exception.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


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
