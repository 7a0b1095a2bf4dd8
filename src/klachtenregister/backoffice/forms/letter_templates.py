"""Forms of the letters page (brieven): one letter's wording, and the organisation's letterhead.

The wording form only checks that both parts are there; whether the wording may be used for the
letter (template syntax, the regulation's required contents) is ``wording_problems``' to say,
because that needs the letter and is the same check however a template is saved.
"""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from klachtenregister.backoffice.forms.text import HardenedText
from klachtenregister.correspondence.models import Letterhead, LetterTemplate

SUBJECT_MAX = LetterTemplate._meta.get_field("subject").max_length


class WordingForm(HardenedText, forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Tekst"),
        # Leading spaces and blank lines are the letter's layout: keep them as written.
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 90, "spellcheck": "true"}),
        help_text=_(
            "Een lege regel begint een nieuwe alinea. De variabelen die u kunt gebruiken staan "
            "onder het formulier."
        ),
    )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        # Browsers post CRLF; the letter's paragraphs are split on LF.
        body = body.replace("\r\n", "\n")
        if not body.strip():
            raise forms.ValidationError(_("Vul de tekst van de brief in."))
        return body


class LetterheadForm(HardenedText, forms.ModelForm):
    """The letterhead printed on every letter, and the sender of e-mail."""

    class Meta:
        model = Letterhead
        fields = ("postal_address", "phone", "email", "website")
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "postal_address": forms.Textarea(attrs={"rows": 3})
        }
