"""The project's URLs plus the outbox page's, for the tests until urls.py has them.

urls.py is not this change's to edit: it gets the lines below (see the report). Once it has a
route named "outbox", this module is the project's URLs unchanged.
"""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, path

from klachtenregister.web import urls
from klachtenregister.web.views import outbox

OUTBOX = "o/<slug:slug>/uitgaande-post/"


def _names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


urlpatterns = list(urls.urlpatterns)
if "outbox" not in _names(urlpatterns):
    urlpatterns += i18n_patterns(
        path(OUTBOX, outbox.outbox_list, name="outbox"),
        path(f"{OUTBOX}<int:pk>/", outbox.outbox_message, name="outbox_message"),
        path(f"{OUTBOX}<int:pk>/opnieuw/", outbox.outbox_resend, name="outbox_resend"),
        path(
            f"{OUTBOX}<int:pk>/afgeleverd/",
            outbox.outbox_mark_delivered,
            name="outbox_mark_delivered",
        ),
        prefix_default_language=False,
    )
