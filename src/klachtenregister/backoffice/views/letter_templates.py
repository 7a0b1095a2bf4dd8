"""The letters page (brieven): an organisation's own wording of each letter of its regulation,
and its letterhead.

Coordinators and directors of the organisation keep its correspondence (``access.keeps_letters``);
other members get 403 and other organisations 404. The letters listed are those of the regulation
version in force today; a wording is kept per letter id, language and kind of addressee
(``LetterTemplate``; ``?voor=<kind>`` for a kind other than the first recipient's), and without
one the default wording (``klachtenregister.letters.defaults``) is used.

A wording is only saved when ``wording_problems`` finds nothing: the template language must read
and the wording must still print every content the regulation requires of the letter. So a
letter sent later can always say what the regulation promises.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from klachtenregister.backoffice.forms.letter_templates import LetterheadForm, WordingForm
from klachtenregister.backoffice.http import AuthenticatedHttpRequest
from klachtenregister.backoffice.views.common import language, page_context, remember_organisation
from klachtenregister.correspondence import selectors, services
from klachtenregister.correspondence.preview import wording_preview
from klachtenregister.correspondence.wording import (
    GENERAL_LABELS,
    GENERAL_VARIABLES,
    addressee_kinds,
    contents_used,
    own_kind,
    printed_always,
    template_kind,
    usual_contents,
    wording_for,
    wording_problems,
)
from klachtenregister.letters.contents import content_label
from klachtenregister.letters.defaults import KIND_LABELS, Kind, Wording
from klachtenregister.register import access, clock
from klachtenregister.register.errors import LogError, WordingError
from klachtenregister.register.labels import event_label
from klachtenregister.register.models import Organisation, person_name
from klachtenregister.register.selectors.regulations import (
    regulation_version_for,
    stored_regulation,
)
from klachtenregister.regulations.labels import own_label
from klachtenregister.regulations.schema import EventRef, Regulation
from klachtenregister.regulations.schema import Letter as LetterRule
from klachtenregister.regulations.vocabulary import Content, Party

# The languages a letter is written in: Dutch, and English for a complainant who chose it.
LANGUAGES: dict[str, Promise] = {"nl": gettext_lazy("Nederlands"), "en": gettext_lazy("Engels")}

# How the list names who gets a letter (the regulation names parties, not people).
PARTY_LABELS: dict[Party, Promise] = {
    Party.COMPLAINANT: gettext_lazy("klager"),
    Party.REPRESENTATIVE: gettext_lazy("vertegenwoordiger van de klager"),
    Party.SUBJECT: gettext_lazy("medewerker over wie de klacht gaat"),
    Party.ALL_PARTIES: gettext_lazy("alle partijen"),
    Party.COORDINATOR: gettext_lazy("klachtencoördinator"),
    Party.HANDLER: gettext_lazy("behandelaar"),
    Party.DIRECTOR: gettext_lazy("directeur"),
    Party.MANAGER: gettext_lazy("manager"),
    Party.COMMITTEE: gettext_lazy("klachtencommissie"),
    Party.EXTERNAL_PARTY: gettext_lazy("externe partij"),
    Party.OPDRACHTGEVER: gettext_lazy("opdrachtgever"),
    Party.UWV_ARBEIDSDESKUNDIGE: gettext_lazy("arbeidsdeskundige van UWV"),
    Party.MANAGEMENT: gettext_lazy("directie"),
}

# The query parameter that names the kind of addressee a wording is for ("?voor=copy").
KIND_PARAMETER = "voor"


def kind_label(kind: Kind, ui: str) -> str:
    dutch, english = KIND_LABELS[kind]
    return english if ui == "en" else dutch


# --- finding the organisation and its letters -----------------------------------------------------


def _organisation(request: AuthenticatedHttpRequest, slug: str) -> Organisation:
    organisation = access.organisation_for(request.user, slug)
    if not access.keeps_letters(request.user, organisation):
        raise PermissionDenied(
            _("Alleen coördinatoren en directeuren beheren de brieven van de organisatie.")
        )
    return organisation


def _regulation(organisation: Organisation) -> Regulation | None:
    """The regulation in force today: the letters a complaint registered now would send."""
    try:
        version = regulation_version_for(organisation, clock.today())
    except LogError:
        return None
    return stored_regulation(version).regulation


def _letter(organisation: Organisation, letter_id: str, lang: str) -> tuple[Regulation, LetterRule]:
    regulation = _regulation(organisation)
    if lang not in LANGUAGES or regulation is None:
        raise Http404(_("Deze brief bestaat niet."))
    for rule in regulation.letters:
        if rule.id == letter_id:
            return regulation, rule
    raise Http404(_("Deze brief bestaat niet."))


# --- the list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageCell:
    code: str
    name: str
    own: bool  # the organisation's own wording, else the default
    url_args: tuple[str, str, str]
    query: str = ""  # "?voor=<kind>" for a kind other than the first recipient's


@dataclass(frozen=True)
class KindCell:
    """The wordings of a letter for one kind of addressee, per language."""

    kind: str  # the Kind's value
    label: str
    languages: list[LanguageCell]


@dataclass(frozen=True)
class LetterRow:
    id: str
    label: str
    step: str
    deadline: str
    recipients: list[str]
    copies: list[str]
    required: list[str]
    optional: list[str]  # what the default wording says besides, when it has a text
    languages: list[LanguageCell]  # the first recipient's kind
    first_kind: str  # its label
    other_kinds: list[KindCell]  # the other recipients', a copy's


def _kind_cells(
    organisation: Organisation, rule: LetterRule, own: set[tuple[str, str, str]], ui: str
) -> list[KindCell]:
    cells = []
    for kind in addressee_kinds(rule):
        stored = template_kind(rule, kind)
        query = f"?{KIND_PARAMETER}={kind.value}" if stored else ""
        languages = [
            LanguageCell(
                code,
                str(name),
                (rule.id, code, stored) in own,
                (organisation.slug, rule.id, code),
                query,
            )
            for code, name in LANGUAGES.items()
        ]
        cells.append(KindCell(kind.value, kind_label(kind, ui), languages))
    return cells


def _rows(organisation: Organisation, regulation: Regulation, ui: str) -> list[LetterRow]:
    own = selectors.own_wordings(organisation)
    deadlines = {deadline.id: own_label(deadline, ui) for deadline in regulation.deadlines}
    kinds = {rule.id: _kind_cells(organisation, rule, own, ui) for rule in regulation.letters}
    return [
        LetterRow(
            id=rule.id,
            label=own_label(rule, ui),
            step=event_label(regulation, EventRef(event=rule.step), ui),
            deadline=deadlines.get(rule.deadline, rule.deadline) if rule.deadline else "",
            recipients=[str(PARTY_LABELS.get(party, party.value)) for party in rule.recipients],
            copies=[str(PARTY_LABELS.get(party, party.value)) for party in rule.copies],
            required=[content_label(content, ui) for content in rule.required_contents],
            optional=[content_label(content, ui) for content in usual_contents(rule)],
            languages=kinds[rule.id][0].languages,
            first_kind=kinds[rule.id][0].label,
            other_kinds=kinds[rule.id][1:],
        )
        for rule in regulation.letters
    ]


def _list_page(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    letterhead: LetterheadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    regulation = _regulation(organisation)
    context = page_context(
        request,
        organisation,
        regulation=regulation,
        rows=_rows(organisation, regulation, language()) if regulation else [],
        letterhead=letterhead or LetterheadForm(instance=selectors.letterhead_of(organisation)),
    )
    return render(request, "backoffice/letter_templates.html", context, status=status)


@login_required
@require_safe
def letter_templates(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    remember_organisation(request, organisation)
    return _list_page(request, organisation)


@login_required
@require_POST
def letterhead(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    form = LetterheadForm(request.POST, instance=selectors.letterhead_of(organisation))
    if not form.is_valid():
        return _list_page(request, organisation, letterhead=form, status=400)
    services.update_letterhead(organisation, form.cleaned_data)
    messages.success(request, _("Het briefhoofd is opgeslagen."))
    return redirect("letter_templates", slug=organisation.slug)


# --- one letter's wording -------------------------------------------------------------------------


# The groups of the variable list: what the regulation requires of the letter, what the letter
# usually says besides (optional), every other content (optional), and what is always known.
REQUIRED, USUAL, OTHER, GENERAL = "required", "usual", "other", "general"
GROUP_TITLES: dict[str, Promise] = {
    REQUIRED: gettext_lazy("Verplicht volgens het reglement"),
    USUAL: gettext_lazy("Optioneel: staat in de standaardtekst van deze brief"),
    OTHER: gettext_lazy("Optioneel: andere inhoud"),
    GENERAL: gettext_lazy("Altijd bekend"),
}
GROUP_HELP: dict[str, Promise] = {
    REQUIRED: gettext_lazy(
        "Moet los in de tekst staan, niet binnen {% if %} of {% for %} en zonder filter; een "
        "tekst zonder wordt niet opgeslagen. Het register verstuurt de brief pas als hij is "
        "ingevuld."
    ),
    USUAL: gettext_lazy(
        "Mag weg. Zet hem tussen {% if naam %} en {% endif %}, zodat een lege kop of zin "
        "wegvalt als er niets is ingevuld."
    ),
    OTHER: gettext_lazy("Mag in de tekst; ook deze alleen tussen {% if %} en {% endif %}."),
    GENERAL: gettext_lazy("Het register vult deze altijd in."),
}
# Whether the text in the form prints a variable: whatever the texts, only when filled in, not.
ALWAYS, CONDITIONAL, ABSENT = "always", "conditional", "absent"
IN_TEXT_LABELS: dict[str, Promise] = {
    ALWAYS: gettext_lazy("staat erin"),
    CONDITIONAL: gettext_lazy("alleen als ingevuld"),
    ABSENT: gettext_lazy("staat er niet in"),
}


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    group: str
    in_text: str  # ALWAYS, CONDITIONAL or ABSENT, for the text in the form

    @property
    def required(self) -> bool:
        return self.group == REQUIRED

    @property
    def missing(self) -> bool:
        """A required content the text does not print whatever the texts: it cannot be saved."""
        return self.required and self.in_text != ALWAYS

    @property
    def in_text_label(self) -> str:
        if self.missing:
            return str(_("ontbreekt"))
        return str(IN_TEXT_LABELS[self.in_text])


@dataclass(frozen=True)
class VariableGroup:
    key: str
    title: str
    help: str
    variables: list[Variable]


def _variables(rule: LetterRule, wording: Wording, ui: str) -> list[VariableGroup]:
    """Every content, grouped: the letter's required ones, its usual optional ones, the others;
    then the general variables. Each says whether the text in the form prints it."""
    always = printed_always(wording)
    used = {c.value for c in contents_used(wording)}

    def in_text(name: str) -> str:
        return ALWAYS if name in always else CONDITIONAL if name in used else ABSENT

    required = list(rule.required_contents)
    usual = usual_contents(rule)
    others = [c for c in Content if c not in required and c not in usual]
    groups = [
        (key, [Variable(c.value, content_label(c, ui), key, in_text(c.value)) for c in contents])
        for key, contents in ((REQUIRED, required), (USUAL, usual), (OTHER, others))
    ]
    general = [
        Variable(name, str(GENERAL_LABELS.get(name, name)), GENERAL, ALWAYS)
        for name in GENERAL_VARIABLES
    ]
    return [
        VariableGroup(key, str(GROUP_TITLES[key]), str(GROUP_HELP[key]), variables)
        for key, variables in [*groups, (GENERAL, general)]
        if variables
    ]


def _form_wording(form: WordingForm) -> Wording:
    """The wording as the form holds it: as posted (also when refused), else as offered."""
    if form.is_bound:
        return Wording(
            str(form.data.get("subject", "")), str(form.data.get("body", "")).replace("\r\n", "\n")
        )
    return Wording(str(form.initial.get("subject", "")), str(form.initial.get("body", "")))


def _kind(request: AuthenticatedHttpRequest, rule: LetterRule) -> Kind:
    """The kind of addressee the wording is for (``?voor=``): the letter's first recipient's
    unless another kind it has is asked for."""
    asked = request.GET.get(KIND_PARAMETER, "")
    if not asked:
        return own_kind(rule)
    for kind in addressee_kinds(rule):
        if kind.value == asked:
            return kind
    raise Http404(_("Deze brief heeft geen geadresseerde van deze soort."))


def _edit_url(organisation: Organisation, rule: LetterRule, lang: str, kind: Kind) -> str:
    stored = template_kind(rule, kind)
    path = reverse("letter_template", args=(organisation.slug, rule.id, lang))
    return f"{path}?{KIND_PARAMETER}={kind.value}" if stored else path


def _edit_page(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    rule: LetterRule,
    lang: str,
    form: WordingForm,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    ui = language()
    kind = _kind(request, rule)
    own = selectors.own_wording(organisation, rule.id, lang, template_kind(rule, kind))
    context = page_context(
        request,
        organisation,
        rule=rule,
        kind_label=kind_label(kind, ui),
        several_kinds=len(addressee_kinds(rule)) > 1,
        edit_url=_edit_url(organisation, rule, lang, kind),
        letter_label=own_label(rule, ui),
        letter_language=lang,
        letter_language_name=str(LANGUAGES[lang]),
        own=own,
        updated_by=person_name(own.updated_by) if own and own.updated_by else "-",
        form=form,
        problems=problems or [],
        variable_groups=_variables(rule, _form_wording(form), ui),
    )
    return render(request, "backoffice/letter_template.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def letter_template(
    request: AuthenticatedHttpRequest, slug: str, letter_id: str, lang: str
) -> HttpResponse:
    organisation = _organisation(request, slug)
    rule = _letter(organisation, letter_id, lang)[1]
    kind = _kind(request, rule)
    stored_kind = template_kind(rule, kind)
    if request.method == "GET":
        current = wording_for(organisation, rule, lang, kind)
        form = WordingForm(initial={"subject": current.subject, "body": current.body})
        return _edit_page(request, organisation, rule, lang, form)

    action = request.POST.get("action", "save")
    if action == "restore":
        if services.restore_default_wording(organisation, rule.id, lang, stored_kind):
            messages.success(request, _("De standaardtekst wordt weer gebruikt."))
        return redirect(_edit_url(organisation, rule, lang, kind))

    form = WordingForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, organisation, rule, lang, form, status=400)
    wording = Wording(form.cleaned_data["subject"], form.cleaned_data["body"])

    if action == "preview":
        try:
            pdf = wording_preview(organisation, rule, lang, wording, person_name(request.user))
        except WordingError as exc:
            return _edit_page(request, organisation, rule, lang, form, [str(exc)], status=400)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{rule.id}-{lang}-voorbeeld.pdf"'
        return response

    # The check names what is missing in the language of the page the person is reading.
    problems = wording_problems(rule, wording, language())
    if problems:
        return _edit_page(request, organisation, rule, lang, form, problems, status=400)
    services.save_wording(organisation, rule.id, lang, wording, request.user, stored_kind)
    messages.success(
        request,
        _("De tekst van '%(letter)s' (%(language)s) is opgeslagen.")
        % {"letter": own_label(rule, language()), "language": LANGUAGES[lang]},
    )
    return redirect(_edit_url(organisation, rule, lang, kind))
