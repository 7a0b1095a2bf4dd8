"""Middleware of the back office.

``RegisterErrorMiddleware``: the register's refusals as HTTP: what is not there is a 404, what is
not allowed a 403. ``register`` raises ``NotFound`` and ``Forbidden`` without knowing about HTTP;
the back office answers them with Django's own 404 and 403 responses, message included.

``NoStoreMiddleware``: nothing the application itself answers is kept in a browser's or a
proxy's cache (issue 16 §1).

``RememberPerRequestMiddleware``: who the user is in which organisation, the organisation's
members and its own wordings are read once per request (``register.memo``), not once per
question a page asks.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

from klachtenregister.backoffice.views.errors import history_not_replayable
from klachtenregister.register import memo
from klachtenregister.register.errors import CorruptHistory, Forbidden, NotFound


class RegisterErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.message))
        if isinstance(exception, Forbidden):
            return response_for_exception(request, PermissionDenied(exception.message))
        if isinstance(exception, CorruptHistory):
            return history_not_replayable(request, exception)
        return None


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response of the application.

    Pages, PDFs, exports and documents all carry complainants' and employees' personal data, or
    depend on who is logged in; a shared computer's cache or a proxy must keep none of it. Static
    files never get here: WhiteNoise answers them before this middleware, with its own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response


# Room for the form's other fields and the multipart framing beside the files.
REQUEST_SLACK = 2 * 1024 * 1024


class RequestSizeMiddleware:
    """Refuse a request whose body is far larger than the upload limit, before reading it.

    The forms check each file and the files together and say which one is too big; this stops
    a body that no form would accept (150 MB) from being read and written to disk first. It
    answers 413 with the same message the forms give.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = int(settings.UPLOAD_MAX_REQUEST_SIZE) + REQUEST_SLACK
        if length > limit:
            megabytes = settings.UPLOAD_MAX_REQUEST_SIZE / (1024 * 1024)
            text = _("De bestanden zijn samen te groot: ten hoogste %(max)s per keer.") % {
                "max": f"{megabytes:.0f} MB"
            }
            body = loader.render_to_string(
                "backoffice/error.html",
                {"status": 413, "title": _("Te groot"), "text": text, "detail": ""},
                request,
            )
            return HttpResponse(body, status=413)
        return self.get_response(request)


class RememberPerRequestMiddleware:
    """Reads remembered for the request (the second factor's check and the page share the
    user's memberships); the next request reads them again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with memo.per_request():
            return self.get_response(request)
