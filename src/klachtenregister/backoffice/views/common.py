"""What every back-office page shows: the organisation switcher and the language links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from klachtenregister.backoffice.views.start import language_links
from klachtenregister.register import access
from klachtenregister.register.models import Organisation


def language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def page_context(request: HttpRequest, organisation: Organisation, **extra: Any) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "organisations": list(access.organisations_of(request.user)),
        "language_links": language_links(request),
        "keeps_letters": access.keeps_letters(request.user, organisation),
        **extra,
    }
