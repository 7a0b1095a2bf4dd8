"""The AVG pages (docs/privacy.md), for coordinators and directors: who looked at a complaint,
one person's data as an export (AVG art. 15), and erasing a closed complaint's personal data on
request (AVG art. 17). Every look at a complaint, document or dossier is recorded by the views
that show them (``privacy.services.record_access``)."""

from __future__ import annotations

import shutil
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from klachtenregister.backoffice.forms.privacy import ErasureForm, PersonForm
from klachtenregister.backoffice.http import AuthenticatedHttpRequest
from klachtenregister.backoffice.views.common import language, page_context
from klachtenregister.privacy import export, selectors, services
from klachtenregister.register import access
from klachtenregister.register.errors import Forbidden
from klachtenregister.register.models import Organisation
from klachtenregister.register.selectors.people import people_of


def _keeper_organisation(request: AuthenticatedHttpRequest, slug: str) -> Organisation:
    organisation = access.organisation_for(request.user, slug)
    if not access.keeps_letters(request.user, organisation):
        raise Forbidden(
            _("Alleen de coördinator en de directeur zien wie welke klacht heeft ingezien.")
        )
    return organisation


@login_required
@require_safe
def access_log(request: AuthenticatedHttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = _keeper_organisation(request, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    return render(
        request,
        "backoffice/access_log.html",
        page_context(
            request,
            organisation,
            complaint=complaint,
            records=list(selectors.access_records(complaint)[:500]),
            erasure=selectors.erasure_of(complaint),
            form=ErasureForm(),
        ),
    )


@login_required
@require_POST
def erase(request: AuthenticatedHttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = _keeper_organisation(request, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    form = ErasureForm(request.POST)
    error, status = None, 400
    if form.is_valid():
        try:
            services.erase_complaint(complaint, request.user, form.cleaned_data["reason"])
        except services.NotErasable as exc:
            error, status = exc.message, 422
        else:
            messages.success(
                request,
                _("De persoonsgegevens van klacht %(reference)s zijn verwijderd.")
                % {"reference": complaint.reference},
            )
            return redirect("complaint_access_log", slug=organisation.slug, reference=reference)
    return render(
        request,
        "backoffice/access_log.html",
        page_context(
            request,
            organisation,
            complaint=complaint,
            records=list(selectors.access_records(complaint)[:500]),
            erasure=selectors.erasure_of(complaint),
            form=form,
            error=error,
        ),
        status=status,
    )


@login_required
@require_safe
def person_data(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse | FileResponse:
    organisation = _keeper_organisation(request, slug)
    form = PersonForm(request.GET if request.GET else None, people=people_of(organisation))
    found = None
    if form.is_valid():
        name, email = form.cleaned_data["name"], form.cleaned_data["email"]
        person = form.cleaned_data["person"]
        if "download" in request.GET:
            archive, covered = export.person_zip(
                organisation, name, email, timezone.now(), language(), person
            )
            who = " / ".join(filter(None, [person.name if person else "", name or email]))
            services.record_export(request.user, organisation, who, covered)
            spooled = tempfile.TemporaryFile()  # noqa: SIM115 handed to the response
            with archive:
                shutil.copyfileobj(archive, spooled)
            spooled.seek(0)
            response = FileResponse(
                spooled,
                as_attachment=True,
                filename=f"avg-inzage-{organisation.slug}.zip",
                content_type="application/zip",
            )
            response["Cache-Control"] = "no-store"
            return response
        found = export.found_for(organisation, name, email, person)
    return render(
        request,
        "backoffice/person_data.html",
        page_context(
            request,
            organisation,
            form=form,
            found=found,
            query=request.GET.urlencode(),
        ),
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
