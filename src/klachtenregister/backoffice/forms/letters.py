"""The letters part of an action form: per letter of the step, its texts and, per addressee,
how it goes out. The texts are offered as the register fills them in; the person completes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from klachtenregister.backoffice.forms.actions import ActionContext
from klachtenregister.backoffice.forms.fields import date_field
from klachtenregister.backoffice.forms.text import HardenedText
from klachtenregister.correspondence.addressees import Addressee, addressees
from klachtenregister.correspondence.compose import letters_for, offered_texts
from klachtenregister.correspondence.models import EMAIL, POST, REGISTERED_POST
from klachtenregister.correspondence.models.letters import DELIVERY_CHOICES
from klachtenregister.correspondence.services import LetterOrder
from klachtenregister.letters.contents import LONG_TEXTS, content_label
from klachtenregister.register import clock
from klachtenregister.regulations.schema import Letter as LetterRule
from klachtenregister.regulations.vocabulary import Content, Delivery, Event

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class LetterSection:
    rule: LetterRule
    label: str
    addressees: list[tuple[Addressee, forms.BoundField, forms.BoundField]]  # delivery, tracking
    texts: list[forms.BoundField]  # the contents
    posted_on: forms.BoundField | None


def _delivery_choices(addressee: Addressee, rule: LetterRule) -> list[tuple[str, StrOrPromise]]:
    labels = dict(DELIVERY_CHOICES)
    if rule.delivery and rule.delivery[0] is Delivery.REGISTERED_POST:
        return [(REGISTERED_POST, labels[REGISTERED_POST])]
    choices = [(EMAIL, labels[EMAIL])] if addressee.email else []
    return [*choices, (POST, labels[POST]), (REGISTERED_POST, labels[REGISTERED_POST])]


class LettersForm(HardenedText, forms.Form):
    """Built for one event on one complaint; empty (``sections == []``) when the step sends no
    letter."""

    prefix = "letter"

    def __init__(self, context: ActionContext, event: Event, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        complaint, snapshot = context.complaint, context.snapshot
        ui = (get_language() or "nl")[:2]
        self._plan: list[tuple[LetterRule, list[Addressee], list[Content], dict[str, str]]] = []
        for rule in letters_for(context.regulation, complaint, event):
            found = addressees(complaint, rule)
            if not found:
                continue
            contents, offered = offered_texts(complaint, snapshot, rule, clock.today())
            self._plan.append((rule, found, contents, offered))
            for content in contents:
                required = content in rule.required_contents
                self.fields[f"{rule.id}__{content.value}"] = forms.CharField(
                    label=content_label(content, ui) + (" *" if required else ""),
                    required=False,
                    initial=offered.get(content.value, ""),
                    widget=forms.Textarea(attrs={"rows": 3})
                    if content in LONG_TEXTS
                    else forms.TextInput(),
                )
            for addressee in found:
                choices = _delivery_choices(addressee, rule)
                # Not required: without a choice the letter goes the default way.
                self.fields[f"{rule.id}__to{addressee.index}"] = forms.ChoiceField(
                    label=addressee.name, choices=choices, initial=choices[0][0], required=False
                )
                self.fields[f"{rule.id}__track{addressee.index}"] = forms.CharField(
                    label=_("Trackingnummer (post)"), required=False, max_length=100
                )
            if event is Event.REGISTERED_LETTER_DELIVERED:
                self.fields[f"{rule.id}__posted_on"] = date_field(_("Verzonden op"))

    @property
    def sections(self) -> list[LetterSection]:
        ui = (get_language() or "nl")[:2]
        result = []
        for rule, found, contents, _offered in self._plan:
            posted = f"{rule.id}__posted_on"
            result.append(
                LetterSection(
                    rule=rule,
                    label=rule.label_en if ui == "en" and rule.label_en else rule.label,
                    addressees=[
                        (a, self[f"{rule.id}__to{a.index}"], self[f"{rule.id}__track{a.index}"])
                        for a in found
                    ],
                    texts=[self[f"{rule.id}__{content.value}"] for content in contents],
                    posted_on=self[posted] if posted in self.fields else None,
                )
            )
        return result

    def orders(self) -> list[LetterOrder]:
        data = self.cleaned_data
        result = []
        for rule, found, contents, offered in self._plan:
            result.append(
                LetterOrder(
                    letter_id=rule.id,
                    written={c.value: data.get(f"{rule.id}__{c.value}") or "" for c in contents},
                    offered=offered,
                    deliveries={a.index: data.get(f"{rule.id}__to{a.index}") or "" for a in found},
                    tracking={a.index: data.get(f"{rule.id}__track{a.index}", "") for a in found},
                    posted_on=data.get(f"{rule.id}__posted_on"),
                )
            )
        return result


class LetterDeliveryForm(HardenedText, forms.Form):
    """A letter by post arrived."""

    delivered_on = date_field(_("Afgeleverd op"))
    tracking_number = forms.CharField(label=_("Trackingnummer"), required=False, max_length=100)
    # Required to change a date entered before (the service says so); the log keeps it.
    reason = forms.CharField(label=_("Reden van de wijziging"), required=False, max_length=1000)

    def clean_delivered_on(self) -> dt.date:
        day = self.cleaned_data["delivered_on"]
        if day > clock.today():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day
