"""Composing letters: the applicable letters of a step, their texts per addressee, the PDF.

``compose`` merges what the register knows (``Prefill``, as of the complaint after the event the
letter goes with) with what the person wrote in the form: a text the person changed wins; one
left as it was offered is filled in afresh, in each addressee's language.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import weasyprint
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from klachtenregister.correspondence.addressees import (
    NAMELESS_PARTIES,
    Addressee,
    addressees,
    name_in_sentence,
    salutation,
)
from klachtenregister.correspondence.prefill import Prefill
from klachtenregister.correspondence.selectors import letterhead_of
from klachtenregister.correspondence.wording import (
    contents_used,
    own_kind,
    paragraphs,
    render_text,
    tidy,
    wording_for,
)
from klachtenregister.letters.defaults import Wording, default_wording, kind_of
from klachtenregister.lifecycle import Snapshot
from klachtenregister.register.errors import WordingError
from klachtenregister.register.models import Complaint, ComplaintPerson, Organisation
from klachtenregister.regulations.schema import Letter, Regulation
from klachtenregister.regulations.vocabulary import Condition, Content, Event, Party

log = logging.getLogger(__name__)


def _holds(condition: Condition | None, complaint: Complaint, regulation: Regulation) -> bool:
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
    if condition is Condition.CHANNEL_NOT_ACCEPTED:
        accepted = {channel.value for channel in regulation.definitions.channels.accepted}
        return complaint.channel not in accepted
    return False


def letters_for(regulation: Regulation, complaint: Complaint, event: Event) -> list[Letter]:
    """The regulation's letters that recording ``event`` sends, for this complaint."""
    return [
        letter
        for letter in regulation.letters
        if letter.step is event and _holds(letter.condition, complaint, regulation)
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
    signatory_function: str = ""
    # Why the organisation's own wording was not used for this letter, when it failed.
    notice: str = ""

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
    found = addressees(complaint, letter)
    kind = kind_of(found[0].party, found[0].is_copy) if found else own_kind(letter)
    wording = wording_for(complaint.organisation, letter, language, kind)
    contents = contents_used(wording)
    return contents, Prefill(complaint, snapshot, language, dated_on).values(contents)


def copy_reason(party: Party, language: str) -> str:
    """Why someone receives a copy of a letter, in a clause after "omdat"."""
    with override(language):
        reasons = {
            Party.MANAGER: _("u leidinggevende bent van de medewerkers om wie het gaat"),
            Party.DIRECTOR: _("u als directeur verantwoordelijk bent voor de klachtbehandeling"),
            Party.MANAGEMENT: _("u als directie verantwoordelijk bent voor de klachtbehandeling"),
            Party.COMMITTEE: _("de klachtencommissie deze klacht heeft behandeld"),
            Party.COORDINATOR: _("u de klachten van de organisatie coördineert"),
            Party.HANDLER: _("u deze klacht behandelt"),
        }
        return str(reasons.get(party, _("het klachtenreglement dat voorschrijft")))


def _render(wording: Wording, context: Mapping[str, str]) -> tuple[str, str]:
    subject = render_text(wording.subject, context).replace("\n", " ")
    return subject, tidy(render_text(wording.body, context))


def compose(
    complaint: Complaint,
    snapshot: Snapshot,
    letter: Letter,
    *,
    dated_on: dt.date,
    signatory: str,
    signatory_function: str = "",
    written: Mapping[str, str],
    offered: Mapping[str, str],
    only: Sequence[Addressee] | None = None,
    fallback: Mapping[str, str] | None = None,
) -> list[Composed]:
    """The letter for each addressee (or those in ``only``); ``fallback`` fills what is still
    empty after that (texts written in advance, as the demo does)."""
    result = []
    for addressee in only if only is not None else addressees(complaint, letter):
        kind = kind_of(addressee.party, addressee.is_copy)
        wording: Wording = wording_for(complaint.organisation, letter, addressee.language, kind)
        default = default_wording(letter, addressee.language, kind)
        contents = list(dict.fromkeys([*contents_used(wording), *contents_used(default)]))
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
                # An organisation or a function is greeted "Geachte heer, mevrouw,", never
                # "Geachte de arbeidsdeskundige van UWV,".
                "salutation": salutation(
                    "" if addressee.party in NAMELESS_PARTIES else addressee.name,
                    addressee.language,
                    addressee.form_of_address,
                ),
                "complainant_name": name_in_sentence(complaint.complainant_name) or _("de klager"),
                "copy_reason": copy_reason(addressee.party, addressee.language),
                "letter_date": date_format(dated_on, "j F Y"),
                "letter_label": letter.label_en
                if addressee.language == "en" and letter.label_en
                else letter.label,
                "signatory": signatory,
                "signatory_function": signatory_function,
            }
        context = {**values, **general}
        notice = ""
        try:
            subject, text = _render(wording, context)
        except WordingError as exc:
            # The organisation's own wording fails on this complaint's texts: the letter goes
            # out in the default wording, and the person sending it is told why.
            log.warning("letter %s of %s: own wording failed: %s", letter.id, complaint, exc)
            with override(addressee.language):
                notice = _(
                    "De eigen tekst van de brief '%(letter)s' kon niet worden ingevuld (%(error)s);"
                    " de standaardtekst is gebruikt."
                ) % {"letter": letter.label, "error": exc}
            subject, text = _render(default, context)
        result.append(
            Composed(
                letter=letter,
                addressee=addressee,
                subject=subject,
                text=text,
                dated_on=dated_on,
                signatory=signatory,
                values=values,
                signatory_function=signatory_function,
                notice=notice,
            )
        )
    return result


def _page(item: Composed) -> dict:
    blocks = paragraphs(item.text)
    with override(item.language):
        return {
            "addressee": item.addressee,
            "subject": item.subject,
            # The last paragraph and the closing stay on one page with the greeting and the
            # signature: a signature never starts a page on its own.
            "paragraphs": blocks[:-2],
            "ending": blocks[-2:],
            "date": date_format(item.dated_on, "j F Y"),
            "signatory": item.signatory,
            "signatory_function": item.signatory_function,
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


def letter_html(
    organisation: Organisation,
    reference: str,
    items: Sequence[Composed],
    *,
    notices: bool = False,
) -> str:
    pages = [_page(item) for item in items]
    if notices:
        # A preview tells the person sending the letters where their own wording was not used.
        for page, item in zip(pages, items, strict=True):
            page["notice"] = item.notice
    return render_to_string(
        "correspondence/letter.html",
        {
            "organisation": organisation,
            "letterhead": letterhead_of(organisation),
            "reference": reference,
            "language": items[0].language if items else "nl",
            "pages": pages,
        },
    )


def letter_pdf(
    organisation: Organisation,
    reference: str,
    items: Sequence[Composed],
    *,
    notices: bool = False,
) -> bytes:
    """One PDF with a page (or more) per letter, on the organisation's letterhead; with
    ``notices`` (a preview) each letter whose own wording failed says so above it."""
    html = letter_html(organisation, reference, items, notices=notices)
    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def email_text(item: Composed) -> str:
    """The e-mail that carries a letter: its text, and that the signed letter is attached."""
    with override(item.language):
        note = _("De brief is als PDF bijgevoegd.")
        regards = _("Met vriendelijke groet,")
    function = f"\n{item.signatory_function}" if item.signatory_function else ""
    return f"{item.text}\n\n{regards}\n{item.signatory}{function}\n\n{note}\n"
