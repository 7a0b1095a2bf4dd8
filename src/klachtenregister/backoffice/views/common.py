"""What every back-office page shows: the organisation switcher and the language links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from klachtenregister.register import access
from klachtenregister.register.models import Organisation


def language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def language_links(request: HttpRequest) -> list[dict[str, object]]:
    """This page in each interface language, for the language switcher."""
    current = language()
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def remember_organisation(request: HttpRequest, organisation: Organisation) -> None:
    """The organisation the start page opens next time. Only when it changes: a session write
    is an UPDATE and a COMMIT, which every page view would otherwise pay."""
    if request.session.get("organisation") != organisation.slug:
        request.session["organisation"] = organisation.slug


def page_context(request: HttpRequest, organisation: Organisation, **extra: Any) -> dict[str, Any]:
    kinds = access.kinds_in(request.user, organisation)
    return {
        "organisation": organisation,
        "organisations": list(access.organisations_of(request.user)),
        "language_links": language_links(request),
        "keeps_letters": bool(kinds & access.LETTER_KEEPERS),
        "reads_reports": bool(kinds & access.REPORT_READERS),
        "sees_dashboard": bool(kinds & access.DASHBOARD_READERS),
        **extra,
    }
