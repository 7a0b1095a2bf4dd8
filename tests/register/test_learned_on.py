"""The day the complainant learned of the conduct is recorded at registration, in the receipt's
details, where a time limit is measured from it (``measured_from: learned_of``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from klachtenregister.register.models import Complaint
from klachtenregister.register.selectors.history import lifecycle_of
from tests.support.complaints import day


@pytest.mark.django_db
def test_the_day_the_complainant_learned_of_it_is_in_the_receipt(
    register: Callable[..., Complaint],
) -> None:
    complaint = register("2027-04-20", facts_date=day("2026-01-05"), learned_on=day("2027-03-01"))
    received = complaint.events.get(event="received")
    assert received.payload["learned_on"] == "2027-03-01"
    details = lifecycle_of(complaint).progress.received_details
    assert (details.facts_date, details.learned_on) == (day("2026-01-05"), day("2027-03-01"))
    # Without it, nothing is stored.
    other = register("2027-04-21")
    assert "learned_on" not in other.events.get(event="received").payload
