"""The outbox page (uitgaande post): every e-mail the register sends, and the messages the
worker could not settle.

Coordinators and directors of the organisation see it (others of the organisation: 403; another
organisation: 404). A message IN_DOUBT (the worker sent the whole message but never heard that
it arrived, docs/architecture.md "Outbox") is never resent by itself: here it is resent with the
same Message-ID, or marked delivered once someone has checked that it arrived.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from klachtenregister.backoffice.http import AuthenticatedHttpRequest
from klachtenregister.backoffice.views.common import page_context, remember_organisation
from klachtenregister.correspondence import delivery, outbox, selectors
from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import IN_DOUBT, STATUS_CHOICES
from klachtenregister.register import access
from klachtenregister.register.models import Organisation

PAGE_SIZE = 50


def _organisation(request: AuthenticatedHttpRequest, slug: str) -> Organisation:
    organisation = access.organisation_for(request.user, slug)
    if not access.keeps_letters(request.user, organisation):
        raise PermissionDenied(
            _("Alleen coördinatoren en directeuren zien de uitgaande post van de organisatie.")
        )
    return organisation


def _message(
    request: AuthenticatedHttpRequest, organisation: Organisation, pk: int
) -> OutboxMessage:
    message = selectors.outbox_message(request.user, organisation, pk)
    if message is None:
        raise Http404
    return message


@login_required
@require_safe
def outbox_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    remember_organisation(request, organisation)
    status = request.GET.get("status", "")
    if status not in dict(STATUS_CHOICES):
        status = ""
    found = selectors.outbox_messages(request.user, organisation, status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = page_context(
        request,
        organisation,
        page=page,
        status=status,
        status_choices=STATUS_CHOICES,
        in_doubt=selectors.in_doubt_count(request.user, organisation),
    )
    return render(request, "backoffice/outbox.html", context)


def _detail(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    message: OutboxMessage,
    status: int = 200,
) -> HttpResponse:
    context = page_context(
        request,
        organisation,
        message=message,
        message_id=delivery.message_id(message),
        in_doubt=IN_DOUBT,
    )
    return render(request, "backoffice/outbox_message.html", context, status=status)


@login_required
@require_safe
def outbox_message(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    message = _message(request, organisation, pk)
    return _detail(request, organisation, message)


@login_required
@require_POST
def outbox_resend(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    message = _message(request, organisation, pk)
    if not outbox.resend(message):
        messages.error(
            request,
            _("Alleen een bericht waarvan niet vaststaat dat het is aangekomen, kan opnieuw."),
        )
        return _detail(request, organisation, message, status=409)
    messages.success(request, _("Het bericht wordt opnieuw verstuurd, met hetzelfde Message-ID."))
    return redirect("outbox_message", slug=organisation.slug, pk=message.pk)


@login_required
@require_POST
def outbox_mark_delivered(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    message = _message(request, organisation, pk)
    if not outbox.mark_delivered(message):
        messages.error(
            request,
            _(
                "Alleen een bericht waarvan niet vaststaat dat het is aangekomen, kan als "
                "afgeleverd worden gemarkeerd."
            ),
        )
        return _detail(request, organisation, message, status=409)
    messages.success(request, _("Het bericht is als afgeleverd gemarkeerd."))
    return redirect("outbox_message", slug=organisation.slug, pk=message.pk)
