"""The reports page of an organisation (coordinators, directors, managers): choose a duty and a
period, see the figures as tables and charts, download them as PDF, XLSX, CSV or JSON.

Views parse, call one selector of ``reports.page`` and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from klachtenregister.backoffice.http import AuthenticatedHttpRequest
from klachtenregister.backoffice.views.common import page_context, remember_organisation
from klachtenregister.reports import dashboard, exports, selectors, services
from klachtenregister.reports.access import organisation_for_dashboard, organisation_for_reports
from klachtenregister.reports.charts import bar_chart
from klachtenregister.reports.forms import MeasureResultForm, ReportForm, ReviewForm
from klachtenregister.reports.page import report_choices, report_page


@login_required
@require_safe
def reports(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for_reports(request.user, slug)
    remember_organisation(request, organisation)
    choices = report_choices(organisation)
    data = request.GET if "period" in request.GET else {"period": choices.default_period}
    form = ReportForm(
        data,
        duties=choices.duty_choices,
        opdrachtgevers=choices.opdrachtgevers,
        per_opdrachtgever=choices.per_opdrachtgever,
    )
    page = None
    if form.is_valid():
        page = report_page(
            request.user,
            organisation,
            form.cleaned_data["period"],
            form.cleaned_data["duty"],
            form.cleaned_data["opdrachtgever"],
        )
        fmt = form.cleaned_data["format"]
        if fmt:
            content = exports.render(page.report, fmt, organisation)
            response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
            disposition = "inline" if fmt == "json" else "attachment"
            response["Content-Disposition"] = (
                f'{disposition}; filename="{exports.filename(page.report, fmt)}"'
            )
            return response
    return render(
        request,
        "reports/reports.html",
        page_context(
            request,
            organisation,
            form=form,
            page=page,
            query=request.GET.urlencode() if form.is_valid() else "",
            **(page.context if page else {}),
            duty=page.duty if page else None,
            opdrachtgever=form.cleaned_data.get("opdrachtgever") if form.is_valid() else "",
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reviews(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Reviews of the regulation (Iskander's yearly check): the list, and a form to add one."""
    organisation = organisation_for_reports(request.user, slug)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(
                organisation, request.user, services.ReviewData(**form.cleaned_data)
            )
        except services.InvalidInput as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De toetsing is vastgelegd."))
            return redirect("reports_reviews", slug=organisation.slug)
    return render(
        request,
        "reports/reviews.html",
        page_context(request, organisation, form=form, reviews=selectors.reviews_of(organisation)),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def measures(
    request: AuthenticatedHttpRequest, slug: str, event_id: int | None = None
) -> HttpResponse:
    """The measures recorded in the complaints, each with its follow-up (carried out, effect,
    the complainant's satisfaction)."""
    organisation = organisation_for_reports(request.user, slug)
    error_for, bound = None, None
    if request.method == "POST" and event_id is not None:
        bound = MeasureResultForm(request.POST, prefix=f"m{event_id}")
        if bound.is_valid():
            try:
                services.record_measure_result(
                    organisation,
                    request.user,
                    event_id,
                    services.MeasureResultData(**bound.cleaned_data),
                )
            except services.InvalidInput as exc:
                bound.add_error(None, str(exc))
            else:
                messages.success(request, _("Het resultaat van de maatregel is vastgelegd."))
                return redirect("reports_measures", slug=organisation.slug)
        error_for = event_id
    rows = [
        (
            row,
            bound
            if row.event_id == error_for
            else MeasureResultForm(
                prefix=f"m{row.event_id}",
                initial={
                    "carried_out_on": row.result.carried_out_on,
                    "effect": row.result.effect,
                    "satisfaction": row.result.satisfaction,
                }
                if row.result
                else None,
            ),
        )
        for row in selectors.measures_of(organisation)
    ]
    return render(request, "reports/measures.html", page_context(request, organisation, rows=rows))


@login_required
@require_safe
def dashboard_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The coordinator's and director's overview of the organisation."""
    organisation = organisation_for_dashboard(request.user, slug)
    remember_organisation(request, organisation)
    overview = dashboard.dashboard(organisation)
    return render(
        request,
        "reports/dashboard.html",
        page_context(
            request,
            organisation,
            dashboard=overview,
            per_month_chart=bar_chart(overview.per_month),
        ),
    )
