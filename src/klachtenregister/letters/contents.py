"""The contents a letter can be required to hold (``vocabulary.Content``), as a person sees them.

Every content is one text in a letter: the register fills in what it knows (``prefill`` in the
web shell) and the person sending the letter completes or corrects it. In a template the text is
the variable of the same name: ``{{ expected_term }}``.
"""

from __future__ import annotations

from klachtenregister.regulations.vocabulary import Content

# (Dutch, English) name of each content, for forms and for the template check's messages.
CONTENT_LABELS: dict[Content, tuple[str, str]] = {
    Content.COMPLAINT_DESCRIPTION: ("omschrijving van de klacht", "description of the complaint"),
    Content.DATE_PLACE_CIRCUMSTANCES: (
        "datum, plaats en bijzondere omstandigheden",
        "date, place and particular circumstances",
    ),
    Content.FACTS_DATE: ("datum van de gebeurtenis", "date of the events"),
    Content.RECEIPT_DATE: ("datum van ontvangst", "date of receipt"),
    Content.ACKNOWLEDGEMENT_DATE: ("datum van de ontvangstbevestiging", "date of acknowledgement"),
    Content.HANDLER: ("behandelaar", "handler"),
    Content.HANDLER_FUNCTION: ("functie van de behandelaar", "the handler's position"),
    Content.CONTACT_PERSON: ("contactpersoon", "contact person"),
    Content.EXPECTED_TERM: ("verwachte termijn", "expected term"),
    Content.PROCEDURE_INFORMATION: ("informatie over de procedure", "information on the procedure"),
    Content.INVITATION_TO_CONSULTATION: ("uitnodiging voor overleg", "invitation to talk"),
    Content.COMMITTEE_COMPOSITION: (
        "samenstelling van de klachtencommissie",
        "members of the complaints committee",
    ),
    Content.COMMITTEE_WORKING_METHOD: (
        "werkwijze van de klachtencommissie",
        "working method of the complaints committee",
    ),
    Content.STEPS_TAKEN: ("genomen stappen", "steps taken"),
    Content.GROUND: ("grond", "ground"),
    Content.MOTIVATION: ("motivering", "reasons"),
    Content.AGREEMENTS: ("afspraken", "agreements"),
    Content.CONSULTATION_SUMMARY: ("samenvatting van het overleg", "summary of the talk"),
    Content.NEXT_STEPS: ("vervolgprocedure", "next steps"),
    Content.HEARING_REPORT: ("verslag van het horen", "report of the hearing"),
    Content.HEARING_INVITATION: ("uitnodiging om te worden gehoord", "invitation to be heard"),
    Content.COUNSEL_ALLOWED: ("bijstand door een raadsman", "assistance by counsel"),
    Content.EXTENSION_REASON: ("reden van de verlenging", "reason for the extension"),
    Content.NEW_DUE_DATE: ("nieuwe datum", "new date"),
    Content.DELAY_REASON: ("reden van de vertraging", "reason for the delay"),
    Content.FACTS: ("feiten", "facts"),
    Content.JUDGEMENT: ("oordeel", "judgement"),
    Content.OUTCOME: ("uitkomst", "outcome"),
    Content.MEASURES: ("maatregelen", "measures"),
    Content.OFFER: ("aanbod", "offer"),
    Content.FINDINGS: ("bevindingen", "findings"),
    Content.ESCALATION_ROUTE: ("waar u verder terecht kunt", "where to turn next"),
    Content.OMBUDSMAN: ("Nationale Ombudsman", "National Ombudsman"),
    Content.COMPLAINT_COPY: ("afschrift van de klacht", "copy of the complaint"),
    Content.SILENCE_CONSEQUENCE: ("gevolg van geen reactie", "what happens without a reaction"),
}

# Texts a person usually writes in full (several lines) rather than checks.
LONG_TEXTS = frozenset(
    {
        Content.COMPLAINT_DESCRIPTION,
        Content.DATE_PLACE_CIRCUMSTANCES,
        Content.PROCEDURE_INFORMATION,
        Content.COMMITTEE_WORKING_METHOD,
        Content.STEPS_TAKEN,
        Content.MOTIVATION,
        Content.AGREEMENTS,
        Content.CONSULTATION_SUMMARY,
        Content.NEXT_STEPS,
        Content.HEARING_REPORT,
        Content.FACTS,
        Content.MEASURES,
        Content.OFFER,
        Content.FINDINGS,
        Content.ESCALATION_ROUTE,
        Content.COMPLAINT_COPY,
    }
)


def content_label(content: Content, language: str) -> str:
    dutch, english = CONTENT_LABELS[content]
    return english if language == "en" else dutch
