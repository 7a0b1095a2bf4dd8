"""Display names of the vocabulary, in Dutch (the message ids) and translatable.

One catalogue serves the web interface (Django's gettext) and the CLI (the standard library's
gettext on the same files): callers pass the ``gettext``/``ngettext`` of their language.
A regulation may rename events for display (``event_labels``); these are the defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from klachtenregister.calendars.units import DurationUnit
from klachtenregister.regulations.schema import EventRef, Regulation
from klachtenregister.regulations.vocabulary import Condition, DeadlineKind, Event

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def gettext_noop(message: str) -> str:
    """Marks a message for extraction (``makemessages``); it is translated where shown."""
    return message


EVENT_LABELS: dict[Event, str] = {
    Event.RECEIVED: gettext_noop("klacht ontvangen"),
    Event.REGISTERED: gettext_noop("klacht geregistreerd"),
    Event.ACKNOWLEDGED: gettext_noop("ontvangst bevestigd"),
    Event.SUBJECT_INFORMED: gettext_noop("beklaagde geïnformeerd"),
    Event.ACCEPTED: gettext_noop("in behandeling genomen"),
    Event.DECLARED_INADMISSIBLE: gettext_noop("niet in behandeling genomen"),
    Event.INADMISSIBILITY_NOTICE_SENT: gettext_noop("bericht niet-behandeling verstuurd"),
    Event.HANDLER_ASSIGNED: gettext_noop("behandelaar aangewezen"),
    Event.COMMITTEE_APPOINTED: gettext_noop("klachtencommissie benoemd"),
    Event.EXTERNAL_PARTY_ENGAGED: gettext_noop("externe partij ingeschakeld"),
    Event.CONSULTATION_HELD: gettext_noop("overleg gevoerd"),
    Event.AGREEMENT_LETTER_SENT: gettext_noop("brief met afspraken verstuurd"),
    Event.CONSULTATION_CONFIRMATION_SENT: gettext_noop("bevestiging van het overleg verstuurd"),
    Event.FOLLOW_UP_INFORMATION_SENT: gettext_noop("informatie over het vervolg verstuurd"),
    Event.REFERRED_TO_COMMITTEE: gettext_noop("voorgelegd aan de klachtencommissie"),
    Event.COMMITTEE_ADVICE_GIVEN: gettext_noop("advies klachtencommissie uitgebracht"),
    Event.HEARING_HELD: gettext_noop("partijen gehoord"),
    Event.HEARING_DECLINED: gettext_noop("afgezien van horen"),
    Event.HEARING_INVITATION_SENT: gettext_noop("uitnodiging om te worden gehoord verstuurd"),
    Event.HEARING_REPORT_SENT: gettext_noop("verslag van het horen verstuurd"),
    Event.EXTENDED: gettext_noop("termijn verlengd"),
    Event.PROGRESS_NOTICE_SENT: gettext_noop("voortgangsbericht verstuurd"),
    Event.DECISION_MADE: gettext_noop("oordeel gegeven"),
    Event.DECISION_SENT: gettext_noop("beslissing verstuurd"),
    Event.MEASURES_RECORDED: gettext_noop("maatregelen vastgelegd"),
    Event.REPORT_SENT: gettext_noop("schriftelijk verslag verstuurd"),
    Event.THIRD_PARTY_INFORMED: gettext_noop("derde geïnformeerd"),
    Event.RESOLVED_INFORMALLY: gettext_noop("informeel opgelost"),
    Event.WITHDRAWN: gettext_noop("klacht ingetrokken"),
    Event.REGISTERED_LETTER_DELIVERED: gettext_noop("aangetekende brief bezorgd"),
    Event.REACTION_RECEIVED: gettext_noop("reactie ontvangen"),
    Event.CLOSED: gettext_noop("klacht afgesloten"),
    Event.ESCALATED: gettext_noop("klacht geëscaleerd"),
    Event.REOPENED: gettext_noop("klacht heropend"),
    Event.NOTE_ADDED: gettext_noop("notitie toegevoegd"),
    Event.REGISTRATION_VOIDED: gettext_noop("registratie ongeldig verklaard"),
    Event.FACTS_CORRECTED: gettext_noop("gegevens gecorrigeerd"),
    Event.TODO_DONE: gettext_noop("taak afgehandeld"),
    Event.COMPLAINT_PUT_IN_WRITING: gettext_noop("klacht op schrift gesteld"),
    Event.COMPLETION_REQUESTED: gettext_noop("gevraagd de klacht aan te vullen"),
    Event.COMPLAINT_COMPLETED: gettext_noop("klacht aangevuld"),
    Event.STAGE_STARTED: gettext_noop("volgende behandelfase begonnen"),
    Event.DELIVERY_DATE_CHANGED: gettext_noop("afleverdatum brief vastgelegd"),
    # Intake (issue 14 §3).
    Event.WRITTEN_FORM_REQUESTED: gettext_noop("gevraagd de klacht op schrift te stellen"),
}

# Consent and agreements (issue 14 §4).
EVENT_LABELS.update(
    {
        Event.CONSENT_RECORDED: gettext_noop("toestemming klager vastgelegd"),
        Event.TERM_AGREED: gettext_noop("nieuwe termijn afgesproken"),
        Event.HEARING_REPORT_RETURNED: gettext_noop("verslag ter ondertekening teruggekomen"),
        Event.COSTS_RECORDED: gettext_noop("kosten vastgelegd"),
    }
)

DEADLINE_KIND_LABELS: dict[DeadlineKind, str] = {
    DeadlineKind.ACKNOWLEDGEMENT: gettext_noop("Ontvangstbevestiging"),
    DeadlineKind.FIRST_CONTACT: gettext_noop("Eerste contact"),
    DeadlineKind.INADMISSIBILITY_NOTICE: gettext_noop("Bericht niet in behandeling nemen"),
    DeadlineKind.AGREEMENT_LETTER: gettext_noop("Brief met afspraken"),
    DeadlineKind.CONSULTATION_CONFIRMATION: gettext_noop("Bevestiging van het gesprek"),
    DeadlineKind.FOLLOW_UP_INFORMATION: gettext_noop("Nadere informatie"),
    DeadlineKind.HEARING_REPORT: gettext_noop("Verslag van het horen"),
    DeadlineKind.COMMITTEE_ADVICE: gettext_noop("Advies van de klachtencommissie"),
    DeadlineKind.DECISION: gettext_noop("Beslissing"),
    DeadlineKind.SERVICE_NORM: gettext_noop("Interne norm"),
    DeadlineKind.PROGRESS_NOTICE: gettext_noop("Voortgangsbericht"),
    DeadlineKind.FINAL_REPORT: gettext_noop("Eindrapportage"),
    DeadlineKind.SILENCE_CLOSURE: gettext_noop("Afsluiten bij uitblijven van reactie"),
    DeadlineKind.COMPLETION: gettext_noop("Klacht aanvullen"),
}

OUTCOME_LABELS: dict[str, str] = {
    "agreement": gettext_noop("overeenstemming"),
    "no_agreement": gettext_noop("geen overeenstemming"),
    "founded": gettext_noop("gegrond"),
    "partly_founded": gettext_noop("deels gegrond"),
    "unfounded": gettext_noop("ongegrond"),
    "corrective": gettext_noop("corrigerend"),
    "preventive": gettext_noop("preventief"),
    # The kinds of contact a note records (note_added).
    "telephone": gettext_noop("telefoon"),
    "email": gettext_noop("e-mail"),
    "conversation": gettext_noop("gesprek"),
    "other": gettext_noop("overig"),
    # How a complaint was put in writing (complaint_put_in_writing).
    "letter": gettext_noop("brief"),
    "signed_form": gettext_noop("ondertekend klachtformulier"),
    # Consent and agreements (issue 14 §4): consent to internal handling, a report returned,
    # the kind of costs.
    "given": gettext_noop("gegeven"),
    "refused": gettext_noop("geweigerd"),
    "signed": gettext_noop("ondertekend"),
    "commented": gettext_noop("met opmerkingen"),
    "representation": gettext_noop("bijstand op eigen kosten"),
    "travel": gettext_noop("vergoeding reiskosten"),
}

CONDITION_LABELS: dict[Condition, str] = {
    Condition.UWV_CLIENT: gettext_noop("de klager is cliënt van UWV"),
    Condition.SUBJECT_NAMED: gettext_noop("de klacht noemt iemand over wie geklaagd wordt"),
    Condition.ANONYMOUS: gettext_noop("de klacht is anoniem"),
    Condition.NOT_IN_WRITING: gettext_noop("de klacht is niet schriftelijk ingediend"),
    Condition.CHANNEL_NOT_ACCEPTED: gettext_noop(
        "de klacht kwam binnen via een weg die het reglement niet aanneemt"
    ),
    Condition.INCOMPLETE: gettext_noop("de klacht is na een verzoek daartoe niet aangevuld"),
}


class Labelled(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def label_en(self) -> str | None: ...


def own_label(item: Labelled, language: str) -> str:
    """A rule's label as the regulation writes it (Dutch), or its English one where it has one."""
    return item.label_en if language == "en" and item.label_en else item.label


def duration_label(amount: int, unit: DurationUnit, ngettext: Ngettext) -> str:
    """``5 werkdagen``, ``1 week`` (or ``5 working days`` with an English ``ngettext``)."""
    words = {
        DurationUnit.WORKING_DAYS: ngettext("werkdag", "werkdagen", amount),
        DurationUnit.DAYS: ngettext("dag", "dagen", amount),
        DurationUnit.WEEKS: ngettext("week", "weken", amount),
        DurationUnit.MONTHS: ngettext("maand", "maanden", amount),
    }
    return f"{amount} {words[unit]}"


def event_label(regulation: Regulation, ref: EventRef, language: str, gettext: Gettext) -> str:
    """The regulation's own word for an event (it writes Dutch), else the translated default;
    with the outcome it is narrowed to, if any."""
    own = regulation.event_labels.get(ref.event) if language == "nl" else None
    label = own or gettext(EVENT_LABELS[ref.event])
    if ref.outcome is None:
        return label
    stage = next((s for s in regulation.handling.stages if s.id == ref.outcome), None)
    if ref.event is Event.STAGE_STARTED and stage is not None:
        return f"{label} ({own_label(stage, language)})"
    return f"{label} ({gettext(OUTCOME_LABELS[ref.outcome])})"


def deadline_kind_label(kind: DeadlineKind, gettext: Gettext) -> str:
    return gettext(DEADLINE_KIND_LABELS[kind])
