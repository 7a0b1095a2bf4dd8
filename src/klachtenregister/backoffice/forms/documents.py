"""Adding a document to a complaint from its page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klachtenregister.backoffice.forms.fields import UploadField
from klachtenregister.backoffice.forms.text import HardenedText


class DocumentForm(HardenedText, forms.Form):
    file = UploadField(
        label=_("Bestand"), error_messages={"required": _("Kies een bestand om toe te voegen.")}
    )
    description = forms.CharField(label=_("Omschrijving"), max_length=300, required=False)
