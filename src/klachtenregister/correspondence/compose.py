"""Composing letters: the applicable letters of a step, their texts per addressee, the PDF.

``compose`` merges what the register knows (``Prefill``, as of the complaint after the event the
letter goes with) with what the person wrote in the form: a text the person changed wins; one
left as it was offered is filled in afresh, in each addressee's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import weasyprint
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from klachtenregister.correspondence.addressees import Addressee, addressees
from klachtenregister.correspondence.prefill import Prefill
from klachtenregister.correspondence.selectors import letterhead_of
from klachtenregister.correspondence.wording import (
    contents_used,
    paragraphs,
    render_text,
    tidy,
    wording_for,
)
from klachtenregister.letters.defaults import Wording
from klachtenregister.lifecycle import Snapshot
from klachtenregister.register.models import Complaint, ComplaintPerson, Organisation
from klachtenregister.regulations.schema import Letter, Regulation
from klachtenregister.regulations.vocabulary import Condition, Content, Event


def _holds(condition: Condition | None, complaint: Complaint) -> bool:
    if condition is None:
        return True
    if condition is Condition.UWV_CLIENT:
        return complaint.uwv_client
    if condition is Condition.SUBJECT_NAMED:
        return complaint.people.filter(relation=ComplaintPerson.SUBJECT).exists()
    if condition is Condition.ANONYMOUS:
        return complaint.anonymous
    if condition is Condition.NOT_IN_WRITING:
        return complaint.channel == "oral"
    return False


def letters_for(regulation: Regulation, complaint: Complaint, event: Event) -> list[Letter]:
    """The regulation's letters that recording ``event`` sends, for this complaint."""
    return [
        letter
        for letter in regulation.letters
        if letter.step is event and _holds(letter.condition, complaint)
    ]


@dataclass(frozen=True)
class Composed:
    """One letter for one addressee, ready to render."""

    letter: Letter
    addressee: Addressee
    subject: str
    text: str  # the body, plain text, paragraphs separated by blank lines
    dated_on: dt.date
    signatory: str
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.addressee.language


def form_language(complaint: Complaint, letter: Letter) -> str:
    """The language a letter's texts are offered in: that of its first addressee."""
    found = addressees(complaint, letter)
    return found[0].language if found else "nl"


def offered_texts(
    complaint: Complaint, snapshot: Snapshot, letter: Letter, dated_on: dt.date
) -> tuple[list[Content], dict[str, str]]:
    """The contents the letter's wording prints, and what the register fills in before the
    event: what the form offers."""
    language = form_language(complaint, letter)
    wording = wording_for(complaint.organisation, letter, language)
    contents = contents_used(wording)
    return contents, Prefill(complaint, snapshot, language, dated_on).values(contents)


def compose(
    complaint: Complaint,
    snapshot: Snapshot,
    letter: Letter,
    *,
    dated_on: dt.date,
    signatory: str,
    written: Mapping[str, str],
    offered: Mapping[str, str],
    only: Sequence[Addressee] | None = None,
    fallback: Mapping[str, str] | None = None,
) -> list[Composed]:
    """The letter for each addressee (or those in ``only``); ``fallback`` fills what is still
    empty after that (texts written in advance, as the demo does)."""
    result = []
    for addressee in only if only is not None else addressees(complaint, letter):
        wording: Wording = wording_for(complaint.organisation, letter, addressee.language)
        contents = contents_used(wording)
        values = Prefill(complaint, snapshot, addressee.language, dated_on).values(contents)
        for name, text in written.items():
            if name in values and text.strip() and text.strip() != offered.get(name, "").strip():
                values[name] = text.strip()
        for name, text in (fallback or {}).items():
            if name in values and not values[name].strip():
                values[name] = text
        with override(addressee.language):
            general = {
                "reference": complaint.reference,
                "organisation": complaint.organisation.name,
                "addressee_name": addressee.name,
                "complainant_name": complaint.complainant_name or _("de klager"),
                "letter_date": date_format(dated_on, "j F Y"),
                "letter_label": letter.label_en
                if addressee.language == "en" and letter.label_en
                else letter.label,
                "signatory": signatory,
            }
        context = {**values, **general}
        result.append(
            Composed(
                letter=letter,
                addressee=addressee,
                subject=render_text(wording.subject, context).replace("\n", " "),
                text=tidy(render_text(wording.body, context)),
                dated_on=dated_on,
                signatory=signatory,
                values=values,
            )
        )
    return result


def _page(item: Composed) -> dict:
    with override(item.language):
        return {
            "addressee": item.addressee,
            "subject": item.subject,
            "paragraphs": paragraphs(item.text),
            "date": date_format(item.dated_on, "j F Y"),
            "signatory": item.signatory,
            "copy_label": _("Afschrift"),
            "labels": {
                "date": _("Datum"),
                "reference": _("Ons kenmerk"),
                "subject": _("Betreft"),
                "regards": _("Met vriendelijke groet,"),
            },
        }


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict:
    # A letter is self-contained: no template may make the renderer fetch anything.
    raise ValueError(f"letters load no external resources ({url})")


def letter_html(organisation: Organisation, reference: str, items: Sequence[Composed]) -> str:
    return render_to_string(
        "correspondence/letter.html",
        {
            "organisation": organisation,
            "letterhead": letterhead_of(organisation),
            "reference": reference,
            "language": items[0].language if items else "nl",
            "pages": [_page(item) for item in items],
        },
    )


def letter_pdf(organisation: Organisation, reference: str, items: Sequence[Composed]) -> bytes:
    """One PDF with a page (or more) per letter, on the organisation's letterhead."""
    html = letter_html(organisation, reference, items)
    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def email_text(item: Composed) -> str:
    """The e-mail that carries a letter: its text, and that the signed letter is attached."""
    with override(item.language):
        note = _("De brief is als PDF bijgevoegd.")
        regards = _("Met vriendelijke groet,")
    return f"{item.text}\n\n{regards}\n{item.signatory}\n\n{note}\n"
