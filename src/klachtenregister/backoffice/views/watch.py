"""Home, organisation switcher and the watch list (termijnbewaking)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from klachtenregister.backoffice.http import AuthenticatedHttpRequest
from klachtenregister.backoffice.pagination import CappedPaginator
from klachtenregister.backoffice.views.common import (
    language_links,
    page_context,
    remember_organisation,
)
from klachtenregister.lifecycle.states import STATE_LABELS
from klachtenregister.register import access, clock
from klachtenregister.register.selectors import people, watchlist
from klachtenregister.regulations.labels import DEADLINE_KIND_LABELS

PAGE_SIZE = 25


@login_required
@require_safe
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The start page of the chosen organisation (the switcher), else of the first one: the
    dashboard for its coordinators and directors, the watch list for everyone else."""
    organisations = list(access.organisations_of(request.user))
    by_slug = {o.slug: o for o in organisations}
    chosen = (
        by_slug.get(request.GET.get("organisation", ""))
        or by_slug.get(request.session.get("organisation", ""))
        or (organisations[0] if organisations else None)
    )
    if chosen is None:
        return render(
            request, "backoffice/no_organisation.html", {"language_links": language_links(request)}
        )
    if access.sees_dashboard(request.user, chosen):
        return redirect("dashboard", slug=chosen.slug)
    return redirect("watchlist", slug=chosen.slug)


HANDLER_ID = re.compile(r"[0-9]{1,15}")


def _filters(request: AuthenticatedHttpRequest) -> watchlist.Filters:
    handler = request.GET.get("handler", "")
    return watchlist.Filters(
        state=request.GET.get("state", "") if request.GET.get("state") in STATE_LABELS else "",
        # ASCII digits only ("¹".isdigit() is true, int("¹") fails), and a number that fits.
        handler=int(handler) if HANDLER_ID.fullmatch(handler) else None,
        kind=request.GET.get("kind", "") if request.GET.get("kind") in DEADLINE_KIND_LABELS else "",
    )


@login_required
@require_safe
def watch(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = access.organisation_for(request.user, slug)
    remember_organisation(request, organisation)
    filters = _filters(request)
    today = clock.today()
    complaints = watchlist.open_complaints(request.user, organisation, filters)
    page = CappedPaginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = page_context(
        request,
        organisation,
        today=today,
        page=page,
        rows=watchlist.rows(list(page.object_list), filters, today, request.user),
        filters=filters,
        state_choices=[(s.value, label) for s, label in STATE_LABELS.items()],
        kind_choices=[(k.value, label) for k, label in DEADLINE_KIND_LABELS.items()],
        handler_choices=people.handlers(organisation),
        query=query.urlencode(),
    )
    template = "backoffice/watchlist_table.html" if request.htmx else "backoffice/watchlist.html"
    return render(request, template, context)
