"""The reports page of an organisation (coordinators, directors, managers): choose a duty and a
period, see the figures as tables and charts, download them as PDF, XLSX, CSV or JSON.

Views parse, call one selector of ``reports.page`` and render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from klachtenregister.backoffice.http import AuthenticatedHttpRequest
from klachtenregister.backoffice.views.common import page_context
from klachtenregister.reports import exports
from klachtenregister.reports.access import organisation_for_reports
from klachtenregister.reports.forms import ReportForm
from klachtenregister.reports.page import report_choices, report_page


@login_required
@require_safe
def reports(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for_reports(request.user, slug)
    request.session["organisation"] = organisation.slug
    choices = report_choices(organisation)
    data = request.GET if "period" in request.GET else {"period": choices.default_period}
    form = ReportForm(data, duties=choices.duty_choices, opdrachtgevers=choices.opdrachtgevers)
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
