"""Writes of the reports app: a regulation review, a measure's result. The log is never touched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from klachtenregister.register import clock
from klachtenregister.register.errors import NotFound, RegisterError
from klachtenregister.register.models import ComplaintEvent, Organisation
from klachtenregister.register.selectors.regulations import regulation_version_for
from klachtenregister.regulations.vocabulary import Event
from klachtenregister.reports.models import MeasureResult, RegulationReview


class InvalidInput(RegisterError):
    """A review or result that cannot be: shown to the user as a form error."""


@dataclass(frozen=True)
class ReviewData:
    reviewed_on: dt.date
    reviewed_by: str
    meeting: str
    conclusion: str
    new_version: bool


def record_review(organisation: Organisation, actor: User, data: ReviewData) -> RegulationReview:
    """A check of the regulation in force on the day, with its conclusion."""
    if data.reviewed_on > clock.today():
        raise InvalidInput(_("Een toetsing kan niet in de toekomst liggen."))
    return RegulationReview.objects.create(
        organisation=organisation,
        regulation_version=regulation_version_for(organisation, data.reviewed_on),
        reviewed_on=data.reviewed_on,
        reviewed_by=data.reviewed_by,
        meeting=data.meeting,
        conclusion=data.conclusion,
        new_version=data.new_version,
        recorded_by=actor,
    )


@dataclass(frozen=True)
class MeasureResultData:
    carried_out_on: dt.date | None
    effect: str
    satisfaction: str


def record_measure_result(
    organisation: Organisation, actor: User, event_id: int, data: MeasureResultData
) -> MeasureResult:
    """The follow-up of a measure recorded in a complaint of the organisation (replaces an
    earlier follow-up of the same measure)."""
    event = ComplaintEvent.objects.filter(
        pk=event_id,
        complaint__organisation=organisation,
        event=Event.MEASURES_RECORDED.value,
    ).first()
    if event is None:
        raise NotFound(_("Deze maatregel bestaat niet."))
    if data.carried_out_on is not None and data.carried_out_on < event.on:
        raise InvalidInput(_("Een maatregel kan niet zijn uitgevoerd voordat hij is vastgelegd."))
    if data.carried_out_on is not None and data.carried_out_on > clock.today():
        raise InvalidInput(_("De datum van uitvoering kan niet in de toekomst liggen."))
    with transaction.atomic():
        result, _created = MeasureResult.objects.update_or_create(
            event=event,
            defaults={
                "carried_out_on": data.carried_out_on,
                "effect": data.effect,
                "satisfaction": data.satisfaction,
                "recorded_by": actor,
            },
        )
    return result
