"""Registering a complaint, the complaint page, its actions and its documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from klachtenregister.backoffice.forms.actions import ActionContext, ActionForm, form_class
from klachtenregister.backoffice.forms.documents import DocumentForm
from klachtenregister.backoffice.forms.letters import LetterDeliveryForm, LettersForm
from klachtenregister.backoffice.forms.registration import RegistrationForm
from klachtenregister.backoffice.http import AuthenticatedHttpRequest
from klachtenregister.backoffice.views.common import language, page_context
from klachtenregister.correspondence import services as sending
from klachtenregister.correspondence.models import EMAIL, Letter
from klachtenregister.correspondence.selectors import letter_of, letters_of
from klachtenregister.lifecycle import Snapshot
from klachtenregister.lifecycle.rules import RECORDED_WITH_A_LETTER
from klachtenregister.privacy import services as privacy
from klachtenregister.register import access, clock, services
from klachtenregister.register.errors import (
    Conflict,
    InvalidDetails,
    LogError,
    MissingContents,
    NotPermitted,
    Refusal,
)
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.selectors import people, registration_checks
from klachtenregister.register.selectors.complaint_page import (
    ReceiptCorrection,
    acting_snapshot,
    complaint_page,
    complaint_regulation,
    document_of,
    event_text,
    path_events,
)
from klachtenregister.regulations.labels import EVENT_LABELS, own_label
from klachtenregister.regulations.vocabulary import Event

# --- registering ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = access.organisation_for(request.user, slug)
    form = RegistrationForm(
        organisation,
        request.POST or None,
        request.FILES or None,
        people=people.people_of(organisation),
        regulation=registration_checks.registration_regulation(organisation, clock.today()),
    )
    status = 200
    error = None
    warnings: list[str] = []
    resembling: dict[str, list[str]] = {}
    may_register = access.may_register(request.user, organisation, clock.today())
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            data = form.complaint_data(people.members_by_name(organisation))
            if may_register and not form.cleaned_data["confirmed"]:
                # Asked before saving; "Toch registreren" posts the same data with `confirmed`.
                # (Whoever may not register is refused by the service, not asked first.)
                warnings = _registration_warnings(request.user, form, organisation, data)
                resembling = registration_checks.resembling_members(organisation, data)
            if not warnings:
                try:
                    complaint = services.register_complaint(
                        organisation,
                        request.user,
                        data,
                        files=form.cleaned_data["attachments"],
                        submission=form.cleaned_data["submission"],
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
                    _warn_kept_out(request, complaint)
                    return redirect(
                        "complaint", slug=organisation.slug, reference=complaint.reference
                    )
    context = page_context(
        request,
        organisation,
        form=form,
        error=error,
        warnings=warnings,
        resembling=resembling if warnings else {},
        may_register=may_register,
    )
    return render(request, "backoffice/register.html", context, status=status)


def _registration_warnings(
    user: access.AnyUser,
    form: RegistrationForm,
    organisation: Organisation,
    data: services.ComplaintData,
) -> list[str]:
    """What to ask before registering; a re-rendered form cannot keep its uploaded files."""
    warnings = registration_checks.warnings(user, organisation, data, clock.today())
    if warnings and form.cleaned_data["attachments"]:
        warnings.append(
            _(
                "De gekozen bijlagen zijn niet bewaard: voeg de bijlagen opnieuw toe voordat u "
                "registreert."
            )
        )
    return warnings


def _warn_kept_out(request: AuthenticatedHttpRequest, complaint: Complaint) -> None:
    for person, names in people.kept_out_lookalikes(complaint):
        messages.warning(
            request,
            _(
                "%(member)s is van klacht %(reference)s uitgesloten: de naam lijkt op "
                "%(names)s. Is het iemand anders, bevestig dat dan bij 'Uitgesloten leden'."
            )
            % {
                "member": person.name,
                "reference": complaint.reference,
                "names": ", ".join(f"'{name}'" for name in names),
            },
        )


def _may_correct(
    request: AuthenticatedHttpRequest, complaint: Complaint, snapshot: Snapshot
) -> bool:
    kinds = access.acting_kinds(request.user, complaint)
    return access.role_for_event(snapshot.regulation, kinds, Event.FACTS_CORRECTED) is not None


@login_required
@require_POST
def confirm_different_person(
    request: AuthenticatedHttpRequest, slug: str, reference: str, pk: int
) -> HttpResponse:
    """The coordinator confirms that a member kept out for a resembling name is someone else."""
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    try:
        services.confirm_different_person(complaint, request.user, pk)
    except NotPermitted as exc:
        return _complaint_page(request, complaint, error=exc.message, status=403)
    except LogError as exc:
        return _complaint_page(request, complaint, error=exc.message, status=422)
    messages.success(request, _("Vastgelegd: het uitgesloten lid is iemand anders."))
    return redirect("complaint", slug=organisation.slug, reference=complaint.reference)


# --- the complaint page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    event: Event
    label: str
    role: str
    form: ActionForm
    meets: list[str]  # the running deadlines this event would meet
    letters: LettersForm


def _action_context(complaint: Complaint, snapshot: Snapshot, lang: str) -> ActionContext:
    return ActionContext(
        complaint,
        snapshot.regulation,
        snapshot,
        lang,
        candidates=people.handler_candidates(complaint),
        subject_names=people.subject_names(complaint),
        people=people.assignable_people(complaint),
    )


def _actions(
    request: AuthenticatedHttpRequest,
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
    context = _action_context(complaint, snapshot, lang)
    offered = list(snapshot.allowed)
    backdated: set[Event] = set()
    if earlier is not None:
        now = {item.event for item in offered}
        extra = [item for item in earlier[0].allowed if item.event not in now]
        backdated = {item.event for item in extra}
        offered += extra
    actions = []
    for allowed in offered:
        if allowed.event is Event.RECEIVED or allowed.event in RECORDED_WITH_A_LETTER:
            continue  # registering receives a complaint; a delivery date is entered at its letter
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
        label = event_text(snapshot.regulation, allowed.event, lang)
        actions.append(Action(allowed.event, label, role, form, meets, letters))
    return actions


@dataclass(frozen=True)
class ActionGroups:
    """The actions of "Wat kan nu", grouped: first what meets a running term (what the
    regulation asks for now), then the next steps of its path in its order, then the rest (side
    steps such as withdrawing or escalating), which the page folds away."""

    meets: list[Action]
    path: list[Action]
    other: list[Action]

    @property
    def all(self) -> list[Action]:
        return [*self.meets, *self.path, *self.other]


def group_actions(actions: list[Action], path: list[Event]) -> ActionGroups:
    """Split the offered actions by ``path`` (``complaint_page.path_events``: the regulation's
    steps in order); within a group the path's order, then the vocabulary's, a note last."""
    vocabulary = [event for event in Event if event is not Event.NOTE_ADDED] + [Event.NOTE_ADDED]

    def order(action: Action) -> tuple[int, int]:
        position = path.index(action.event) if action.event in path else len(path)
        return position, vocabulary.index(action.event)

    ordered = sorted(actions, key=order)
    return ActionGroups(
        meets=[action for action in ordered if action.meets],
        path=[action for action in ordered if not action.meets and action.event in path],
        other=[action for action in ordered if not action.meets and action.event not in path],
    )


def _sent_before(letters: list[Letter], correction: ReceiptCorrection | None) -> list[Letter]:
    """The letters recorded before the latest correction of the day of receipt: they went out
    with the terms counted from the old day (and stay as they were sent)."""
    if correction is None:
        return []
    return [
        letter
        for letter in letters
        if letter.event is not None and letter.event.sequence < correction.sequence
    ]


def _complaint_page(
    request: AuthenticatedHttpRequest,
    complaint: Complaint,
    *,
    bound: tuple[ActionForm, LettersForm] | None = None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    page = complaint_page(complaint, today, language())
    letters = letters_of(complaint)
    earlier = (
        (page.at_last_event, page.backdate_until)
        if page.at_last_event is not None and page.backdate_until is not None
        else None
    )
    groups = group_actions(
        _actions(request, complaint, page.snapshot, bound, earlier),
        path_events(page.snapshot.regulation),
    )
    context = page_context(
        request,
        complaint.organisation,
        complaint=complaint,
        regulation=page.snapshot.regulation,
        snapshot=page.snapshot,
        state_label=page.state_label,
        deadlines=page.deadlines,
        todos=page.todos,
        overview=page.overview,
        actions=groups.all,
        groups=groups,
        other_open=bound is not None and any(a.event is bound[0].event for a in groups.other),
        path=page.path,
        handlers=page.handlers,
        handler_function=page.handler_function,
        costs=page.costs,
        category=page.category,
        committee=page.committee,
        has_committee=page.has_committee,
        corrections=page.corrections,
        backdate_until=page.backdate_until,
        people=page.people,
        lookalikes=people.kept_out_lookalikes(complaint),
        may_confirm_different=_may_correct(request, complaint, page.snapshot),
        documents=page.documents,
        letters=letters,
        old_terms_letters=_sent_before(letters, page.receipt_corrected),
        receipt_corrected=page.receipt_corrected,
        impartiality_conflict=page.impartiality_conflict,
        suggested_grounds=page.suggested_grounds,
        error=error,
        error_event=bound[0].event if bound is not None else None,
        today=today,
    )
    return render(request, "backoffice/complaint.html", context, status=status)


@login_required
@require_safe
def complaint_detail(request: AuthenticatedHttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    privacy.record_access(request.user, organisation, "complaint", complaint)
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
            subject_people=self.form.chosen_subjects(),
        )


def _posted(
    request: AuthenticatedHttpRequest, slug: str, reference: str, event: str
) -> tuple[Organisation, Complaint, _Posted]:
    """The complaint an action is posted to (as the user may see it) and the bound forms."""
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    try:
        kind = Event(event)
    except ValueError:
        raise Http404(_("Onbekende actie %(event)s.") % {"event": event}) from None
    if kind is Event.RECEIVED:
        raise Http404(_("Een klacht wordt ontvangen door haar te registreren."))
    if kind in RECORDED_WITH_A_LETTER:
        raise Http404(_("Een afleverdatum wordt vastgelegd bij de brief zelf."))
    snapshot = acting_snapshot(complaint, clock.today())
    context = _action_context(complaint, snapshot, language())
    auto_id = f"id_{kind.value}_%s"
    form = form_class(kind)(context, request.POST, request.FILES, auto_id=auto_id)
    form.event = kind
    letters = LettersForm(context, kind, request.POST, auto_id=auto_id)
    return organisation, complaint, _Posted(kind, form, letters)


def _invalid(
    request: AuthenticatedHttpRequest, complaint: Complaint, posted: _Posted
) -> HttpResponse:
    return _complaint_page(
        request,
        complaint,
        bound=(posted.form, posted.letters),
        error=_("Controleer de gegevens van '%(event)s'.")
        % {"event": _(EVENT_LABELS[posted.kind])},
        status=400,
    )


def _missing(
    request: AuthenticatedHttpRequest, complaint: Complaint, posted: _Posted, exc: MissingContents
) -> HttpResponse:
    """The action's form again, each required text left empty marked at its own field; the page
    names what no field of the form holds."""
    unmarked = False
    for letter_id, content in exc.missing:
        name = f"{letter_id}__{content}"
        if name in posted.letters.fields:
            posted.letters.add_error(
                name, _("Het reglement eist deze tekst in de brief; vul hem in.")
            )
        else:
            unmarked = True
    if unmarked:
        return _complaint_page(
            request, complaint, bound=(posted.form, posted.letters), error=exc.message, status=400
        )
    return _invalid(request, complaint, posted)


@login_required
@require_POST
def complaint_action(
    request: AuthenticatedHttpRequest, slug: str, reference: str, event: str
) -> HttpResponse:
    organisation, complaint, posted = _posted(request, slug, reference, event)
    if not posted.valid:
        return _invalid(request, complaint, posted)
    bound = (posted.form, posted.letters)
    sequence = posted.form.cleaned_data["sequence"]
    try:
        sending.record_with_letters(
            complaint, request.user, sequence, posted.new_event(), posted.letters.orders()
        )
    except Conflict as exc:
        # The page shows the complaint as the other person left it.
        complaint = access.complaint_for(request.user, organisation, reference)
        return _complaint_page(request, complaint, error=exc.message, status=409)
    except NotPermitted as exc:
        return _complaint_page(request, complaint, bound=bound, error=exc.message, status=403)
    except MissingContents as exc:
        return _missing(request, complaint, posted, exc)
    except (Refusal, InvalidDetails) as exc:
        return _complaint_page(request, complaint, bound=bound, error=exc.message, status=422)
    label = event_text(complaint_regulation(complaint), posted.kind.value, language())
    if posted.letters.sections:
        messages.success(
            request, _("'%(event)s' is vastgelegd en de brieven zijn gemaakt.") % {"event": label}
        )
    else:
        messages.success(request, _("'%(event)s' is vastgelegd.") % {"event": label})
    return redirect("complaint", slug=organisation.slug, reference=complaint.reference)


@login_required
@require_POST
def letter_preview(
    request: AuthenticatedHttpRequest, slug: str, reference: str, event: str
) -> HttpResponse:
    """The letters of an action as they would be sent, as one PDF; nothing is recorded."""
    _organisation, complaint, posted = _posted(request, slug, reference, event)
    if not posted.valid:
        return _invalid(request, complaint, posted)
    try:
        pdf = sending.preview(complaint, request.user, posted.new_event(), posted.letters.orders())
    except MissingContents as exc:
        return _missing(request, complaint, posted, exc)
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
def letter_delivered(
    request: AuthenticatedHttpRequest, slug: str, reference: str, pk: int
) -> HttpResponse:
    """A letter sent by post arrived: its delivery date and tracking number, entered by hand."""
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    if not access.acting_kinds(request.user, complaint):
        raise PermissionDenied(_("U kunt bij deze klacht niets vastleggen."))
    letter = letter_of(complaint, pk)
    if letter is None:
        raise Http404
    form = LetterDeliveryForm(request.POST)
    if letter.delivery == EMAIL or not form.is_valid():
        error = (
            _("Een brief per e-mail wordt door het systeem afgeleverd.")
            if letter.delivery == EMAIL
            else _("Controleer de afleverdatum: %(errors)s")
            % {"errors": "; ".join(str(e) for errors in form.errors.values() for e in errors)}
        )
        return _complaint_page(request, complaint, error=error, status=400)
    try:
        sending.record_post_delivery(
            letter,
            request.user,
            form.cleaned_data["delivered_on"],
            form.cleaned_data["tracking_number"],
            form.cleaned_data["reason"],
        )
    except NotPermitted as exc:
        return _complaint_page(request, complaint, error=exc.message, status=403)
    except LogError as exc:
        return _complaint_page(request, complaint, error=exc.message, status=422)
    messages.success(
        request,
        _("De aflevering van '%(letter)s' aan %(name)s is vastgelegd.")
        % {"letter": letter.label, "name": letter.addressee_name},
    )
    return redirect("complaint", slug=organisation.slug, reference=complaint.reference)


# --- documents --------------------------------------------------------------------------------


@login_required
@require_safe
def document(request: AuthenticatedHttpRequest, slug: str, reference: str, pk: int) -> FileResponse:
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    item = document_of(complaint, pk)
    if item is None:
        raise Http404
    privacy.record_access(request.user, organisation, "document", complaint, item.name)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):  # ValueError: erased (AVG), no file any more
        raise Http404(_("Het bestand van dit document ontbreekt.")) from None
    return FileResponse(handle, as_attachment=True, filename=item.name)


@login_required
@require_POST
def add_document(request: AuthenticatedHttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = access.organisation_for(request.user, slug)
    complaint = access.complaint_for(request.user, organisation, reference)
    if not access.acting_kinds(request.user, complaint):
        raise PermissionDenied(_("U kunt geen documenten aan deze klacht toevoegen."))
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        return _complaint_page(request, complaint, error=" ".join(problems), status=400)
    upload = form.cleaned_data["file"]
    services.add_document(
        complaint, request.user, upload, description=form.cleaned_data["description"]
    )
    messages.success(request, _("Document %(name)s is toegevoegd.") % {"name": upload.name})
    return redirect("complaint", slug=organisation.slug, reference=complaint.reference)
