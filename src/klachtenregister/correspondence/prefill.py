"""What the register already knows of each content of a letter, in the letter's language.

The person sending the letter sees these texts in the form and completes or corrects them;
what they leave as it is goes into the letter. Contents only a person can write (the agreements,
a hearing report) are left empty here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from klachtenregister.lifecycle import EventRecord, Snapshot
from klachtenregister.lifecycle.events import (
    CommitteeDetails,
    DecisionDetails,
    ExtensionDetails,
    HandlerDetails,
    InadmissibleDetails,
    MeasuresDetails,
    TermAgreedDetails,
)
from klachtenregister.register.labels import duration_label, event_label
from klachtenregister.register.models import Complaint
from klachtenregister.regulations.labels import OUTCOME_LABELS, own_label
from klachtenregister.regulations.schema import EscalationRoute, EventRef, Regulation
from klachtenregister.regulations.vocabulary import (
    Condition,
    Content,
    DeadlineKind,
    EscalationBody,
    Event,
)

C = Content

# How a letter points the complainant to an escalation body: a sentence with the body's name in
# it, (Dutch, English).
BODY_SENTENCES: dict[EscalationBody, tuple[str, str]] = {
    EscalationBody.OPDRACHTGEVER: (
        "U kunt uw klacht voorleggen aan %(body)s.",
        "You can take your complaint to %(body)s.",
    ),
    EscalationBody.UWV_ARBEIDSDESKUNDIGE: (
        "Omdat u cliënt bent van UWV, kunt u zich wenden tot %(body)s.",
        "As a client of UWV, you can turn to %(body)s.",
    ),
    EscalationBody.UWV_KLACHTENBUREAU: (
        "U kunt zich melden bij %(body)s.",
        "You can turn to %(body)s.",
    ),
    EscalationBody.NATIONALE_OMBUDSMAN: (
        "U kunt zich wenden tot %(body)s.",
        "You can turn to %(body)s.",
    ),
    EscalationBody.GEMEENTELIJKE_OMBUDSMAN: (
        "U kunt zich wenden tot %(body)s.",
        "You can turn to %(body)s.",
    ),
    EscalationBody.EXTERNAL_PARTY: (
        "U kunt uw klacht laten behandelen door %(body)s.",
        "You can have your complaint dealt with by %(body)s.",
    ),
    EscalationBody.INTEREST_GROUPS: (
        "U kunt ook terecht bij %(body)s.",
        "You can also turn to %(body)s.",
    ),
}
# The body's name when the regulation's route gives none (EscalationRoute.name), and its website
# where it is a public body everyone can look up.
BODY_NAMES: dict[EscalationBody, tuple[str, str]] = {
    EscalationBody.OPDRACHTGEVER: (
        "de opdrachtgever van uw traject (bijvoorbeeld uw werkgever, UWV of de gemeente)",
        "the party that commissioned your programme (for example your employer, UWV or the "
        "municipality)",
    ),
    EscalationBody.UWV_ARBEIDSDESKUNDIGE: (
        "uw arbeidsdeskundige bij UWV",
        "your labour expert (arbeidsdeskundige) at UWV",
    ),
    EscalationBody.UWV_KLACHTENBUREAU: (
        "het klachtenbureau van UWV",
        "the complaints office of UWV",
    ),
    EscalationBody.NATIONALE_OMBUDSMAN: ("de Nationale Ombudsman", "the National Ombudsman"),
    EscalationBody.GEMEENTELIJKE_OMBUDSMAN: (
        "de ombudsman van uw gemeente",
        "the ombudsman of your municipality",
    ),
    EscalationBody.EXTERNAL_PARTY: ("een externe partij", "an external party"),
    EscalationBody.INTEREST_GROUPS: (
        "organisaties die de belangen van cliënten behartigen",
        "organisations that represent clients' interests",
    ),
}
BODY_WEBSITES: dict[EscalationBody, str] = {
    EscalationBody.NATIONALE_OMBUDSMAN: "www.nationaleombudsman.nl",
}
# The opdrachtgever the complaint names (Complaint.commissioning_party) is named in the letter.
NAMED_OPDRACHTGEVER = (
    "de opdrachtgever van uw traject, %(party)s",
    "the party that commissioned your programme, %(party)s",
)


def body_text(
    body: EscalationBody,
    language: str,
    *,
    name: str | None = None,
    website: str | None = None,
    address: str | None = None,
) -> str:
    """The sentence that points the complainant to a body: "U kunt zich wenden tot de Nationale
    Ombudsman (www.nationaleombudsman.nl)."; without a name, the kind of body's default."""
    named = name or _text(BODY_NAMES[body], language)
    contact = [
        part
        for part in (
            website or BODY_WEBSITES.get(body),
            ", ".join(line.strip() for line in (address or "").splitlines() if line.strip()),
        )
        if part
    ]
    if contact:
        named += " (" + "; ".join(contact) + ")"
    return _text(BODY_SENTENCES[body], language) % {"body": named}


# The event a term starts with, as a complainant would say it after "binnen vijf werkdagen na".
START_PHRASES: dict[Event, str] = {
    Event.RECEIVED: gettext_noop("ontvangst van uw klacht"),
    Event.REGISTERED: gettext_noop("ontvangst van uw klacht"),
    Event.ACKNOWLEDGED: gettext_noop("de ontvangstbevestiging"),
    Event.DECLARED_INADMISSIBLE: gettext_noop("ons besluit de klacht niet in behandeling te nemen"),
    Event.CONSULTATION_HELD: gettext_noop("het gesprek over uw klacht"),
    Event.HEARING_HELD: gettext_noop("het horen"),
    Event.REFERRED_TO_COMMITTEE: gettext_noop("de voorlegging aan de klachtencommissie"),
    Event.COMMITTEE_ADVICE_GIVEN: gettext_noop("het advies van de klachtencommissie"),
    Event.DECISION_MADE: gettext_noop("de beslissing"),
    Event.DECISION_SENT: gettext_noop("de beslissing"),
    Event.RESOLVED_INFORMALLY: gettext_noop("de oplossing van uw klacht"),
    Event.REGISTERED_LETTER_DELIVERED: gettext_noop("ontvangst van onze aangetekende brief"),
}

# What the complainant receives within each kind of term, in one sentence.
PROCEDURE_SENTENCES: dict[DeadlineKind, str] = {
    DeadlineKind.ACKNOWLEDGEMENT: gettext_noop(
        "U krijgt binnen %(duration)s na %(start)s een schriftelijke bevestiging dat wij de "
        "klacht hebben ontvangen."
    ),
    DeadlineKind.FIRST_CONTACT: gettext_noop(
        "Binnen %(duration)s na %(start)s nemen wij contact met u op om samen naar een "
        "oplossing te zoeken."
    ),
    DeadlineKind.INADMISSIBILITY_NOTICE: gettext_noop(
        "Nemen wij de klacht niet in behandeling, dan laten wij u dat binnen %(duration)s na "
        "%(start)s schriftelijk weten, met de reden."
    ),
    DeadlineKind.AGREEMENT_LETTER: gettext_noop(
        "Maken wij samen afspraken over de klacht, dan krijgt u die binnen %(duration)s na "
        "%(start)s op papier."
    ),
    DeadlineKind.CONSULTATION_CONFIRMATION: gettext_noop(
        "Lost het gesprek de klacht niet op, dan bevestigen wij het gesprek binnen %(duration)s "
        "schriftelijk."
    ),
    DeadlineKind.FOLLOW_UP_INFORMATION: gettext_noop(
        "In dat geval laten wij u ook binnen %(duration)s na %(start)s weten hoe de klacht "
        "verder wordt behandeld, door wie en binnen welke termijn."
    ),
    DeadlineKind.HEARING_REPORT: gettext_noop(
        "Worden u en de betrokken medewerker gehoord, dan krijgt u binnen %(duration)s na "
        "%(start)s een verslag daarvan."
    ),
    DeadlineKind.COMMITTEE_ADVICE: gettext_noop(
        "Wordt de klacht voorgelegd aan de klachtencommissie, dan brengt die binnen "
        "%(duration)s na %(start)s advies uit."
    ),
    DeadlineKind.DECISION: gettext_noop(
        "U krijgt binnen %(duration)s na %(start)s een schriftelijke beslissing op uw klacht."
    ),
    DeadlineKind.PROGRESS_NOTICE: gettext_noop(
        "Lukt het niet binnen de termijn, dan laten wij u binnen %(duration)s na %(start)s weten "
        "waarom."
    ),
    DeadlineKind.FINAL_REPORT: gettext_noop(
        "Is de klacht opgelost, dan krijgt u binnen %(duration)s na %(start)s een schriftelijk "
        "verslag."
    ),
}

# Steps that are the register's own bookkeeping, not something that happened to the complaint.
BOOKKEEPING = frozenset({Event.REGISTERED, Event.HANDLER_ASSIGNED, Event.MEASURES_RECORDED})


def _text(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def _date(day: dt.date | None) -> str:
    return date_format(day, "j F Y") if day else ""


def _last(history: tuple[EventRecord, ...], event: Event) -> EventRecord | None:
    return next((item for item in reversed(history) if item.event is event), None)


class Prefill:
    """The texts for one complaint as of ``snapshot``; ``dated_on`` is the letter's date."""

    def __init__(
        self,
        complaint: Complaint,
        snapshot: Snapshot,
        language: str,
        dated_on: dt.date,
    ) -> None:
        self.complaint = complaint
        self.snapshot = snapshot
        self.regulation: Regulation = snapshot.regulation
        self.history = snapshot.history
        self.language = language
        self.dated_on = dated_on
        self.contents: frozenset[Content] = frozenset()

    def values(self, contents: list[Content]) -> dict[str, str]:
        self.contents = frozenset(contents)
        with override(self.language):
            return {content.value: self._value(content) for content in contents}

    def _value(self, content: Content) -> str:
        maker: Callable[[], str] | None = getattr(self, f"_{content.value}", None)
        return maker() if maker is not None else ""

    # --- the complaint ------------------------------------------------------------------------

    def _complaint_description(self) -> str:
        return self.complaint.description

    _complaint_copy = _complaint_description

    def _date_place_circumstances(self) -> str:
        if self.complaint.facts_date is None:
            return ""
        return _("Datum: %(date)s") % {"date": _date(self.complaint.facts_date)}

    def _facts_date(self) -> str:
        return _date(self.complaint.facts_date) or _("niet bekend")

    def _receipt_date(self) -> str:
        return _date(self.complaint.received_on)

    def _acknowledgement_date(self) -> str:
        acknowledged = _last(self.history, Event.ACKNOWLEDGED)
        return _date(acknowledged.on if acknowledged else self.dated_on)

    # --- people -------------------------------------------------------------------------------

    def _handler(self) -> str:
        assigned = _last(self.history, Event.HANDLER_ASSIGNED)
        if assigned is not None and isinstance(assigned.details, HandlerDetails):
            return assigned.details.handler
        return ""

    _contact_person = _handler

    def _handler_function(self) -> str:
        """The function recorded with the handler's name (Loket3, Handelswijze 2)."""
        assigned = _last(self.history, Event.HANDLER_ASSIGNED)
        if assigned is not None and isinstance(assigned.details, HandlerDetails):
            return assigned.details.function or ""
        return ""

    def _committee_composition(self) -> str:
        appointed = _last(self.history, Event.COMMITTEE_APPOINTED)
        if appointed is not None and isinstance(appointed.details, CommitteeDetails):
            chair = appointed.details.chair
            return ", ".join(
                _("%(name)s (voorzitter)") % {"name": member} if member == chair else member
                for member in appointed.details.members
            )
        return ""

    # --- terms and procedure ------------------------------------------------------------------

    def _expected_term(self) -> str:
        """The term in plain words and the date it gives: "binnen 4 weken na ontvangst van uw
        klacht, uiterlijk op 18 mei 2027"."""
        # An own, shorter target is what the organisation expects to meet (SmartPLUS's four
        # weeks, Toelichting Punt 7); else the binding decision term.
        views = [v for v in self.snapshot.deadlines if v.kind is DeadlineKind.SERVICE_NORM] or [
            v for v in self.snapshot.deadlines if v.kind is DeadlineKind.DECISION
        ]
        running = [v for v in views if not v.settled] or views
        if not running:
            return ""
        view = running[-1]
        return _("binnen %(duration)s na %(start)s, uiterlijk op %(date)s") % {
            "duration": duration_label(view.rule.duration.amount, view.rule.duration.unit),
            "start": self._start(view.rule.starts_on[0]),
            "date": _date(view.due),
        }

    def _start(self, ref: EventRef) -> str:
        """The moment a term starts, as a complainant says it ("ontvangst van uw klacht")."""
        phrase = START_PHRASES.get(ref.event)
        if phrase is not None:
            return str(_(phrase))
        return event_label(self.regulation, ref, self.language).lower()

    def _procedure_information(self) -> str:
        """Each term the complainant meets, in a sentence: what they receive and when."""
        lines = []
        for rule in self.regulation.deadlines:
            if rule.kind in (DeadlineKind.SILENCE_CLOSURE, DeadlineKind.SERVICE_NORM):
                continue
            values = {
                "duration": duration_label(rule.duration.amount, rule.duration.unit),
                "start": self._start(rule.starts_on[0]),
            }
            own = rule.letter_text_en if self.language == "en" else rule.letter_text
            sentence = PROCEDURE_SENTENCES.get(rule.kind)
            if own:
                # The regulation's own sentence for the term (``letter_text:``) wins.
                line = own.strip()
            elif sentence is None:
                line = _("%(label)s: binnen %(duration)s na %(start)s.") % {
                    **values,
                    "label": own_label(rule, self.language),
                }
            else:
                line = str(_(sentence)) % values
            if line not in lines:
                lines.append(line)
        return "\n".join(f"- {line}" for line in lines)

    def _invitation_to_consultation(self) -> str:
        return _(
            "Wij nodigen u graag uit voor een gesprek over uw klacht. Wij nemen contact met u op "
            "om een afspraak te maken."
        )

    def _counsel_allowed(self) -> str:
        return _("U mag zich laten bijstaan door een raadsman of vertegenwoordiger.")

    def _committee_working_method(self) -> str:
        role = next((r for r in self.regulation.roles if r.committee is not None), None)
        if role is None:
            return ""
        advice = [d for d in self.regulation.deadlines if d.kind is DeadlineKind.COMMITTEE_ADVICE]
        text = role.duties or ""
        if text and text.split()[0][0].isupper() and text.split()[0].endswith("t"):
            # Regulations describe a role's duties without a subject ("Brengt binnen drie weken
            # advies uit"): in a letter the committee is the subject of the sentence.
            text = _("De klachtencommissie %(duties)s") % {"duties": text[0].lower() + text[1:]}
        if advice:
            rule = advice[0]
            text += "\n" + _("De commissie brengt binnen %(duration)s advies uit.") % {
                "duration": duration_label(rule.duration.amount, rule.duration.unit)
            }
        return text.strip()

    def _steps_taken(self) -> str:
        """What happened so far, each step once, in the words of the regulation; the register's
        own bookkeeping (assigning a handler, recording measures) left out."""
        lines: list[str] = []
        for item in self.history:
            if item.event in BOOKKEEPING:
                continue
            label = event_label(self.regulation, EventRef(event=item.event), self.language)
            line = f"- {_date(item.on)}: {label}"
            if line not in lines:
                lines.append(line)
        return "\n".join(lines)

    # --- admissibility, extension, decision ---------------------------------------------------

    def _inadmissible(self) -> InadmissibleDetails | None:
        item = _last(self.history, Event.DECLARED_INADMISSIBLE)
        return item.details if item and isinstance(item.details, InadmissibleDetails) else None

    def _ground(self) -> str:
        details = self._inadmissible()
        if details is None:
            return ""
        if details.ground is None:
            # A regulation without listed grounds (IN FOCUS Samen): the reason given is the ground.
            return details.reason or ""
        ground = next(
            (g for g in self.regulation.admissibility.grounds if g.id == details.ground), None
        )
        return own_label(ground, self.language) if ground else details.ground

    def _extension(self) -> tuple[ExtensionDetails | TermAgreedDetails, dt.date] | None:
        # The latest move of a term: an extension, or a new term agreed with the complainant.
        item = next(
            (h for h in reversed(self.history) if h.event in (Event.EXTENDED, Event.TERM_AGREED)),
            None,
        )
        if item is None or not isinstance(item.details, ExtensionDetails | TermAgreedDetails):
            return None
        details = item.details
        views = [
            v
            for v in self.snapshot.deadlines
            if (details.deadline and v.id == details.deadline)
            or (details.kind and v.kind is details.kind)
        ]
        return (details, views[-1].due) if views else None

    def _extension_reason(self) -> str:
        extension = self._extension()
        return (extension[0].reason or "") if extension else ""

    _delay_reason = _extension_reason

    def _new_due_date(self) -> str:
        extension = self._extension()
        return _date(extension[1]) if extension else ""

    def _decision(self) -> DecisionDetails | None:
        item = _last(self.history, Event.DECISION_MADE)
        return item.details if item and isinstance(item.details, DecisionDetails) else None

    def _judgement(self) -> str:
        decision = self._decision()
        return _(OUTCOME_LABELS[decision.outcome]) if decision else ""

    _outcome = _judgement

    def _motivation(self) -> str:
        decision = self._decision()
        if decision is not None and decision.motivation:
            return decision.motivation
        inadmissible = self._inadmissible()
        return inadmissible.reason or "" if inadmissible else ""

    def _measures(self) -> str:
        lines = [
            f"- {_(OUTCOME_LABELS[item.details.type])}: {item.details.description}"
            for item in self.history
            if isinstance(item.details, MeasuresDetails) and item.details.description
        ]
        return "\n".join(lines)

    # --- where to go next ---------------------------------------------------------------------

    def _routes(self) -> list[EscalationRoute]:
        def applies(route: EscalationRoute) -> bool:
            return route.condition is not Condition.UWV_CLIENT or self.complaint.uwv_client

        routes = [route for route in self.regulation.escalation if applies(route)]
        return sorted(routes, key=lambda route: not route.mentioned_in_decision)

    def _route_text(self, route: EscalationRoute) -> str:
        name = route.name_en if self.language == "en" and route.name_en else route.name
        party = self.complaint.commissioning_party.strip()
        if route.to is EscalationBody.OPDRACHTGEVER and party:
            # The complaint names the opdrachtgever: the letter says who it is.
            name = _text(NAMED_OPDRACHTGEVER, self.language) % {"party": party}
        text = body_text(
            route.to, self.language, name=name, website=route.website, address=route.address
        )
        if route.term is not None:
            text += " " + _("Dat kan binnen %(duration)s na deze beslissing.") % {
                "duration": duration_label(route.term.amount, route.term.unit)
            }
        return text

    def _escalation_route(self) -> str:
        routes = self._routes()
        if Content.OMBUDSMAN in self.contents:
            # The letter names the Nationale Ombudsman in a paragraph of its own: once is enough.
            routes = [r for r in routes if r.to is not EscalationBody.NATIONALE_OMBUDSMAN]
        return "\n".join(f"- {self._route_text(route)}" for route in routes)

    def _ombudsman(self) -> str:
        route = next(
            (r for r in self._routes() if r.to is EscalationBody.NATIONALE_OMBUDSMAN), None
        )
        if route is not None:
            return self._route_text(route)
        return body_text(EscalationBody.NATIONALE_OMBUDSMAN, self.language)

    def _silence_consequence(self) -> str:
        rule = next(
            (d for d in self.regulation.deadlines if d.kind is DeadlineKind.SILENCE_CLOSURE), None
        )
        if rule is None or rule.on_expiry is None:
            return ""
        return _(
            "Als wij binnen %(duration)s na ontvangst van deze brief geen reactie van u hebben "
            "ontvangen, beschouwen wij de klacht als %(reason)s."
        ) % {
            "duration": duration_label(rule.duration.amount, rule.duration.unit),
            "reason": rule.on_expiry.reason,
        }
