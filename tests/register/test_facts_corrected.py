"""`register.services.correct_facts` (issue 12 §2): one transaction records `facts_corrected`
with old and new and sets the complaint's columns to the new values; a refused correction
writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.errors import Conflict, InvalidDetails
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import correct_facts, register_complaint
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, logged

ON = dt.date(2027, 4, 20)


@pytest.fixture
def complaint(iskander: Organisation, klara: User, clock: Clock) -> Complaint:
    clock.set("2027-04-19")
    registered = register_complaint(
        iskander, klara, complaint_data("2027-04-19", facts_date=dt.date(2027, 4, 9))
    )
    clock.set("2027-04-20")
    return registered


def test_the_columns_take_the_new_values_and_the_log_keeps_the_old(
    complaint: Complaint, klara: User
) -> None:
    old_name = complaint.complainant_name
    correct_facts(
        complaint,
        klara,
        complaint.sequence,
        ON,
        {"complainant_name": "J. Jansen", "facts_date": dt.date(2027, 3, 1), "category": ""},
        "Typefout.",
    )
    complaint.refresh_from_db()
    assert (complaint.complainant_name, complaint.facts_date) == ("J. Jansen", dt.date(2027, 3, 1))
    last = complaint.events.order_by("sequence").last()
    assert last is not None and last.event == "facts_corrected"
    row = logged(last)
    assert row.payload["changes"] == {  # the unchanged (empty) category is not recorded
        "complainant_name": {"old": old_name, "new": "J. Jansen"},
        "facts_date": {"old": "2027-04-09", "new": "2027-03-01"},
    }
    # The replay reads the corrected facts date: Iskander's 4-week ground is suggested.
    suggested = lifecycle_of(complaint).status(ON).suggested_grounds
    assert [s.ground.id for s in suggested] == ["feit_ouder_dan_vier_weken"]
    assert "jansen" in complaint.search_text


def test_nothing_changed_or_an_unknown_fact_writes_nothing(
    complaint: Complaint, klara: User
) -> None:
    sequence = complaint.sequence
    with pytest.raises(InvalidDetails):
        correct_facts(
            complaint, klara, sequence, ON, {"complainant_name": complaint.complainant_name}, "x"
        )
    with pytest.raises(InvalidDetails):
        correct_facts(complaint, klara, sequence, ON, {"uwv_client": True}, "x")
    with pytest.raises(InvalidDetails):
        correct_facts(complaint, klara, sequence, ON, {"complainant_name": "Ander"}, "  ")
    complaint.refresh_from_db()
    assert complaint.sequence == sequence


def test_a_stale_view_is_a_conflict(complaint: Complaint, klara: User) -> None:
    with pytest.raises(Conflict):
        correct_facts(complaint, klara, complaint.sequence - 1, ON, {"category": "x"}, "Fout.")
    complaint.refresh_from_db()
    assert complaint.category == ""


def test_the_manager_is_corrected_and_linked_to_the_member_it_names(
    complaint: Complaint, klara: User, iskander: Organisation
) -> None:
    # Issue 14 §1 f: the complaint's own manager, correctable with the facts.
    from klachtenregister.regulations.vocabulary import RoleKind
    from tests.factories import UserFactory

    mona = UserFactory(
        username="mona", full_name="Mona Manager", memberships=[(iskander, RoleKind.MANAGER)]
    )
    correct_facts(complaint, klara, complaint.sequence, ON, {"manager_name": "Mona Manager"}, "x")
    complaint.refresh_from_db()
    assert (complaint.manager_name, complaint.manager) == ("Mona Manager", mona)
    correct_facts(complaint, klara, complaint.sequence, ON, {"manager_name": ""}, "Geen.")
    complaint.refresh_from_db()
    assert (complaint.manager_name, complaint.manager) == ("", None)
    changes = [row.payload["changes"] for row in complaint.events.filter(event="facts_corrected")]
    assert changes == [
        {"manager_name": {"old": "", "new": "Mona Manager"}},
        {"manager_name": {"old": "Mona Manager"}},
    ]
