"""The AVG forms: whose data to export, and why a complaint's personal data is erased."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klachtenregister.backoffice.forms.text import HardenedText, NameField
from klachtenregister.register.models import Person


class PersonForm(HardenedText, forms.Form):
    # One of the organisation's people (issue 16 §2): their complaints are found by who they
    # are (subject, involved, handler, committee member), not by how a name was spelled.
    person = forms.TypedChoiceField(
        label=_("Persoon van de organisatie"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Kies een persoon van deze organisatie.")},
        help_text=_(
            "Een medewerker of derde van de organisatie: gevonden als beklaagde, betrokkene, "
            "klachtbehandelaar of commissielid, hoe de naam ook gespeld is."
        ),
    )
    name = NameField(label=_("Naam"), required=False)
    email = forms.EmailField(label=_("E-mailadres"), required=False, max_length=254)

    def __init__(self, *args: Any, people: Sequence[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "---------")] + [
            (pk, person.name) for pk, person in self.people.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("person")
        data["person"] = self.people.get(chosen) if chosen is not None else None
        if not (data.get("name") or data.get("email") or data["person"]) and not self.errors:
            raise forms.ValidationError(_("Vul een naam of een e-mailadres in."))
        return data


class ErasureForm(HardenedText, forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=300,
        error_messages={"required": _("Geef de reden van de verwijdering.")},
    )
