"""The error pages: 403, 404 and 500 in the interface language, with the menu; never the debug page.

Django's own handlers would render bare ``403.html``/``404.html``/``500.html``; these render the
back office's layout, with the message of the refusal where there is one (the register's
``Forbidden``/``NotFound`` say why). The 500 page is rendered without touching the database
first and falls back to a page without the menu when even that fails (the database may be the
reason for the error).
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

from klachtenregister.backoffice.views.common import language_links

logger = logging.getLogger(__name__)


def _message(exception: Exception | None) -> str:
    # Only the register's own messages are shown: those are written for the user. Django's
    # resolver message of a 404 ("Resolver404 ...") lists URL patterns and is not.
    if exception is None or not exception.args:
        return ""
    text = exception.args[0]
    return text if isinstance(text, str) else ""


def _render(request: HttpRequest, status: int, title: str, text: str, detail: str) -> HttpResponse:
    context = {
        "status": status,
        "title": title,
        "text": text,
        "detail": detail,
        "language_links": language_links(request),
    }
    return HttpResponse(
        loader.render_to_string("backoffice/error.html", context, request), status=status
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(
        request,
        403,
        _("Geen toegang"),
        _("U mag deze pagina niet zien of deze handeling niet uitvoeren."),
        _message(exception),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token (an old tab, cookies refused): say what to do,
    not Django's technical page."""
    return _render(
        request,
        403,
        _("Formulier verlopen"),
        _(
            "Het formulier kon niet worden verwerkt: het is verlopen of uw browser weigert "
            "cookies. Laad de pagina opnieuw en probeer het nog eens."
        ),
        "",
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = _message(exception)
    # Django's own "No ... matches the given query" names a model: not for users.
    if "matches the given query" in detail:
        detail = ""
    return _render(
        request,
        404,
        _("Pagina niet gevonden"),
        _("Deze pagina bestaat niet (meer), of het adres is niet goed overgenomen."),
        detail,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    title = _("Er ging iets mis")
    text = _(
        "Er ging aan onze kant iets mis; er is niets half opgeslagen. Probeer het later opnieuw. "
        "Blijft het misgaan, meld dan het tijdstip aan de beheerder."
    )
    try:
        return _render(request, 500, title, text, "")
    except Exception:  # the layout needs the session or the database; say it without them
        logger.exception("the 500 page could not be rendered with the menu")
        body = loader.render_to_string(
            "backoffice/error_plain.html", {"status": 500, "title": title, "text": text}
        )
        return HttpResponse(body, status=500)


def history_not_replayable(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A complaint whose stored log the engine no longer accepts (a rule of a later release, a
    bug): say so, log the reason for the administrator, and show no traceback."""
    logger.error("a stored history does not replay: %s", exception)
    return _render(
        request,
        409,
        _("Deze klacht kan nu niet worden getoond"),
        _(
            "Het logboek van deze klacht past niet bij de regels waarmee het register het "
            "naspeelt; er is niets gewijzigd. Meld het klachtnummer uit het adres aan de "
            "beheerder: die ziet in het logboek van de server welke stap en welke regel het is."
        ),
        "",
    )
