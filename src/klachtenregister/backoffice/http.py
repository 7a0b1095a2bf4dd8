"""The request a back-office view gets, for the type checker.

Django's ``HttpRequest.user`` is a ``User`` or an ``AnonymousUser``; behind ``login_required`` it
is always a ``User``, and django-htmx's middleware adds ``htmx``. The classes only name those
types (the recipes of django-stubs and django-htmx): at run time a view still gets Django's own
request object.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """The request of a view behind ``login_required``."""

    user: User
