"""The second factor, enforced: a logged-in user who has not entered a code in this session
reaches only the page that asks for it (or, if they must have a second factor and have none yet,
the page that sets it up) and the logout.

After ``django_otp.middleware.OTPMiddleware``, which tells whether the session was verified.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from klachtenregister.accounts.selectors import has_two_factor, two_factor_required

# Pages a user with an app may see before entering a code, and one who must set one up.
WHILE_VERIFYING = {"two_factor_verify", "logout", "health"}
WHILE_SETTING_UP = {"two_factor_setup", "two_factor_recovery_codes", "logout", "health"}


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():  # type: ignore[union-attr,attr-defined]
            redirect = self._second_factor_first(request)
            if redirect is not None:
                return redirect
        return self.get_response(request)

    def _second_factor_first(self, request: HttpRequest) -> HttpResponse | None:
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            return None  # a 404 tells nothing
        if has_two_factor(request.user):
            if name in WHILE_VERIFYING:
                return None
            target = "two_factor_verify"
        elif two_factor_required(request.user):
            if name in WHILE_SETTING_UP:
                return None
            target = "two_factor_setup"
        else:
            return None
        after = request.get_full_path() if request.method == "GET" else ""
        query = f"?{urlencode({'next': after})}" if after else ""
        return HttpResponseRedirect(reverse(target) + query)
