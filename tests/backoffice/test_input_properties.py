"""Whatever is typed into the registration form or an action form, the answer is a page, never a
500 (issue 16 §3): hypothesis posts random values, control characters, invisible and
right-to-left characters, out-of-range dates and numbers, to every field.

The test client raises the view's exception instead of answering 500, so a crash fails the
example and hypothesis shrinks it to the smallest input that causes it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.regulations.vocabulary import Event
from tests.support.clock_and_race import Clock
from tests.support.webflows import action_url, register, registration_fields, url

ANSWERS = {200, 302, 400, 403, 404, 409, 422}
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as a browser can send it: any character but lone surrogates (not encodable as UTF-8).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "\u200b",
        "\u202e",
        "\x00",
        "\r\n",
        "¹",
        "٣",
        "-1",
        "0",
        "9" * 30,
        "0001-01-01",
        "9999-12-31",
        "2027-02-30",
        "M.\u00a0de Boer",
        "x" * 5000,
    ]
)
VALUE = st.one_of(TEXT, TRICKY, st.dates().map(dt.date.isoformat))

REGISTRATION_FIELDS = [
    "received_on",
    "channel",
    "anonymous",
    "complainant_name",
    "complainant_email",
    "complainant_phone",
    "complainant_address",
    "complainant_language",
    "representative_name",
    "representative_capacity",
    "facts_date",
    "description",
    "category",
    "commissioning_party",
    "uwv_client",
    "subjects",
    "involved",
    "confirmed",
]
# Every field name any action form has (forms/actions.py, forms/letters.py).
ACTION_FIELDS = [
    "sequence",
    "on",
    "note",
    "ground",
    "reason",
    "handler",
    "members",
    "party",
    "outcome",
    "heard",
    "deadline",
    "amount",
    "unit",
    "motivation",
    "type",
    "description",
    "to",
    "kind",
    "text",
    "complainant_name",
    "complainant_email",
    "complainant_phone",
    "complainant_address",
    "representative_name",
    "representative_capacity",
    "commissioning_party",
    "category",
    "channel",
    "facts_date",
    "posted_on",
    "tracking_number",
]


@pytest.fixture
def logged_in(client: Client, clock: Clock, iskander: Organisation, staff) -> Client:
    clock.set("2027-04-19")
    client.force_login(staff(iskander, email=""))
    return client


@pytest.mark.django_db
@HYPOTHESIS
@given(values=st.fixed_dictionaries({}, optional=dict.fromkeys(REGISTRATION_FIELDS, VALUE)))
def test_random_registrations_never_crash(logged_in: Client, values: dict[str, str]) -> None:
    data = {**registration_fields("2027-04-19"), **values}
    response = logged_in.post(url("register", "iskander"), data)

    assert response.status_code in ANSWERS


@pytest.fixture
def complaint(logged_in: Client) -> Complaint:
    return register(logged_in, "iskander", "2027-04-19", subjects=["Jan Jansen"])


@pytest.mark.django_db
@HYPOTHESIS
@given(
    event=st.sampled_from([event.value for event in Event]),
    values=st.fixed_dictionaries({}, optional=dict.fromkeys(ACTION_FIELDS, VALUE)),
)
def test_random_actions_never_crash(
    logged_in: Client, complaint: Complaint, event: str, values: dict[str, str]
) -> None:
    data = {"sequence": str(Complaint.objects.get(pk=complaint.pk).sequence), "on": "2027-04-19"}
    response = logged_in.post(action_url(complaint, event), {**data, **values})

    assert response.status_code in ANSWERS


@pytest.mark.django_db
@HYPOTHESIS
@given(
    params=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            ["q", "state", "handler", "kind", "year", "sort", "page", "from", "to", "status"], VALUE
        ),
    )
)
def test_random_list_filters_never_crash(logged_in: Client, params: dict[str, str]) -> None:
    for name in ("watchlist", "complaint_list", "outbox"):
        params = {key: value.replace("\x00", "") for key, value in params.items()}
        assert logged_in.get(url(name, "iskander"), params).status_code == 200, name
