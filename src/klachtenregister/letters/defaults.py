"""The default wording of every letter, built from the regulation's description of it.

A default letter is the opening for its step, then one paragraph for each content it holds (the
regulation's required contents, and what the step's letter normally says), then the closing.
Organisations replace it with their own wording in the back office; the default always holds
everything required, so a regulation's letters work before anyone writes a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from klachtenregister.regulations.schema import Letter
from klachtenregister.regulations.vocabulary import Content, Event, Party

C = Content

# What a letter of a step says besides its required contents.
STEP_CONTENTS: dict[Event, tuple[Content, ...]] = {
    Event.ACKNOWLEDGED: (C.RECEIPT_DATE, C.EXPECTED_TERM),
    Event.INADMISSIBILITY_NOTICE_SENT: (C.GROUND, C.MOTIVATION),
    Event.HEARING_INVITATION_SENT: (C.HEARING_INVITATION,),
    Event.HEARING_REPORT_SENT: (C.HEARING_REPORT,),
    Event.REFERRED_TO_COMMITTEE: (),
    Event.EXTENDED: (C.EXTENSION_REASON, C.NEW_DUE_DATE),
    Event.PROGRESS_NOTICE_SENT: (C.DELAY_REASON,),
    Event.AGREEMENT_LETTER_SENT: (C.AGREEMENTS,),
    Event.DECISION_SENT: (
        C.COMPLAINT_DESCRIPTION,
        C.FACTS,
        C.JUDGEMENT,
        C.MOTIVATION,
        C.OUTCOME,
        C.MEASURES,
        C.ESCALATION_ROUTE,
    ),
}

# The opening sentence of a letter, by its step: (Dutch, English).
OPENINGS: dict[Event, tuple[str, str]] = {
    Event.ACKNOWLEDGED: (
        "Hierbij bevestigen wij dat wij uw klacht hebben ontvangen.",
        "We hereby confirm that we have received your complaint.",
    ),
    Event.SUBJECT_INFORMED: (
        "Er is een klacht ingediend die over u gaat. Wij sturen u hierbij de klacht.",
        "A complaint has been made that concerns you. We send you the complaint with this letter.",
    ),
    Event.INADMISSIBILITY_NOTICE_SENT: (
        "Wij hebben besloten de klacht niet in behandeling te nemen.",
        "We have decided not to take the complaint into treatment.",
    ),
    Event.AGREEMENT_LETTER_SENT: (
        "In ons overleg hebben wij overeenstemming bereikt over uw klacht. Hieronder staan de "
        "afspraken.",
        "In our talk we reached agreement on your complaint. The agreements are set out below.",
    ),
    Event.CONSULTATION_CONFIRMATION_SENT: (
        "Hierbij bevestigen wij ons overleg over uw klacht.",
        "We hereby confirm our talk about your complaint.",
    ),
    Event.FOLLOW_UP_INFORMATION_SENT: (
        "Hierbij informeren wij u over de verdere behandeling van uw klacht.",
        "We hereby inform you how your complaint will be dealt with from now on.",
    ),
    Event.REFERRED_TO_COMMITTEE: (
        "Uw klacht is voorgelegd aan de klachtencommissie.",
        "Your complaint has been referred to the complaints committee.",
    ),
    Event.COMMITTEE_ADVICE_GIVEN: (
        "De klachtencommissie brengt hierbij haar advies uit over de klacht.",
        "The complaints committee hereby gives its advice on the complaint.",
    ),
    Event.HEARING_INVITATION_SENT: (
        "Wij stellen u in de gelegenheid te worden gehoord over de klacht.",
        "We give you the opportunity to be heard on the complaint.",
    ),
    Event.HEARING_REPORT_SENT: (
        "Hierbij ontvangt u het verslag van het horen over de klacht.",
        "Please find the report of the hearing on the complaint below.",
    ),
    Event.EXTENDED: (
        "De termijn voor de behandeling van de klacht wordt verlengd.",
        "The term for dealing with the complaint is extended.",
    ),
    Event.PROGRESS_NOTICE_SENT: (
        "Het lukt ons niet de klacht binnen de gestelde termijn af te handelen.",
        "We are unable to deal with the complaint within the term we set.",
    ),
    Event.DECISION_SENT: (
        "Hierbij ontvangt u onze beslissing op de klacht.",
        "Please find our decision on the complaint below.",
    ),
    Event.REPORT_SENT: (
        "Hierbij doen wij verslag van de afhandeling van de klacht.",
        "We hereby report how the complaint was dealt with.",
    ),
    Event.REGISTERED_LETTER_DELIVERED: (
        "Hierbij bevestigen wij de afspraken over de afhandeling van de klacht.",
        "We hereby confirm the agreements on how the complaint is settled.",
    ),
    # Intake (issue 14 §3).
    Event.WRITTEN_FORM_REQUESTED: (
        "Wij hebben uw klacht ontvangen, maar niet op schrift. Volgens ons klachtenreglement "
        "behandelen wij een klacht die op schrift staat. Wilt u uw klacht op schrift stellen en "
        "ondertekend aan ons sturen? Wij helpen u daar graag bij.",
        "We have received your complaint, but not in writing. Under our complaints regulation we "
        "deal with a complaint that is in writing. Would you put your complaint in writing and "
        "send it to us signed? We will gladly help you do so.",
    ),
}
GENERIC_OPENING = (
    "Wij schrijven u over de klacht met kenmerk {{ reference }}.",
    "We are writing to you about the complaint with reference {{ reference }}.",
)

# One paragraph per content: (Dutch, English). Each holds its content's variable.
PARAGRAPHS: dict[Content, tuple[str, str]] = {
    C.COMPLAINT_DESCRIPTION: (
        "De klacht, zoals wij die hebben vastgelegd:\n{{ complaint_description }}",
        "The complaint, as we recorded it:\n{{ complaint_description }}",
    ),
    C.DATE_PLACE_CIRCUMSTANCES: (
        "Datum, plaats en bijzondere omstandigheden:\n{{ date_place_circumstances }}",
        "Date, place and particular circumstances:\n{{ date_place_circumstances }}",
    ),
    C.FACTS_DATE: (
        "Datum van de gebeurtenis waarover de klacht gaat: {{ facts_date }}.",
        "Date of the events the complaint is about: {{ facts_date }}.",
    ),
    C.RECEIPT_DATE: (
        "Wij hebben de klacht ontvangen op {{ receipt_date }}.",
        "We received the complaint on {{ receipt_date }}.",
    ),
    C.ACKNOWLEDGEMENT_DATE: (
        "Datum van deze ontvangstbevestiging: {{ acknowledgement_date }}.",
        "Date of this acknowledgement: {{ acknowledgement_date }}.",
    ),
    C.HANDLER: (
        "De klacht wordt behandeld door {{ handler }}.",
        "The complaint is handled by {{ handler }}.",
    ),
    C.HANDLER_FUNCTION: (
        "Functie van de behandelaar: {{ handler_function }}.",
        "The handler's position: {{ handler_function }}.",
    ),
    C.CONTACT_PERSON: (
        "Uw contactpersoon is {{ contact_person }}.",
        "Your contact person is {{ contact_person }}.",
    ),
    C.EXPECTED_TERM: (
        "Wij verwachten de behandeling van de klacht af te ronden {{ expected_term }}.",
        "We expect to complete the handling of the complaint {{ expected_term }}.",
    ),
    C.PROCEDURE_INFORMATION: (
        "Zo behandelen wij de klacht:\n{{ procedure_information }}",
        "This is how we deal with the complaint:\n{{ procedure_information }}",
    ),
    C.INVITATION_TO_CONSULTATION: ("{{ invitation_to_consultation }}",) * 2,
    C.COMMITTEE_COMPOSITION: (
        "De klachtencommissie bestaat uit: {{ committee_composition }}.",
        "The complaints committee consists of: {{ committee_composition }}.",
    ),
    C.COMMITTEE_WORKING_METHOD: (
        "Werkwijze van de klachtencommissie:\n{{ committee_working_method }}",
        "Working method of the complaints committee:\n{{ committee_working_method }}",
    ),
    C.STEPS_TAKEN: (
        "De stappen die al zijn genomen:\n{{ steps_taken }}",
        "The steps already taken:\n{{ steps_taken }}",
    ),
    C.GROUND: (
        "De grond daarvoor: {{ ground }}.",
        "The ground for this: {{ ground }}.",
    ),
    C.MOTIVATION: ("Motivering:\n{{ motivation }}", "Reasons:\n{{ motivation }}"),
    C.AGREEMENTS: ("Afspraken:\n{{ agreements }}", "Agreements:\n{{ agreements }}"),
    C.CONSULTATION_SUMMARY: (
        "Samenvatting van ons overleg:\n{{ consultation_summary }}",
        "Summary of our talk:\n{{ consultation_summary }}",
    ),
    C.NEXT_STEPS: (
        "Hoe het verder gaat:\n{{ next_steps }}",
        "What happens next:\n{{ next_steps }}",
    ),
    C.HEARING_REPORT: (
        "Verslag van het horen:\n{{ hearing_report }}",
        "Report of the hearing:\n{{ hearing_report }}",
    ),
    C.HEARING_INVITATION: (
        "Datum, tijd en plaats: {{ hearing_invitation }}",
        "Date, time and place: {{ hearing_invitation }}",
    ),
    C.COUNSEL_ALLOWED: ("{{ counsel_allowed }}",) * 2,
    C.EXTENSION_REASON: (
        "Reden van de verlenging: {{ extension_reason }}",
        "Reason for the extension: {{ extension_reason }}",
    ),
    C.NEW_DUE_DATE: (
        "De nieuwe termijn loopt tot en met {{ new_due_date }}.",
        "The new term ends on {{ new_due_date }}.",
    ),
    C.DELAY_REASON: (
        "De reden daarvan: {{ delay_reason }}",
        "The reason: {{ delay_reason }}",
    ),
    C.FACTS: (
        "De feiten zoals wij die zien:\n{{ facts }}",
        "The facts as we see them:\n{{ facts }}",
    ),
    C.JUDGEMENT: ("Ons oordeel: {{ judgement }}.", "Our judgement: {{ judgement }}."),
    C.OUTCOME: (
        "Uitkomst van de behandeling: {{ outcome }}.",
        "Outcome: {{ outcome }}.",
    ),
    C.MEASURES: ("Maatregelen:\n{{ measures }}", "Measures:\n{{ measures }}"),
    C.OFFER: ("Ons aanbod:\n{{ offer }}", "Our offer:\n{{ offer }}"),
    C.FINDINGS: (
        "De bevindingen van ons onderzoek:\n{{ findings }}",
        "The findings of our investigation:\n{{ findings }}",
    ),
    C.ESCALATION_ROUTE: (
        "Bent u het niet eens met de afhandeling?\n{{ escalation_route }}",
        "Do you disagree with how your complaint was dealt with?\n{{ escalation_route }}",
    ),
    C.OMBUDSMAN: ("{{ ombudsman }}",) * 2,
    C.COMPLAINT_COPY: (
        "De klacht luidt:\n{{ complaint_copy }}",
        "The complaint reads:\n{{ complaint_copy }}",
    ),
    C.SILENCE_CONSEQUENCE: ("{{ silence_consequence }}",) * 2,
}

SALUTATION = ("{{ salutation }},", "{{ salutation }},")
CLOSING = (
    "Heeft u vragen? Neem dan contact met ons op en vermeld het kenmerk {{ reference }}.",
    "If you have any questions, please contact us and quote reference {{ reference }}.",
)
COPY_CLOSING = (
    "U hoeft met dit afschrift niets te doen. Heeft u vragen? Neem dan contact met ons op en "
    "vermeld het kenmerk {{ reference }}.",
    "You need not do anything with this copy. If you have any questions, please contact us and "
    "quote reference {{ reference }}.",
)
SUBJECT = (
    "{{ letter_label }} – klacht {{ reference }}",
    "{{ letter_label }} – complaint {{ reference }}",
)


class Kind(StrEnum):
    """Who reads a letter, for its wording: each letter of a step has a wording per kind."""

    COMPLAINANT = "complainant"  # the complainant or their representative
    SUBJECT = "subject"  # the employee the complaint is about
    STAFF = "staff"  # a manager, director, committee, handler as a recipient of their own
    THIRD_PARTY = "third_party"  # opdrachtgever, UWV arbeidsdeskundige, an external party
    COPY = "copy"  # anyone who receives a copy for information


KIND_LABELS: dict[Kind, tuple[str, str]] = {
    Kind.COMPLAINANT: ("klager", "complainant"),
    Kind.SUBJECT: ("betrokken medewerker", "employee concerned"),
    Kind.STAFF: ("eigen organisatie", "own organisation"),
    Kind.THIRD_PARTY: ("derde (opdrachtgever, UWV)", "third party (commissioning party, UWV)"),
    Kind.COPY: ("afschrift ter informatie", "copy for information"),
}

_STAFF_PARTIES = frozenset(
    {
        Party.COORDINATOR,
        Party.HANDLER,
        Party.DIRECTOR,
        Party.MANAGER,
        Party.COMMITTEE,
        Party.MANAGEMENT,
    }
)


def kind_of(party: Party, is_copy: bool) -> Kind:
    if is_copy:
        return Kind.COPY
    if party in (Party.COMPLAINANT, Party.REPRESENTATIVE, Party.ALL_PARTIES):
        return Kind.COMPLAINANT
    if party is Party.SUBJECT:
        return Kind.SUBJECT
    if party in _STAFF_PARTIES:
        return Kind.STAFF
    return Kind.THIRD_PARTY


# The subject line of a letter by its step, in plain words: (Dutch, English).
SUBJECTS: dict[Event, tuple[str, str]] = {
    Event.ACKNOWLEDGED: ("Ontvangst van de klacht", "Receipt of the complaint"),
    Event.SUBJECT_INFORMED: ("Een klacht die over u gaat", "A complaint that concerns you"),
    Event.INADMISSIBILITY_NOTICE_SENT: (
        "Klacht niet in behandeling genomen",
        "Complaint not taken into treatment",
    ),
    Event.AGREEMENT_LETTER_SENT: ("Afspraken over de klacht", "Agreements on the complaint"),
    Event.CONSULTATION_CONFIRMATION_SENT: ("Ons gesprek over de klacht", "Our talk"),
    Event.FOLLOW_UP_INFORMATION_SENT: (
        "Verdere behandeling van de klacht",
        "Further handling of the complaint",
    ),
    Event.REFERRED_TO_COMMITTEE: (
        "Klacht voorgelegd aan de klachtencommissie",
        "Complaint referred to the complaints committee",
    ),
    Event.COMMITTEE_ADVICE_GIVEN: (
        "Advies van de klachtencommissie",
        "Advice of the complaints committee",
    ),
    Event.HEARING_INVITATION_SENT: ("Uitnodiging om te worden gehoord", "Invitation to be heard"),
    Event.HEARING_REPORT_SENT: ("Verslag van het horen", "Report of the hearing"),
    Event.EXTENDED: ("Verlenging van de termijn", "Extension of the term"),
    Event.PROGRESS_NOTICE_SENT: ("Vertraging in de behandeling", "Delay in the handling"),
    Event.DECISION_SENT: ("Beslissing op de klacht", "Decision on the complaint"),
    Event.REPORT_SENT: ("Verslag van de afhandeling", "Report on the handling"),
    Event.REGISTERED_LETTER_DELIVERED: (
        "Bevestiging van de afspraken",
        "Confirmation of the agreements",
    ),
    Event.THIRD_PARTY_INFORMED: ("Bericht over een klacht", "About a complaint"),
    # Intake (issue 14 §3).
    Event.WRITTEN_FORM_REQUESTED: (
        "Verzoek om uw klacht op schrift te stellen",
        "Request to put your complaint in writing",
    ),
}

# Consent and agreements (issue 14 §4): the letter confirming a new term agreed with the
# complainant (IN FOCUS Samen, De procedure 6).
STEP_CONTENTS[Event.TERM_AGREED] = (C.NEW_DUE_DATE,)
OPENINGS[Event.TERM_AGREED] = (
    "Zoals met u afgesproken, geldt voor de behandeling van uw klacht een nieuwe termijn.",
    "As agreed with you, a new term applies to the handling of your complaint.",
)
SUBJECTS[Event.TERM_AGREED] = ("Nieuwe termijn voor de klacht", "New term for the complaint")

# What happened, said to someone who is not the complainant: "de klacht ... is ...".
NEWS: dict[Event, tuple[str, str]] = {
    Event.THIRD_PARTY_INFORMED: (
        "Wij informeren u over deze klacht, omdat u bij het traject van de klager betrokken bent.",
        "We are informing you of this complaint because you are involved in the complainant's "
        "programme.",
    ),
    Event.ACKNOWLEDGED: (
        "Wij hebben de ontvangst van de klacht aan de klager bevestigd.",
        "We have confirmed receipt of the complaint to the complainant.",
    ),
    Event.SUBJECT_INFORMED: (
        "Er is een klacht ingediend die over u gaat. Wij sturen u hierbij de klacht.",
        "A complaint has been made that concerns you. We send you the complaint with this letter.",
    ),
    Event.INADMISSIBILITY_NOTICE_SENT: (
        "Wij hebben besloten de klacht niet in behandeling te nemen.",
        "We have decided not to take the complaint into treatment.",
    ),
    Event.AGREEMENT_LETTER_SENT: (
        "Met de klager zijn afspraken gemaakt over de klacht.",
        "Agreements on the complaint have been made with the complainant.",
    ),
    Event.CONSULTATION_CONFIRMATION_SENT: (
        "Wij hebben met de klager over de klacht gesproken.",
        "We have talked with the complainant about the complaint.",
    ),
    Event.FOLLOW_UP_INFORMATION_SENT: (
        "Wij hebben de klager laten weten hoe de klacht verder wordt behandeld.",
        "We have told the complainant how the complaint will be dealt with.",
    ),
    Event.REFERRED_TO_COMMITTEE: (
        "Hierbij leggen wij de klacht voor aan de klachtencommissie.",
        "We hereby refer the complaint to the complaints committee.",
    ),
    Event.COMMITTEE_ADVICE_GIVEN: (
        "De klachtencommissie brengt hierbij haar advies uit over de klacht.",
        "The complaints committee hereby gives its advice on the complaint.",
    ),
    Event.HEARING_INVITATION_SENT: (
        "Wij stellen u in de gelegenheid te worden gehoord over de klacht.",
        "We give you the opportunity to be heard on the complaint.",
    ),
    Event.HEARING_REPORT_SENT: (
        "Hierbij ontvangt u het verslag van het horen over de klacht.",
        "Please find the report of the hearing on the complaint below.",
    ),
    Event.EXTENDED: (
        "De termijn voor de behandeling van de klacht is verlengd.",
        "The term for dealing with the complaint has been extended.",
    ),
    Event.PROGRESS_NOTICE_SENT: (
        "De klacht wordt niet binnen de gestelde termijn afgehandeld.",
        "The complaint will not be dealt with within the term set.",
    ),
    Event.DECISION_SENT: (
        "Er is een beslissing genomen op de klacht.",
        "A decision has been taken on the complaint.",
    ),
    Event.REPORT_SENT: (
        "Hierbij doen wij verslag van de afhandeling van de klacht.",
        "We hereby report how the complaint was dealt with.",
    ),
    Event.REGISTERED_LETTER_DELIVERED: (
        "Hierbij bevestigen wij de afspraken over de afhandeling van de klacht.",
        "We hereby confirm the agreements on how the complaint is settled.",
    ),
}

# Who the complaint is from, for a reader who is not the complainant.
ABOUT = (
    "Het gaat om de klacht van {{ complainant_name }} met kenmerk {{ reference }}.",
    "This concerns the complaint of {{ complainant_name }}, reference {{ reference }}.",
)
COPY_NOTE = (
    "Dit is een afschrift ter informatie van onze brief aan {{ complainant_name }} over de klacht "
    "met kenmerk {{ reference }}. U ontvangt het omdat {{ copy_reason }}.",
    "This is a copy for information of our letter to {{ complainant_name }} about the complaint "
    "with reference {{ reference }}. You receive it because {{ copy_reason }}.",
)

# Contents only the complainant's letter adds to what the regulation requires: a reader of
# another kind learns what was said about a person only where the regulation requires it.
COMPLAINANT_ONLY = frozenset({C.ESCALATION_ROUTE, C.EXPECTED_TERM, C.COMPLAINT_DESCRIPTION})

# Two contents that say the same on a decision: the optional one is left out when equal.
_SAME_AS = {C.OUTCOME: C.JUDGEMENT, C.JUDGEMENT: C.OUTCOME}


@dataclass(frozen=True)
class Wording:
    """A letter's subject line and body, in the template language (Django's ``{{ name }}``)."""

    subject: str
    body: str


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def contents_of(letter: Letter, kind: Kind = Kind.COMPLAINANT) -> list[Content]:
    """What the default letter says: its step's usual contents, then the required ones. Only
    the complainant's and the subject's letters add usual contents to the required ones."""
    usual = STEP_CONTENTS.get(letter.step, ())
    if kind is Kind.SUBJECT:
        usual = tuple(c for c in usual if c not in COMPLAINANT_ONLY)
    elif kind is not Kind.COMPLAINANT:
        usual = ()
    return list(dict.fromkeys([*usual, *letter.required_contents]))


def _paragraph(content: Content, required: set[Content], language: str) -> str:
    """A required content is printed as it is (the form refuses to send it empty); an optional
    one only when it has a text, so no heading stands alone and no sentence ends in ": ."."""
    text = _pick(PARAGRAPHS[content], language)
    if content in required:
        return text
    condition = content.value
    other = _SAME_AS.get(content)
    if other is not None:
        condition += f" and {content.value} != {other.value}"
    return f"{{% if {condition} %}}{text}{{% endif %}}"


def _subject(letter: Letter, kind: Kind, language: str) -> str:
    phrase = SUBJECTS.get(letter.step)
    if phrase is None:
        return _pick(SUBJECT, language)
    prefix = ("Afschrift: ", "Copy: ") if kind is Kind.COPY else ("", "")
    return f"{_pick(prefix, language)}{_pick(phrase, language)}, " + _pick(
        ("kenmerk {{ reference }}", "reference {{ reference }}"), language
    )


def _openings(letter: Letter, kind: Kind, language: str) -> list[str]:
    if kind is Kind.COMPLAINANT:
        return [_pick(OPENINGS.get(letter.step, GENERIC_OPENING), language)]
    # Without news of its own for the step, the sentence naming the complaint and its reference
    # is the opening: the generic one would name the reference a second time.
    news = [_pick(NEWS[letter.step], language)] if letter.step in NEWS else []
    if kind is Kind.COPY:
        return [_pick(COPY_NOTE, language), *news]
    if letter.step is Event.SUBJECT_INFORMED:
        return [*news, _pick(ABOUT, language)]
    return [_pick(ABOUT, language), *news]


def default_wording(letter: Letter, language: str, kind: Kind = Kind.COMPLAINANT) -> Wording:
    required = set(letter.required_contents)
    closing = COPY_CLOSING if kind is Kind.COPY else CLOSING
    paragraphs = [
        _pick(SALUTATION, language),
        *_openings(letter, kind, language),
        *(_paragraph(content, required, language) for content in contents_of(letter, kind)),
        _pick(closing, language),
    ]
    return Wording(_subject(letter, kind, language), "\n\n".join(paragraphs))
