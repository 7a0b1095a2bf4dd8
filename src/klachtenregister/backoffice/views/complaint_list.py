"""All complaints (Klachten): search, filters and order in the URL; the result as CSV or XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from klachtenregister.backoffice import export
from klachtenregister.backoffice.http import AuthenticatedHttpRequest
from klachtenregister.backoffice.views.common import page_context, remember_organisation
from klachtenregister.lifecycle.states import STATE_LABELS
from klachtenregister.privacy import services as privacy
from klachtenregister.register import access, clock
from klachtenregister.register.models import Complaint, ComplaintDeadline, Organisation
from klachtenregister.register.models.complaints import CHANNEL_CHOICES
from klachtenregister.register.selectors import complaint_list as selector
from klachtenregister.register.selectors import people
from klachtenregister.regulations.labels import DEADLINE_KIND_LABELS, OUTCOME_LABELS

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The columns of the table, with the sort key of those that sort.
COLUMNS = [
    ("reference", gettext_lazy("Klachtnummer")),
    ("received_on", gettext_lazy("Ontvangen op")),
    ("complainant_name", gettext_lazy("Klager")),
    ("state", gettext_lazy("Stand")),
    ("", gettext_lazy("Behandelaar")),
    ("", gettext_lazy("Categorie")),
    ("", gettext_lazy("Uitkomst")),
    ("next_due", gettext_lazy("Eerstvolgende termijn")),
]


@dataclass(frozen=True)
class Row:
    complaint: Complaint
    handlers: list[str]
    outcome: str
    deadline: ComplaintDeadline | None
    # Worked out here rather than in the template: a {% url %} and get_state_display per row
    # were a third of the page's time at 50 rows (docs/performance.md).
    url: str
    state: str
    category: str  # as the regulation names it


@dataclass(frozen=True)
class Heading:
    label: str
    link: str
    sort: str  # "ascending", "descending" or "" (aria-sort)


@login_required
@require_safe
def complaint_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    organisation = access.organisation_for(request.user, slug)
    remember_organisation(request, organisation)
    query = selector.ComplaintQuery.from_params(request.GET)
    wanted = request.GET.get("format", "")
    if wanted in ("csv", "xlsx"):
        return _export(request, organisation, query, wanted)
    complaints = selector.search_complaints(request.user, organisation, query)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    # Every complaint's address is this one with its own reference.
    url = reverse("complaint", args=(organisation.slug, "_")).removesuffix("_/")
    states = {state.value: _(label) for state, label in STATE_LABELS.items()}
    categories = selector.category_labels(organisation)
    rows = [
        Row(
            complaint,
            selector.handler_names(complaint),
            _(OUTCOME_LABELS[complaint.outcome]) if complaint.outcome else "",
            selector.next_deadline(complaint),
            f"{url}{quote(complaint.reference, safe='')}/",
            states.get(complaint.state, complaint.state),
            categories.get(complaint.category, complaint.category),
        )
        for complaint in page.object_list
    ]
    context = page_context(
        request,
        organisation,
        page=page,
        rows=rows,
        filters=query,
        problems=[*query.problems, *([_("Onbekende export genegeerd.")] if wanted else [])],
        headings=_headings(query),
        query=urlencode(query.params()),
        state_choices=[(s.value, label) for s, label in STATE_LABELS.items()],
        channel_choices=CHANNEL_CHOICES,
        outcome_choices=[(o, OUTCOME_LABELS[o]) for o in selector.DECISION_OUTCOMES],
        kind_choices=[(k.value, label) for k, label in DEADLINE_KIND_LABELS.items()],
        handler_choices=people.handlers(organisation),
        **selector.choices(organisation, categories),
    )
    template = (
        "backoffice/complaint_list_table.html" if request.htmx else "backoffice/complaint_list.html"
    )
    return render(request, template, context)


def _headings(query: selector.ComplaintQuery) -> list[Heading]:
    headings = []
    for column, label in COLUMNS:
        if not column:
            headings.append(Heading(str(label), "", ""))
            continue
        current = query.sort.removeprefix("-") == column
        sort = ("descending" if query.sort.startswith("-") else "ascending") if current else ""
        link = "?" + urlencode(query.sorted_by(column).params())
        headings.append(Heading(str(label), link, sort))
    return headings


def _export(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    query: selector.ComplaintQuery,
    wanted: str,
) -> HttpResponseBase:
    """The whole result (every page) as a file; the complainant's name and e-mail address only
    for coordinators and directors (``selector.export_table``)."""
    table = selector.export_table(request.user, organisation, query)
    name = f"klachten-{organisation.slug}-{clock.today().isoformat()}"
    if wanted == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            export.csv_lines(table.headings, table.rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            export.xlsx_bytes(_("Klachten"), table.headings, table.rows), content_type=XLSX
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{wanted}"'
    if selector.sees_personal_data(request.user, organisation):
        # An export with names is a look at personal data (docs/privacy.md, access log).
        detail = f"{_('klachtenlijst')} ({wanted}) {request.GET.urlencode()}"
        privacy.record_access(request.user, organisation, "export", detail=detail)
    return response
