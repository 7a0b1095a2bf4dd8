"""Registering a complaint that came in by letter, e-mail, web form or orally (entered by staff)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from klachtenregister.backoffice.forms.fields import (
    MultipleFileField,
    date_field,
    names_field,
    split_names,
)
from klachtenregister.backoffice.forms.text import HardenedText, NameField
from klachtenregister.register import clock
from klachtenregister.register.models import Organisation, Person
from klachtenregister.register.models.complaints import (
    CHANNEL_CHOICES,
    FORM_OF_ADDRESS_CHOICES,
    LANGUAGE_CHOICES,
)
from klachtenregister.register.services import ComplaintData
from klachtenregister.regulations.schema import Regulation

# Intake (issue 14 §3): the choice "anders" where the regulation's categories are not closed,
# and the answers to a precondition ("" not asked).
OTHER_CATEGORY = "anders"
PRECONDITION_PREFIX = "precondition_"
PRECONDITION_MET, PRECONDITION_NOT_MET = "yes", "no"


class RegistrationForm(HardenedText, forms.Form):
    received_on = date_field(_("Ontvangen op"))
    channel = forms.ChoiceField(label=_("Ontvangen via"), choices=CHANNEL_CHOICES)
    anonymous = forms.BooleanField(label=_("Anonieme klacht"), required=False)
    complainant_name = NameField(label=_("Naam klager"), max_length=200, required=False)
    complainant_email = forms.EmailField(label=_("E-mailadres"), required=False)
    complainant_phone = forms.CharField(label=_("Telefoon"), max_length=50, required=False)
    complainant_address = forms.CharField(
        label=_("Adres"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    complainant_language = forms.ChoiceField(
        label=_("Taal voor brieven"), choices=LANGUAGE_CHOICES, initial="nl"
    )
    form_of_address = forms.ChoiceField(
        label=_("Aanspreekvorm in brieven"),
        choices=FORM_OF_ADDRESS_CHOICES,
        initial="neutral",
        required=False,
        help_text=_(
            "Heer of mevrouw: 'Geachte heer De Vries,'. Neutraal: de naam zoals geschreven, "
            "'Geachte Pieter de Vries,'."
        ),
    )
    representative_name = NameField(
        label=_("Naam vertegenwoordiger"), max_length=200, required=False
    )
    representative_capacity = forms.CharField(
        label=_("Hoedanigheid vertegenwoordiger"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld raadsman, vertrouwenspersoon of familielid."),
    )
    facts_date = date_field(_("Datum van de gebeurtenis"), required=False)
    # Only needed where the complainant learned of the conduct later and the regulation counts
    # its time limit from that day (measured_from: learned_of).
    learned_on = date_field(_("Datum waarop de klager ervan hoorde"), required=False)
    description = forms.CharField(
        label=_("Omschrijving van de klacht"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat is er gebeurd, waar en wanneer, en wat verwacht de klager?"),
    )
    category = forms.CharField(label=_("Categorie"), max_length=100, required=False)
    commissioning_party = NameField(
        label=_("Opdrachtgever"),
        max_length=200,
        required=False,
        help_text=_("UWV, gemeente of werkgever in wiens opdracht de dienst werd verleend."),
    )
    uwv_client = forms.BooleanField(label=_("De klager is cliënt van UWV"), required=False)
    manager_name = NameField(
        label=_("Betreffende leidinggevende"),
        max_length=200,
        required=False,
        help_text=_(
            "De leidinggevende van de medewerker om wie het gaat, zoals die in het register heet; "
            "brieven met een afschrift aan de leidinggevende gaan alleen naar deze persoon."
        ),
    )
    # The organisation's people (issue 16 §2): choices set per organisation in __init__.
    subject_people = forms.MultipleChoiceField(
        label=_("Beklaagden uit de organisatie"),
        required=False,
        help_text=_(
            "Kies de medewerkers (of anderen van de organisatie) om wie het gaat; met Ctrl of Cmd "
            "kiest u er meer. Wie hier gekozen is, kan de klacht niet inzien en niet behandelen, "
            "hoe de naam later ook gespeld wordt."
        ),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    subjects = names_field(
        _("Over wie gaat de klacht (beklaagden buiten de organisatie)"),
        _(
            "Eén naam per regel, voor wie niet in de lijst hierboven staat. Lijkt een naam op die "
            "van een medewerker, dan vraagt het register eerst of het dezelfde persoon is."
        ),
    )
    involved_people = forms.MultipleChoiceField(
        label=_("Betrokkenen uit de organisatie"),
        required=False,
        help_text=_("Wie bij de gebeurtenis betrokken was, kan de klacht niet behandelen."),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    involved = names_field(
        _("Anderen die bij de gebeurtenis betrokken waren"),
        _("Zij kunnen de klacht niet behandelen. Eén naam per regel."),
    )
    attachments = MultipleFileField(label=_("Bijlagen"), required=False)
    # Ticked in the warnings: these names are none of the members they resemble
    # (register.names), so those members are not kept out of the complaint.
    different_people = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple
    )
    # Posted by "Toch registreren" after the warnings (register.selectors.registration_checks).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # This filled-in form: the same token submitted twice makes one complaint (issue 16 §3).
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        organisation: Organisation,
        *args: Any,
        people: Sequence[Person] = (),
        regulation: Regulation | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.regulation = regulation
        if regulation is not None:
            self._intake_fields(regulation)
        # ``people``: the organisation's people (selectors.people.people_of), offered by name.
        self.people = {str(person.pk): person for person in people}
        choices = [(key, _person_label(person)) for key, person in self.people.items()]
        for name in ("subject_people", "involved_people"):
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = choices
        self.fields["received_on"].initial = clock.today()
        self.fields["submission"].initial = uuid.uuid4()
        if self.is_bound:
            # Only the names this post gives can be confirmed.
            names = {
                name
                for field in ("subjects", "involved")
                for name in split_names(str(self.data.get(field) or ""))
            }
            different = self.fields["different_people"]
            assert isinstance(different, forms.MultipleChoiceField)
            different.choices = [(name, name) for name in sorted(names)]

    def _intake_fields(self, regulation: Regulation) -> None:
        """Intake by the regulation (issue 14 §3): its categories are the choices (with
        "anders" where its list is not closed); each precondition is asked, met or not."""
        definitions = regulation.definitions
        if definitions.categories:
            choices = [("", "---------")]
            choices += [(category.id, category.label) for category in definitions.categories]
            if definitions.other_category:
                choices.append((OTHER_CATEGORY, str(_("Anders"))))
            self.fields["category"] = forms.ChoiceField(
                label=_("Categorie"), choices=choices, required=False
            )
            if definitions.other_category:
                self.fields["category_other"] = forms.CharField(
                    label=_("Anders, namelijk"), max_length=100, required=False
                )
        for precondition in definitions.preconditions:
            self.fields[PRECONDITION_PREFIX + precondition.id] = forms.ChoiceField(
                label=precondition.label,
                choices=[
                    ("", _("niet gevraagd")),
                    (PRECONDITION_MET, _("ja, gebeurd")),
                    (PRECONDITION_NOT_MET, _("nee, niet gebeurd")),
                ],
                required=False,
                help_text=(
                    _("Het reglement verwacht deze stap vóór een klacht (%(source)s).")
                    if precondition.required
                    else _("Het reglement noemt deze stap (%(source)s).")
                )
                % {"source": precondition.source},
            )

    def precondition_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(PRECONDITION_PREFIX)]

    def _category(self) -> str:
        category = str(self.cleaned_data.get("category") or "")
        if category == OTHER_CATEGORY:
            return str(self.cleaned_data.get("category_other") or "").strip() or OTHER_CATEGORY
        return category

    def _preconditions(self) -> dict[str, bool]:
        answers = {}
        for name in self.fields:
            answer = self.cleaned_data.get(name) if name.startswith(PRECONDITION_PREFIX) else None
            if answer:
                answers[name.removeprefix(PRECONDITION_PREFIX)] = answer == PRECONDITION_MET
        return answers

    def clean_subject_people(self) -> list[Person]:
        return [self.people[key] for key in self.cleaned_data.get("subject_people") or []]

    def clean_involved_people(self) -> list[Person]:
        return [self.people[key] for key in self.cleaned_data.get("involved_people") or []]

    def clean_received_on(self) -> dt.date:
        received_on = self.cleaned_data["received_on"]
        if received_on > clock.today():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return received_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("anonymous") and not cleaned.get("complainant_name", "").strip():
            self.add_error(
                "complainant_name", _("Vul de naam van de klager in, of kruis 'anoniem' aan.")
            )
        facts_date, received_on = cleaned.get("facts_date"), cleaned.get("received_on")
        if facts_date and received_on and facts_date > received_on:
            self.add_error(
                "facts_date", _("De gebeurtenis kan niet na de ontvangst van de klacht liggen.")
            )
        learned_on = cleaned.get("learned_on")
        if learned_on and received_on and learned_on > received_on:
            self.add_error(
                "learned_on",
                _("De klager kan er niet na de ontvangst van de klacht van hebben gehoord."),
            )
        if learned_on and facts_date and learned_on < facts_date:
            self.add_error(
                "learned_on", _("De klager kan er niet vóór de gebeurtenis van hebben gehoord.")
            )
        return cleaned

    def complaint_data(self, members: Mapping[str, User]) -> ComplaintData:
        """``members``: the organisation's users by case-folded name (``selectors.people``), so
        a named subject is linked to the user."""
        data = self.cleaned_data
        users = members
        return ComplaintData(
            received_on=data["received_on"],
            channel=data["channel"],
            description=data["description"],
            anonymous=data["anonymous"],
            facts_date=data["facts_date"],
            learned_on=data.get("learned_on"),
            complainant_name="" if data["anonymous"] else data["complainant_name"].strip(),
            complainant_email=data["complainant_email"],
            complainant_phone=data["complainant_phone"],
            complainant_address=data["complainant_address"],
            complainant_language=data["complainant_language"],
            form_of_address=data["form_of_address"] or "neutral",
            representative_name=data["representative_name"],
            representative_capacity=data["representative_capacity"],
            category=self._category(),
            commissioning_party=data["commissioning_party"],
            uwv_client=data["uwv_client"],
            manager_name=data["manager_name"].strip(),
            manager=users.get(data["manager_name"].strip().casefold()),
            subjects=[(name, users.get(name.casefold())) for name in split_names(data["subjects"])],
            involved=[(name, users.get(name.casefold())) for name in split_names(data["involved"])],
            subject_people=data["subject_people"],
            involved_people=data["involved_people"],
            different_people=frozenset(data["different_people"]),
            preconditions=self._preconditions(),
        )


def _person_label(person: Person) -> str:
    if person.kind == Person.THIRD_PARTY:
        return str(_("%(name)s (derde)") % {"name": person.name})
    return person.name
