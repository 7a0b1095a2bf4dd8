"""A letter's delivery by post, entered by hand, is in the complaint's log (issue 16 §4): the
first date and every change, with the old and new value, who entered it and why. A date is never
overwritten without a trace; a change without a reason is refused and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from klachtenregister.correspondence.models import Letter
from klachtenregister.correspondence.services import record_post_delivery
from klachtenregister.register.errors import InvalidDetails
from klachtenregister.register.models import ComplaintEvent, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock, day
from tests.support.complaints import logged
from tests.support.letters import Story


@pytest.fixture
def story(
    db: None, organisation: Callable[[str], Organisation], staff: Staff, clock: Clock
) -> Story:
    """SmartPLUS: the employee complained about, known by name only, is told by post."""
    smartplus = organisation("smartplus")
    eva = UserFactory(
        username="eva", full_name="Eva Schouten", memberships=[(smartplus, RoleKind.HANDLER)]
    )
    story = Story(smartplus, staff(smartplus), clock)
    story.register("2027-04-19", facts_date=day("2027-04-12"), subjects=[("Frank de Wit", None)])
    story.assign("2027-04-20", eva)
    story.step("subject_informed", "2027-04-20")
    return story


def _letter(story: Story) -> Letter:
    return story.complaint.letters.get(delivery="post")


def _last_event(story: Story) -> ComplaintEvent:
    """The last log row as the register reads it: the note's text is kept apart (AVG)."""
    return logged(story.complaint.events.order_by("sequence").last())


def test_entering_and_changing_a_delivery_date_are_events_in_the_log(story: Story) -> None:
    letter = _letter(story)
    story.clock.set("2027-04-22")

    record_post_delivery(letter, story.actor, dt.date(2027, 4, 21), "3SABCD1234567")

    first = _last_event(story)
    assert (first.event, first.on, first.actor) == (
        "delivery_date_changed",
        dt.date(2027, 4, 22),
        story.actor,
    )
    assert first.payload == {
        "letter": letter.label,
        "addressee": "Frank de Wit",
        "delivered_on": {"new": "2027-04-21"},
        "tracking_number": {"old": "", "new": "3SABCD1234567"},
    }

    story.clock.set("2027-04-26")
    record_post_delivery(letter, story.actor, dt.date(2027, 4, 23), "", "PostNL meldde later 23-04")

    change = _last_event(story)
    assert change.sequence == first.sequence + 1
    assert change.payload == {
        "letter": letter.label,
        "addressee": "Frank de Wit",
        "delivered_on": {"old": "2027-04-21", "new": "2027-04-23"},
        "reason": "PostNL meldde later 23-04",
    }
    # The addressee's name and the reason are kept apart from the log row (AVG).
    stored = ComplaintEvent.objects.get(pk=change.pk).payload
    assert "addressee" not in stored and "reason" not in stored
    letter.refresh_from_db()
    assert (letter.delivered_on, letter.tracking_number) == (dt.date(2027, 4, 23), "3SABCD1234567")


def test_a_change_without_a_reason_is_refused_and_writes_nothing(story: Story) -> None:
    letter = _letter(story)
    story.clock.set("2027-04-22")
    record_post_delivery(letter, story.actor, dt.date(2027, 4, 21), "")
    sequence = _last_event(story).sequence

    with pytest.raises(InvalidDetails) as refused:
        record_post_delivery(letter, story.actor, dt.date(2027, 4, 22), "", "  ")

    assert "Geef de reden waarom de afleverdatum 21-04-2027 verandert" in refused.value.message
    letter.refresh_from_db()
    assert letter.delivered_on == dt.date(2027, 4, 21)
    assert _last_event(story).sequence == sequence


def test_entering_the_same_date_again_changes_nothing(story: Story) -> None:
    letter = _letter(story)
    story.clock.set("2027-04-22")
    assert record_post_delivery(letter, story.actor, dt.date(2027, 4, 21), "")
    sequence = _last_event(story).sequence

    assert not record_post_delivery(letter, story.actor, dt.date(2027, 4, 21), "")

    assert _last_event(story).sequence == sequence
