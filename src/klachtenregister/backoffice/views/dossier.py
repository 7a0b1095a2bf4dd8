"""A complaint's dossier as a PDF, and with its letters and attachments as a ZIP: for whoever may
see the complaint, after the same access check as the complaint page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.views.decorators.http import require_safe

from klachtenregister.backoffice.http import AuthenticatedHttpRequest
from klachtenregister.backoffice.views.common import language
from klachtenregister.correspondence.dossier import (
    Dossier,
    dossier_filename,
    dossier_of,
    dossier_pdf,
    dossier_zip,
)
from klachtenregister.privacy import services as privacy
from klachtenregister.register import access, clock


def _dossier(request: AuthenticatedHttpRequest, slug: str, reference: str) -> Dossier:
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    privacy.record_access(request.user, organisation, "dossier", complaint)
    return dossier_of(complaint, clock.today(), language())


@login_required
@require_safe
def dossier(request: AuthenticatedHttpRequest, slug: str, reference: str) -> HttpResponse:
    found = _dossier(request, slug, reference)
    response = HttpResponse(dossier_pdf(found), content_type="application/pdf")
    filename = dossier_filename(found.complaint, "pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def dossier_archive(request: AuthenticatedHttpRequest, slug: str, reference: str) -> FileResponse:
    found = _dossier(request, slug, reference)
    response = FileResponse(
        dossier_zip(found),
        as_attachment=True,
        filename=dossier_filename(found.complaint, "zip"),
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response
