"""The AVG forms: whose data to export, and why a complaint's personal data is erased."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klachtenregister.backoffice.forms.text import HardenedText, NameField


class PersonForm(HardenedText, forms.Form):
    name = NameField(label=_("Naam"), required=False)
    email = forms.EmailField(label=_("E-mailadres"), required=False, max_length=254)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name") or data.get("email")) and not self.errors:
            raise forms.ValidationError(_("Vul een naam of een e-mailadres in."))
        return data


class ErasureForm(HardenedText, forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=300,
        error_messages={"required": _("Geef de reden van de verwijdering.")},
    )
