"""Registering a complaint, the complaint page, its actions and its documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from klachtenregister.backoffice.forms.actions import ActionContext, ActionForm, form_class
from klachtenregister.backoffice.forms.letters import LetterDeliveryForm, LettersForm
from klachtenregister.backoffice.forms.registration import RegistrationForm
from klachtenregister.backoffice.views.common import language, page_context
from klachtenregister.calendars.units import DurationUnit
from klachtenregister.correspondence import services as sending
from klachtenregister.correspondence.models import EMAIL, Letter
from klachtenregister.lifecycle import Snapshot
from klachtenregister.lifecycle.deadlines import DEADLINE_STATUS_LABELS
from klachtenregister.lifecycle.events import SYSTEM_ACTOR
from klachtenregister.lifecycle.states import STATE_LABELS
from klachtenregister.register import access, clock, services
from klachtenregister.register.errors import (
    Conflict,
    InvalidDetails,
    LogError,
    NotPermitted,
    Refusal,
)
from klachtenregister.register.labels import duration_label, event_label
from klachtenregister.register.models import Complaint, ComplaintEvent, Document
from klachtenregister.register.models.complaints import CHANNEL_CHOICES
from klachtenregister.register.selectors import people, watchlist
from klachtenregister.register.selectors.history import lifecycle_of, payload_of
from klachtenregister.register.selectors.regulations import (
    regulation_version_for,
    stored_regulation,
)
from klachtenregister.regulations.labels import EVENT_LABELS, OUTCOME_LABELS, own_label
from klachtenregister.regulations.schema import EventRef, Regulation
from klachtenregister.regulations.vocabulary import Event

# --- registering ------------------------------------------------------------------------------


def _may_register(user: Any, organisation: Any) -> bool:
    version = regulation_version_for(organisation, clock.today())
    regulation = stored_regulation(version).regulation
    if regulation is None:
        return False
    kinds = access.kinds_in(user, organisation)
    return access.role_for_event(regulation, kinds, Event.RECEIVED) is not None


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.organisation_for(request.user, slug)
    form = RegistrationForm(organisation, request.POST or None, request.FILES or None)
    status = 200
    error = None
    if request.method == "POST":
        if form.is_valid():
            try:
                complaint = services.register_complaint(
                    organisation,
                    request.user,
                    form.complaint_data(people.members_by_name(organisation)),
                    files=form.cleaned_data["attachments"],
                )
            except NotPermitted as exc:
                error, status = exc.message, 403
            except LogError as exc:
                error, status = exc.message, 422
            else:
                messages.success(
                    request,
                    _("Klacht %(reference)s is geregistreerd.")
                    % {"reference": complaint.reference},
                )
                return redirect("complaint", slug=organisation.slug, reference=complaint.reference)
        else:
            status = 400
    context = page_context(
        request,
        organisation,
        form=form,
        error=error,
        may_register=_may_register(request.user, organisation),
    )
    return render(request, "backoffice/register.html", context, status=status)


# --- the complaint page -----------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    sequence: int | None
    on: dt.date
    label: str
    actor: str
    role: str
    details: list[tuple[str, str]]
    recorded_at: Any
    documents: list[Document]
    pending: bool = False


@dataclass(frozen=True)
class Action:
    event: Event
    label: str
    role: str
    form: ActionForm
    meets: list[str]  # the running deadlines this event would meet
    letters: LettersForm


DETAIL_LABELS = {
    "channel": gettext_noop("kanaal"),
    "anonymous": gettext_noop("anoniem"),
    "facts_date": gettext_noop("datum gebeurtenis"),
    "ground": gettext_noop("grond"),
    "reason": gettext_noop("reden"),
    "handler": gettext_noop("behandelaar"),
    "members": gettext_noop("leden"),
    "party": gettext_noop("partij"),
    "outcome": gettext_noop("uitkomst"),
    "heard": gettext_noop("gehoord"),
    "deadline": gettext_noop("termijn"),
    "by": gettext_noop("met"),
    "consent": gettext_noop("met instemming"),
    "motivation": gettext_noop("motivering"),
    "type": gettext_noop("soort"),
    "description": gettext_noop("omschrijving"),
    "to": gettext_noop("naar"),
    "note": gettext_noop("toelichting"),
}


def _detail_text(key: str, value: Any, regulation: Regulation, lang: str) -> str:
    if key == "outcome" or key == "type":
        return _(OUTCOME_LABELS.get(value, value))
    if key == "channel":
        return str(dict(CHANNEL_CHOICES).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if key == "by" and isinstance(value, dict):
        return duration_label(value["amount"], DurationUnit.parse(value["unit"]))
    if key == "ground":
        ground = next((g for g in regulation.admissibility.grounds if g.id == value), None)
        return own_label(ground, lang) if ground else str(value)
    if key == "deadline":
        rule = next((d for d in regulation.deadlines if d.id == value), None)
        return own_label(rule, lang) if rule else str(value)
    if key == "to":
        route = next((r for r in regulation.escalation if r.id == value), None)
        return route.label if route else str(value)
    return str(value)


def _details(payload: dict[str, Any], regulation: Regulation, lang: str) -> list[tuple[str, str]]:
    return [
        (_(DETAIL_LABELS.get(key, key)), _detail_text(key, value, regulation, lang))
        for key, value in payload.items()
        if value not in (None, "", [], False) or key == "consent"
    ]


def _event_text(regulation: Regulation, event: str, lang: str) -> str:
    return event_label(regulation, EventRef(event=Event(event)), lang)


def _overview(
    complaint: Complaint, snapshot: Snapshot, rows: list[ComplaintEvent], lang: str
) -> list[LogEntry]:
    regulation = snapshot.regulation
    documents: dict[int, list[Document]] = {}
    for document in complaint.documents.filter(event__isnull=False):
        documents.setdefault(document.event_id, []).append(document)
    entries = [
        LogEntry(
            sequence=row.sequence,
            on=row.on,
            label=_event_text(regulation, row.event, lang),
            actor=_("het systeem (volgens het reglement)")
            if row.actor_name == SYSTEM_ACTOR
            else row.actor_name,
            role=row.role,
            details=_details(row.payload, regulation, lang),
            recorded_at=row.recorded_at,
            documents=documents.get(row.pk, []),
        )
        for row in rows
    ]
    # Time-triggered events that are due but not yet in the log (the worker records them).
    for pending in snapshot.history[len(rows) :]:
        entries.append(
            LogEntry(
                sequence=None,
                on=pending.on,
                label=_event_text(regulation, pending.event, lang),
                actor=_("het systeem (volgens het reglement)"),
                role=pending.role or "",
                details=_details(
                    payload_of(pending),
                    regulation,
                    lang,
                ),
                recorded_at=None,
                documents=[],
                pending=True,
            )
        )
    return entries


def _actions(
    request: HttpRequest,
    complaint: Complaint,
    snapshot: Snapshot,
    bound: tuple[ActionForm, LettersForm] | None,
    earlier: tuple[Snapshot, dt.date] | None = None,
) -> list[Action]:
    """The allowed events this user may record, as forms. ``earlier`` is the complaint as of its
    last stored event and the last day before a pending automatic event: what was allowed then
    may still be recorded with such a date (a reaction that came in before the silence closure)."""
    kinds = access.acting_kinds(request.user, complaint)
    lang = language()
    context = ActionContext(
        complaint, snapshot.regulation, snapshot, lang, people.handler_candidates(complaint)
    )
    offered = list(snapshot.allowed)
    backdated: set[Event] = set()
    if earlier is not None:
        now = {item.event for item in offered}
        extra = [item for item in earlier[0].allowed if item.event not in now]
        backdated = {item.event for item in extra}
        offered += extra
    actions = []
    for allowed in offered:
        if allowed.event is Event.RECEIVED:
            continue
        role = access.acting_role(snapshot.regulation, kinds, allowed.roles)
        if role is None:
            continue
        if bound is not None and bound[0].event is allowed.event:
            form, letters = bound
        else:
            form = form_class(allowed.event)(context, auto_id=f"id_{allowed.event.value}_%s")
            form.event = allowed.event
            letters = LettersForm(context, allowed.event, auto_id=f"id_{allowed.event.value}_%s")
            if allowed.event in backdated and earlier is not None:
                form.fields["on"].initial = earlier[1]
        meets = [
            own_label(view, lang)
            for view in snapshot.deadlines
            if not view.settled and any(ref.event is allowed.event for ref in view.rule.met_by)
        ]
        label = _event_text(snapshot.regulation, allowed.event, lang)
        actions.append(Action(allowed.event, label, role, form, meets, letters))
    # What meets a running deadline first: that is what the regulation asks for next.
    return sorted(actions, key=lambda action: not action.meets)


def _letters(complaint: Complaint) -> list[Letter]:
    return list(complaint.letters.select_related("document", "event").prefetch_related("messages"))


def _deadlines(complaint: Complaint, snapshot: Snapshot, today: dt.date, lang: str) -> list[dict]:
    calendar = watchlist.calendar_for(complaint)
    result = []
    for view in snapshot.deadlines:
        running = not view.settled
        result.append(
            {
                "view": view,
                "label": own_label(view, lang),
                "status": _(DEADLINE_STATUS_LABELS[view.status]),
                "light": watchlist.light(view.due, today, calendar) if running else None,
                "running": running,
            }
        )
    return result


def _complaint_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    bound: tuple[ActionForm, LettersForm] | None = None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    rows = list(complaint.events.order_by("sequence").select_related("actor"))
    lifecycle = lifecycle_of(complaint, rows)
    last_on = lifecycle.progress.last_on or today
    at_last_event = lifecycle.status(last_on)
    snapshot = lifecycle.status(max(today, last_on))
    pending = snapshot.history[len(rows) :]
    earlier = (at_last_event, pending[0].on - dt.timedelta(days=1)) if pending else None
    lang = language()
    regulation = snapshot.regulation
    context = page_context(
        request,
        complaint.organisation,
        complaint=complaint,
        regulation=regulation,
        snapshot=snapshot,
        state_label=_(STATE_LABELS[snapshot.state]),
        deadlines=_deadlines(complaint, snapshot, today, lang),
        overview=_overview(complaint, snapshot, rows, lang),
        actions=_actions(request, complaint, snapshot, bound, earlier),
        backdate_until=earlier[1] if earlier else None,
        people=list(complaint.people.all()),
        documents=list(complaint.documents.select_related("event", "uploaded_by")),
        letters=_letters(complaint),
        suggested_grounds=[own_label(s.ground, lang) for s in snapshot.suggested_grounds],
        error=error,
        error_event=bound[0].event if bound is not None else None,
        today=today,
    )
    return render(request, "backoffice/complaint.html", context, status=status)


@login_required
@require_safe
def complaint_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    return _complaint_page(request, complaint)


@dataclass(frozen=True)
class _Posted:
    """An action as posted: the event, its form and its letters."""

    kind: Event
    form: ActionForm
    letters: LettersForm

    @property
    def valid(self) -> bool:
        # Both, always: each shows its own errors.
        return all([self.form.is_valid(), self.letters.is_valid()])

    def new_event(self) -> services.NewEvent:
        document = self.form.cleaned_data.get("document")
        return services.NewEvent(
            self.kind,
            self.form.cleaned_data["on"],
            details=self.form.details(),
            people=self.form.people(),
            files=[document] if document else [],
        )


def _posted(request: HttpRequest, complaint: Complaint, event: str) -> _Posted:
    try:
        kind = Event(event)
    except ValueError:
        raise Http404(_("Onbekende actie %(event)s.") % {"event": event}) from None
    if kind is Event.RECEIVED:
        raise Http404(_("Een klacht wordt ontvangen door haar te registreren."))
    lifecycle = lifecycle_of(complaint)
    today = clock.today()
    snapshot = lifecycle.status(max(today, lifecycle.progress.last_on or today))
    context = ActionContext(
        complaint,
        snapshot.regulation,
        snapshot,
        language(),
        people.handler_candidates(complaint),
    )
    auto_id = f"id_{kind.value}_%s"
    form = form_class(kind)(context, request.POST, request.FILES, auto_id=auto_id)
    form.event = kind
    letters = LettersForm(context, kind, request.POST, auto_id=auto_id)
    return _Posted(kind, form, letters)


def _invalid(request: HttpRequest, complaint: Complaint, posted: _Posted) -> HttpResponse:
    return _complaint_page(
        request,
        complaint,
        bound=(posted.form, posted.letters),
        error=_("Controleer de gegevens van '%(event)s'.")
        % {"event": _(EVENT_LABELS[posted.kind])},
        status=400,
    )


@login_required
@require_POST
def complaint_action(request: HttpRequest, slug: str, reference: str, event: str) -> HttpResponse:
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    posted = _posted(request, complaint, event)
    if not posted.valid:
        return _invalid(request, complaint, posted)
    bound = (posted.form, posted.letters)
    sequence = posted.form.cleaned_data["sequence"]
    try:
        sending.record_with_letters(
            complaint, request.user, sequence, posted.new_event(), posted.letters.orders()
        )
    except Conflict as exc:
        complaint.refresh_from_db()
        return _complaint_page(request, complaint, error=exc.message, status=409)
    except NotPermitted as exc:
        return _complaint_page(request, complaint, bound=bound, error=exc.message, status=403)
    except (Refusal, InvalidDetails) as exc:
        return _complaint_page(request, complaint, bound=bound, error=exc.message, status=422)
    label = _event_text(lifecycle_of(complaint).regulation, posted.kind.value, language())
    if posted.letters.sections:
        messages.success(
            request, _("'%(event)s' is vastgelegd en de brieven zijn gemaakt.") % {"event": label}
        )
    else:
        messages.success(request, _("'%(event)s' is vastgelegd.") % {"event": label})
    return redirect("complaint", slug=organisation.slug, reference=complaint.reference)


@login_required
@require_POST
def letter_preview(request: HttpRequest, slug: str, reference: str, event: str) -> HttpResponse:
    """The letters of an action as they would be sent, as one PDF; nothing is recorded."""
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    posted = _posted(request, complaint, event)
    if not posted.valid:
        return _invalid(request, complaint, posted)
    try:
        pdf = sending.preview(complaint, request.user, posted.new_event(), posted.letters.orders())
    except NotPermitted as exc:
        bound = (posted.form, posted.letters)
        return _complaint_page(request, complaint, bound=bound, error=exc.message, status=403)
    except LogError as exc:
        bound = (posted.form, posted.letters)
        return _complaint_page(request, complaint, bound=bound, error=exc.message, status=422)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{complaint.reference}-voorbeeld.pdf"'
    return response


@login_required
@require_POST
def letter_delivered(request: HttpRequest, slug: str, reference: str, pk: int) -> HttpResponse:
    """A letter sent by post arrived: its delivery date and tracking number, entered by hand."""
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    if not access.acting_kinds(request.user, complaint):
        raise PermissionDenied(_("U kunt bij deze klacht niets vastleggen."))
    letter = get_object_or_404(Letter, pk=pk, complaint=complaint)
    form = LetterDeliveryForm(request.POST)
    if letter.delivery == EMAIL or not form.is_valid():
        error = (
            _("Een brief per e-mail wordt door het systeem afgeleverd.")
            if letter.delivery == EMAIL
            else _("Controleer de afleverdatum: %(errors)s")
            % {"errors": "; ".join(str(e) for errors in form.errors.values() for e in errors)}
        )
        return _complaint_page(request, complaint, error=error, status=400)
    sending.record_post_delivery(
        letter, form.cleaned_data["delivered_on"], form.cleaned_data["tracking_number"]
    )
    messages.success(
        request,
        _("De aflevering van '%(letter)s' aan %(name)s is vastgelegd.")
        % {"letter": letter.label, "name": letter.addressee_name},
    )
    return redirect("complaint", slug=organisation.slug, reference=complaint.reference)


# --- documents --------------------------------------------------------------------------------


@login_required
@require_safe
def document(request: HttpRequest, slug: str, reference: str, pk: int) -> FileResponse:
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    item = get_object_or_404(Document, pk=pk, complaint=complaint)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Het bestand van dit document ontbreekt.")) from None
    return FileResponse(handle, as_attachment=True, filename=item.name)


@login_required
@require_POST
def add_document(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    if not access.acting_kinds(request.user, complaint):
        raise PermissionDenied(_("U kunt geen documenten aan deze klacht toevoegen."))
    upload = request.FILES.get("file")
    if upload is None:
        return _complaint_page(
            request, complaint, error=_("Kies een bestand om toe te voegen."), status=400
        )
    services.add_document(
        complaint, request.user, upload, description=request.POST.get("description", "")[:300]
    )
    messages.success(request, _("Document %(name)s is toegevoegd.") % {"name": upload.name})
    return redirect("complaint", slug=organisation.slug, reference=complaint.reference)
