"""Ten identical registrations sent at once make one complaint (issue 16 §3): the form's token
is inserted first, so the twins wait on its unique index and then find the first's complaint."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User
from django.db import connection

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.services import register_complaint
from tests.support.clock_and_race import Clock, at_once, race
from tests.support.complaints import complaint_data


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_ten_identical_registrations_at_once_make_one_complaint(
    iskander: Organisation, coordinator: User, clock: Clock
) -> None:
    token = uuid.uuid4()
    data = complaint_data("2027-04-19")

    outcomes = race(
        [
            at_once(lambda: register_complaint(iskander, coordinator, data, submission=token))
            for _ in range(10)
        ]
    )

    assert all(isinstance(outcome, Complaint) for outcome in outcomes), outcomes
    assert {outcome.pk for outcome in outcomes} == {Complaint.objects.get().pk}


@pytest.mark.django_db
def test_without_a_token_each_registration_is_a_complaint(
    iskander: Organisation, coordinator: User, clock: Clock
) -> None:
    data = complaint_data("2027-04-19")
    register_complaint(iskander, coordinator, data)
    register_complaint(iskander, coordinator, data)

    assert Complaint.objects.count() == 2
