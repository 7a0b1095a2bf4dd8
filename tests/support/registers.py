"""A small register written through the services, for the reports' tests (tests/reports,
tests/cli): ``Desk(organisation, sam, clock)`` receives complaints and records events on the
clock's day."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.services import register_complaint
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, record


class Desk:
    """One organisation's register, written through the services by Sam (every kind of role)."""

    def __init__(self, organisation: Organisation, sam: User, clock: Clock) -> None:
        self.organisation = organisation
        self.sam = sam
        self.clock = clock

    def receive(self, on: str, **fields: Any) -> Complaint:
        self.clock.set(on)
        return register_complaint(self.organisation, self.sam, complaint_data(on, **fields))

    def act(
        self,
        complaint: Complaint,
        on: str,
        event: str,
        people: dict[str, Any] | None = None,
        **details: Any,
    ) -> None:
        self.clock.set(on)
        record(complaint, self.sam, event, on, details, people)
