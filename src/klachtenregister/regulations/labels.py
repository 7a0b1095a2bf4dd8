"""Display names of the vocabulary, in Dutch (the message ids) and translatable.

A regulation may rename events for display (``event_labels``); these are the defaults.
"""

from __future__ import annotations

from klachtenregister.regulations.vocabulary import Event


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
}
