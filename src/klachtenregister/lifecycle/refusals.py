"""Why an event is refused, in words a person can act on.

The messages are Dutch message ids (the interface's language) with ``{placeholders}``; they are
translated where they are shown, by the caller's ``gettext`` (Django's in the web, the standard
library's in the CLI), so one catalogue serves both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from klachtenregister.regulations.labels import CONDITION_LABELS, EVENT_LABELS, gettext_noop
from klachtenregister.regulations.vocabulary import Condition, Event

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class Refusal:
    message: str
    params: dict[str, object] = field(default_factory=dict)

    def render(self, gettext: Gettext | None = None) -> str:
        translate = gettext or (lambda message: message)
        return translate(self.message).format(
            **{key: _param(value, translate) for key, value in self.params.items()}
        )

    def __str__(self) -> str:
        return self.render()


class Refused(Exception):
    """An event that is not allowed now; ``refusal`` says why."""

    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal
        super().__init__(refusal.render())


def _param(value: object, gettext: Gettext) -> str:
    if isinstance(value, Event):
        return gettext(EVENT_LABELS[value])
    if isinstance(value, Condition):
        return gettext(CONDITION_LABELS[value])
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(_param(item, gettext) for item in value) or "-"
    return str(value)


# --- messages ---------------------------------------------------------------------------------
# Order and dates
NOT_RECEIVED = gettext_noop(
    "De klacht is nog niet ontvangen: de eerste gebeurtenis moet 'klacht ontvangen' zijn."
)
ALREADY_RECEIVED = gettext_noop("De klacht is al ontvangen op {date}.")
BEFORE_PREVIOUS = gettext_noop(
    "De datum {date} ligt vóór de vorige gebeurtenis ({previous}); leg gebeurtenissen op "
    "volgorde vast."
)
CLOSED = gettext_noop(
    "De klacht is afgesloten op {date}; alleen heropenen of escaleren is nog mogelijk."
)
WITHDRAWN = gettext_noop(
    "De klacht is ingetrokken op {date}; alleen afsluiten of escaleren is nog mogelijk."
)
VOIDED = gettext_noop(
    "De registratie van deze klacht is ongeldig verklaard op {date}; alleen een notitie is nog "
    "mogelijk."
)
# Who
UNKNOWN_ROLE = gettext_noop("Onbekende rol '{role}'; dit reglement kent: {roles}.")
ROLE_NOT_ALLOWED = gettext_noop(
    "De rol '{role}' mag '{event}' niet vastleggen; volgens het reglement mag dat: {roles}."
)
NOT_AUTOMATIC = gettext_noop(
    "'{event}' wordt nooit automatisch vastgelegd: het reglement verbindt het aan geen termijn."
)
NOT_DUE_AUTOMATICALLY = gettext_noop(
    "'{event}' op {date} volgt uit geen verstreken termijn; het systeem legt het niet vast."
)
# Once only
ALREADY_DONE = gettext_noop("'{event}' is al vastgelegd op {date}.")
# Admissibility
ADMISSIBILITY_DECIDED = gettext_noop(
    "Er is al beslist of de klacht in behandeling wordt genomen: '{event}' op {date}."
)
ANONYMOUS_NOT_ACCEPTED = gettext_noop(
    "Dit reglement neemt geen anonieme klachten in behandeling ({source})."
)
GROUND_REQUIRED = gettext_noop("Geef de grond (ground); dit reglement kent: {grounds}.")
UNKNOWN_GROUND = gettext_noop("Onbekende grond '{ground}'; dit reglement kent: {grounds}.")
REASON_REQUIRED = gettext_noop(
    "Dit reglement noemt geen gronden om een klacht niet in behandeling te nemen; geef de "
    "reden (reason)."
)
REASON_REQUIRED_ANONYMOUS = gettext_noop(
    "Dit reglement neemt geen anonieme klachten in behandeling; noem de grond (ground) of geef "
    "de reden (reason)."
)
GROUND_CONDITION = gettext_noop(
    "De grond '{ground}' geldt alleen als {condition}, en dat is bij deze klacht niet zo."
)
GROUND_TIME_LIMIT_NOT_EXCEEDED = gettext_noop(
    "De grond '{ground}' geldt niet: de gedraging ({facts_date}) ligt niet meer dan {limit} "
    "vóór de ontvangst ({received}); die termijn verliep pas op {limit_date}."
)
NOT_INADMISSIBLE = gettext_noop(
    "De klacht is niet niet-ontvankelijk verklaard; er is geen bericht over niet-behandeling "
    "te versturen."
)
INADMISSIBLE = gettext_noop(
    "De klacht is op {date} niet in behandeling genomen; '{event}' past daar niet bij."
)
NOT_ACCEPTED = gettext_noop(
    "De klacht is nog niet in behandeling genomen; leg eerst '{accepted}' vast."
)
# Impartiality
HANDLER_IS_SUBJECT = gettext_noop(
    "{person} kan de klacht niet behandelen: de klacht gaat over {person} ({source})."
)
HANDLER_IS_INVOLVED = gettext_noop(
    "{person} kan de klacht niet behandelen: {person} is betrokken bij de gedraging waarover "
    "geklaagd wordt ({source})."
)
NO_COMMITTEE = gettext_noop("Dit reglement kent geen klachtencommissie.")
COMMITTEE_SIZE = gettext_noop(
    "De klachtencommissie telt volgens het reglement {size} leden, niet {count} ({source})."
)
COMMITTEE_DUPLICATE = gettext_noop("{person} staat meer dan eens in de klachtencommissie.")
MEMBER_IS_SUBJECT = gettext_noop(
    "{person} kan geen lid zijn van de klachtencommissie: de klacht gaat over {person} ({source})."
)
MEMBER_IS_INVOLVED = gettext_noop(
    "{person} kan geen lid zijn van de klachtencommissie: {person} is betrokken bij de "
    "gedraging waarover geklaagd wordt ({source})."
)
HANDLER_NOW_SUBJECT = gettext_noop(
    "De klacht gaat na een correctie ook over behandelaar {person}; {person} kan de klacht niet "
    "verder behandelen. Wijs eerst een andere behandelaar aan ('{assign}'), dan kan de "
    "behandeling verder."
)
MEMBER_NOW_SUBJECT = gettext_noop(
    "De klacht gaat na een correctie ook over commissielid {person}; {person} kan niet in de "
    "klachtencommissie blijven. Stel eerst de commissie opnieuw samen ('{appoint}'), dan kan de "
    "behandeling verder."
)
NO_EXTERNAL_PARTY = gettext_noop(
    "Dit reglement voorziet niet in het inschakelen van een externe partij."
)
# Steps that need an earlier step
NO_AGREEMENT = gettext_noop(
    "Er is geen overeenstemming bereikt of vastgelegd; er zijn geen afspraken te bevestigen."
)
NO_CONSULTATION = gettext_noop("Er is nog geen overleg gevoerd.")
HEARING_NOT_HELD = gettext_noop(
    "Dit reglement schrijft voor dat er gehoord wordt ({source}); leg eerst '{event}' vast."
)
HEARING_NOT_OFFERED = gettext_noop(
    "De gelegenheid om te worden gehoord ({source}) moet eerst worden geboden en het horen "
    "gehouden of afgewezen: leg '{invited}' en daarna '{held}' of '{declined}' vast."
)
NO_SUCH_TODO = gettext_noop("Er staat geen open taak '{todo}' op deze klacht (open taken: {open}).")
HEARING_NOT_INVITED = gettext_noop(
    "Er is nog geen uitnodiging om te worden gehoord verstuurd; leg eerst '{event}' vast."
)
HEARING_REQUIRED = gettext_noop(
    "Dit reglement schrijft voor dat er gehoord wordt ({source}); afzien van horen kan niet."
)
NO_HEARING_OFFER = gettext_noop(
    "Dit reglement biedt niet aan om te worden gehoord; er is niets af te zien."
)
NO_CONFIRMATION_SENT = gettext_noop(
    "Er is nog geen schriftelijke bevestiging van de afspraken en geen beslissing verstuurd; "
    "de aangetekende bevestiging ({source}) volgt op een van die twee."
)
NOT_REFERRED = gettext_noop("De klacht is niet aan de klachtencommissie voorgelegd.")
ADVICE_PENDING = gettext_noop(
    "De klachtencommissie heeft nog geen advies uitgebracht; het oordeel volgt op het advies."
)
NO_HEARING = gettext_noop("Er is niemand gehoord, dus er is geen verslag te versturen.")
REPORTS_SENT = gettext_noop(
    "Van elk gesprek waarin partijen zijn gehoord is al een verslag verstuurd."
)
NO_DECISION = gettext_noop("Er is nog geen oordeel gegeven; leg eerst '{event}' vast.")
ALREADY_DECIDED = gettext_noop(
    "Er is al een oordeel gegeven op {date}; heropen de klacht voor een nieuw oordeel."
)
ALREADY_RESOLVED = gettext_noop("De klacht is op {date} al informeel opgelost.")
NO_INFORMAL_RESOLUTION = gettext_noop("Dit reglement kent geen informele afhandeling.")
DECISION_SENT = gettext_noop("De beslissing is al verstuurd op {date}.")
CANNOT_CLOSE = gettext_noop(
    "De klacht kan nog niet worden afgesloten: er is geen beslissing verstuurd, geen "
    "informele oplossing vastgelegd, niet besloten de klacht niet te behandelen en de klacht is "
    "niet ingetrokken."
)
NOT_CLOSED = gettext_noop("Alleen een afgesloten klacht kan worden heropend.")
ERASED = gettext_noop(
    "De persoonsgegevens van deze klacht zijn verwijderd (AVG); de klacht kan niet meer worden "
    "heropend. Registreer zo nodig een nieuwe klacht."
)
# Corrections
RECEIVED_AFTER_STEP = gettext_noop(
    "De ontvangstdatum kan niet {date} worden: '{event}' is al op {step_date} vastgelegd, en "
    "dat kan niet vóór de ontvangst."
)
RECEIVED_AFTER_CORRECTION = gettext_noop(
    "De ontvangstdatum kan niet {date} worden: die ligt na de datum van de correctie ({on})."
)
RECEIVED_OUTSIDE_CALENDAR = gettext_noop(
    "De ontvangstdatum {date} valt buiten de werkdagenkalender van het reglement "
    "({first} tot en met {last}); termijnen zijn dan niet te berekenen."
)
# Escalation
NO_ESCALATION = gettext_noop("Dit reglement noemt geen mogelijkheid om te escaleren.")
UNKNOWN_ESCALATION = gettext_noop(
    "Dit reglement kent geen escalatie naar '{to}'; wel naar: {routes}."
)
ESCALATION_CONDITION = gettext_noop(
    "Escalatie naar '{to}' kan volgens het reglement alleen als {condition} ({source})."
)
# Extensions
UNKNOWN_DEADLINE = gettext_noop("Onbekende termijn '{deadline}'; dit reglement kent: {deadlines}.")
NO_OPEN_DEADLINE = gettext_noop("Er loopt geen termijn '{deadline}' die verlengd kan worden.")
AMBIGUOUS_KIND = gettext_noop(
    "Er lopen meer termijnen van deze soort ({deadlines}); noem de termijn (deadline)."
)
NOT_EXTENDABLE = gettext_noop(
    "De termijn '{deadline}' mag volgens het reglement niet worden verlengd."
)
EXTENSION_TOO_LATE = gettext_noop(
    "De termijn '{deadline}' is op {due} verstreken; verlengen kan alleen zolang de termijn loopt."
)
EXTENSION_TIMES = gettext_noop(
    "De termijn '{deadline}' mag volgens het reglement {max_times} keer worden verlengd en is "
    "al {times} keer verlengd ({source})."
)
EXTENSION_TIMES_CONSENT = gettext_noop(
    "De termijn '{deadline}' mag volgens het reglement {max_times} keer worden verlengd en is "
    "al {times} keer verlengd; verder verlengen kan alleen met schriftelijke instemming van de "
    "klager (consent) ({source})."
)
EXTENSION_TOO_LONG = gettext_noop(
    "Een verlenging van de termijn '{deadline}' mag volgens het reglement hoogstens {max_by} "
    "zijn ({source})."
)
EXTENSION_TOO_LONG_CONSENT = gettext_noop(
    "Een verlenging van de termijn '{deadline}' mag volgens het reglement hoogstens {max_by} "
    "zijn; langer kan alleen met schriftelijke instemming van de klager (consent) ({source})."
)
# Admission (issue 14 §6)
NOT_YET_IN_WRITING = gettext_noop(
    "De klacht wordt volgens het reglement pas in behandeling genomen als zij op schrift staat "
    "({source}); leg eerst '{event}' vast."
)
ALREADY_IN_WRITING = gettext_noop(
    "De klacht staat al op schrift (ontvangen via een kanaal dat het reglement aanneemt, of "
    "later op schrift gesteld); er is niets meer op schrift te stellen."
)
NO_REQUIRED_CONTENTS = gettext_noop(
    "Dit reglement noemt niet wat een klacht moet bevatten; er is niets aan te vullen."
)
NOT_REQUIRED_ITEMS = gettext_noop(
    "Wat ontbreekt ({items}) hoort niet bij wat een klacht volgens het reglement moet bevatten: "
    "{expected}."
)
NOT_INCOMPLETE = gettext_noop(
    "Er staat geen verzoek om de klacht aan te vullen open; leg eerst '{event}' vast."
)
COMPLETION_TERM_RUNNING = gettext_noop(
    "De grond '{ground}' geldt nog niet: de termijn om de klacht aan te vullen loopt tot en met "
    "{due}."
)
GROUND_TIME_LIMIT_NOT_EXCEEDED_LEARNED = gettext_noop(
    "De grond '{ground}' geldt niet: de klager hoorde op {facts_date} van de gedraging, niet "
    "meer dan {limit} vóór de ontvangst ({received}); die termijn verliep pas op {limit_date}."
)
# Stages
NO_STAGES = gettext_noop("Dit reglement kent geen verdere behandelfase.")
UNKNOWN_STAGE = gettext_noop("Onbekende fase '{stage}'; dit reglement kent: {stages}.")
NEXT_STAGE = gettext_noop("De volgende fase is '{expected}', niet '{stage}'.")
NO_FURTHER_STAGE = gettext_noop("Na de fase '{stage}' kent het reglement geen verdere fase.")
STAGE_NEEDS_DECISION = gettext_noop(
    "Een volgende fase begint pas als de beslissing is verstuurd en de klager daarmee niet "
    "tevreden is; leg eerst '{event}' vast."
)
STAGE_ROLE = gettext_noop(
    "In de fase '{stage}' behandelt volgens het reglement: {roles}; de rol '{role}' mag daar "
    "'{event}' niet vastleggen."
)
STAGE_NO_HANDLER = gettext_noop(
    "Wijs in de fase '{stage}' eerst een eigen behandelaar aan ('{event}')."
)
COMMITTEE_DECIDES = gettext_noop(
    "De klachtencommissie beslist volgens het reglement zelf ({source}); leg haar oordeel vast "
    "met '{event}', zonder apart advies."
)
ESCALATION_TOO_LATE = gettext_noop(
    "Escalatie naar '{to}' kon tot en met {last}: binnen {term} na de beslissing van {date} "
    "({source})."
)
# Intake (issue 14 §3)
COMMITTEE_NOT_APPOINTED = gettext_noop(
    "De klachtencommissie is nog niet benoemd; volgens het reglement wordt zij benoemd bij "
    "'{on}' ({source}). Leg eerst '{event}' vast."
)
UNKNOWN_TO_REGULATION = gettext_noop(
    "Het reglement van deze klacht kent de stap '{event}' niet (geen termijn, brief, melding of "
    "rol noemt hem)."
)
# --- consent and agreements (issue 14 §4) ---
NO_CONSENT_ASKED = gettext_noop(
    "Dit reglement vraagt geen toestemming van de klager voor behandeling door de organisatie "
    "zelf; er is geen toestemming vast te leggen."
)
CONSENT_REFUSED = gettext_noop(
    "De klager heeft geen toestemming gegeven om de klacht door de organisatie zelf te laten "
    "behandelen ({source}); '{event}' kan pas nadat een externe partij is ingeschakeld: leg "
    "eerst '{engaged}' vast."
)
NOT_AGREEABLE = gettext_noop(
    "Voor de termijn '{deadline}' kan volgens het reglement geen nieuwe termijn met de klager "
    "worden afgesproken."
)
AGREED_TOO_LATE = gettext_noop(
    "De termijn '{deadline}' is op {due} verstreken; een nieuwe termijn wordt afgesproken "
    "zolang de termijn loopt (de klager wordt tijdig op de hoogte gesteld, {source})."
)
AGREED_NOT_LATER = gettext_noop(
    "De afgesproken datum {agreed} ligt niet na de huidige uiterste datum van de termijn "
    "'{deadline}' ({due})."
)
NOT_FOR_SIGNATURE = gettext_noop(
    "Volgens het reglement wordt het verslag van het horen niet ter ondertekening gestuurd; er "
    "komt geen ondertekend verslag terug."
)
NO_REPORT_FOR_SIGNATURE = gettext_noop(
    "Er staat geen verslag ter ondertekening uit; leg eerst '{event}' vast."
)
NO_COSTS = gettext_noop(
    "Dit reglement noemt geen kosten van de klager of vergoeding van reiskosten; er zijn geen "
    "kosten vast te leggen."
)
UNKNOWN_COST_KIND = gettext_noop(
    "Dit reglement kent geen kosten van de soort '{kind}'; wel: {kinds}."
)
