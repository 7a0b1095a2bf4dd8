"""Every event whose details have a required field has a form that asks for it, so a step the
register offers (a stage, a request to complete the complaint) can be recorded from the page."""

from __future__ import annotations

import pytest

from klachtenregister.backoffice.forms.actions import FORMS, form_class
from klachtenregister.lifecycle.events import Details, details_model
from klachtenregister.regulations.vocabulary import Event

BASE = set(Details.model_fields)


def required_details(event: Event) -> set[str]:
    model = details_model(event)
    return {name for name, field in model.model_fields.items() if field.is_required()} - BASE


@pytest.mark.parametrize(
    "event",
    # Receipt is the registration form; a delivery date is entered on its letter, never as a step.
    [
        e
        for e in Event
        if required_details(e) and e not in (Event.RECEIVED, Event.DELIVERY_DATE_CHANGED)
    ],
    ids=lambda e: e.value,
)
def test_an_event_with_required_details_has_its_own_form(event: Event) -> None:
    assert event in FORMS
    form = form_class(event)
    missing = required_details(event) - set(form.base_fields) - set(form.detail_fields)
    # The extension and correction forms build their details from fields of their own; the
    # rest name them as they are.
    if event not in (Event.EXTENDED, Event.FACTS_CORRECTED):
        assert missing == set(), missing
