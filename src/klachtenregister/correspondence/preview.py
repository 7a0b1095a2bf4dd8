"""A letter's wording previewed before any complaint uses it: each content and name shown as its
label in brackets, on the organisation's letterhead."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from klachtenregister.correspondence.addressees import Addressee
from klachtenregister.correspondence.compose import Composed, letter_pdf
from klachtenregister.correspondence.wording import GENERAL_LABELS, render_text
from klachtenregister.letters.contents import content_label
from klachtenregister.letters.defaults import Wording
from klachtenregister.register import clock
from klachtenregister.register.models import Organisation
from klachtenregister.regulations.labels import own_label
from klachtenregister.regulations.schema import Letter as LetterRule
from klachtenregister.regulations.vocabulary import Content


@dataclass(frozen=True)
class Sample:
    addressee: Addressee
    values: dict[str, str]


def _sample(organisation: Organisation, rule: LetterRule, lang: str, signatory: str) -> Sample:
    """What a preview fills in before there is a complaint: each content and name as its label
    in brackets, in the letter's language; the organisation, date and signatory as they are."""
    today = clock.today()
    with override(lang):
        values: dict[str, str] = {c.value: f"[{content_label(c, lang)}]" for c in Content}
        values.update({name: f"[{label}]" for name, label in GENERAL_LABELS.items()})
        values.update(
            reference=f"{organisation.short_code}-{today.year}-0001",
            organisation=organisation.name,
            letter_date=date_format(today, "j F Y"),
            letter_label=own_label(rule, lang),
            signatory=signatory,
        )
        address = _("[adres van de geadresseerde]")
    addressee = Addressee(rule.recipients[0], values["addressee_name"], "", address, lang)
    return Sample(addressee, values)


def wording_preview(
    organisation: Organisation, rule: LetterRule, lang: str, wording: Wording, signatory: str
) -> bytes:
    """The wording rendered with sample values, on the letterhead. Raises ``WordingError`` when
    the template does not read."""
    sample = _sample(organisation, rule, lang, signatory)
    item = Composed(
        letter=rule,
        addressee=sample.addressee,
        subject=render_text(wording.subject, sample.values, _("onderwerp")).replace("\n", " "),
        text=render_text(wording.body, sample.values, _("tekst")),
        dated_on=clock.today(),
        signatory=signatory,
        values=sample.values,
    )
    return letter_pdf(organisation, sample.values["reference"], [item])
