"""A complaint's registered facts change only through the log (issue 16 §4, migration 0016).

Connected as the application's least-privilege role, a plain UPDATE of a fact (the complainant's
name, the description, the category, a subject's name) is refused by PostgreSQL, while the
register's own paths still work: the projection rewrites the derived columns after every event,
a correction (``facts_corrected``, stored in the log first) changes the facts, and an erasure of
a closed complaint replaces the personal data by placeholders.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import IntegrityError

from klachtenregister.privacy.services import erase_complaint
from klachtenregister.register.models import Complaint, ComplaintPerson, Organisation
from klachtenregister.register.personal import ERASED
from klachtenregister.register.services import correct_facts, register_complaint
from tests.support.complaints import complaint_data, day, record

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the guard is a PostgreSQL trigger"
)

PLAIN_UPDATES = [
    "UPDATE register_complaint SET complainant_name = 'Iemand Anders'",
    "UPDATE register_complaint SET description = 'Een andere klacht'",
    "UPDATE register_complaint SET category = 'anders', state = 'closed'",
    "UPDATE register_complaint SET received_on = received_on - 30",
    "UPDATE register_complaint SET reference = 'ISK-0000-000'",
    "UPDATE register_complaint SET complainant_name = '[verwijderd]'",  # open: no erasure
    "UPDATE register_complaintperson SET name = 'Iemand Anders'",
    "DELETE FROM register_complaintperson WHERE relation = 'subject'",
]


@pytest.fixture
def app_role(db: None) -> Iterator[str]:
    role = f"kr_test_app_{uuid.uuid4().hex[:12]}"
    call_command("grant_app_role", role, "--create", verbosity=0)
    with connection.cursor() as cursor:
        # From here on this transaction has the role's rights only.
        cursor.execute(f'SET LOCAL ROLE "{role}"')
    yield role
    with connection.cursor() as cursor:
        if not connection.needs_rollback:
            cursor.execute("RESET ROLE")
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def _outcome(statement: str) -> str:
    """The error PostgreSQL gives ``statement``, in a savepoint the test goes on after."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    except IntegrityError as exc:
        return str(exc)
    return "carried out"


@pytest.fixture
def complaint(iskander: Organisation, klara: User, piet: User, today: Any) -> Complaint:
    today.set("2027-04-19")
    complaint = register_complaint(
        iskander,
        klara,
        complaint_data(
            "2027-04-19",
            complainant_email="devries@example.org",
            subjects=[("Jan Jansen", None)],
            category="bejegening",
        ),
    )
    record(complaint, klara, "acknowledged", "2027-04-19")
    complaint.refresh_from_db()
    return complaint


def test_as_the_app_role_a_plain_update_of_a_fact_is_refused(
    app_role: str, complaint: Complaint
) -> None:
    before = Complaint.objects.values().get(pk=complaint.pk)
    for statement in PLAIN_UPDATES:
        refused = _outcome(statement)
        assert "only by a correction in the log" in refused or "never changes" in refused, statement
    # Through the ORM the same.
    complaint.complainant_name = "Iemand Anders"
    with pytest.raises(IntegrityError), transaction.atomic():
        complaint.save(update_fields=["complainant_name"])
    assert Complaint.objects.values().get(pk=complaint.pk) == before
    assert list(complaint.people.values_list("name", flat=True)) == ["Jan Jansen"]
    # The derived columns are the projection's: they still change.
    assert _outcome("UPDATE register_complaint SET next_due = NULL, state = 'accepted'") == (
        "carried out"
    )


def test_as_the_app_role_a_correction_changes_the_facts_and_an_erasure_erases_them(
    app_role: str, complaint: Complaint, klara: User, today: Any
) -> None:
    correct_facts(
        complaint,
        klara,
        complaint.sequence,
        day("2027-04-19"),
        {
            "complainant_name": "Mevrouw De Vries-Jansen",
            "category": "communicatie",
            "received_on": day("2027-04-16"),
            "subjects": ["Jan Jansen", "Karel Kok"],
        },
        "Overgenomen van het formulier.",
    )
    complaint.refresh_from_db()
    assert (complaint.complainant_name, complaint.category) == (
        "Mevrouw De Vries-Jansen",
        "communicatie",
    )
    assert complaint.received_on == day("2027-04-16")
    assert sorted(complaint.people.values_list("name", flat=True)) == ["Jan Jansen", "Karel Kok"]
    # The correction in the log allowed that change, not a later one.
    assert "only by a correction in the log" in _outcome(
        "UPDATE register_complaint SET category = 'anders'"
    )

    record(complaint, klara, "withdrawn", "2027-04-19", {"reason": "Klager trekt in."})
    complaint.refresh_from_db()
    erase_complaint(complaint, klara, "verzoek van de klager")
    complaint.refresh_from_db()
    assert (complaint.complainant_name, complaint.description) == (ERASED, ERASED)
    assert complaint.complainant_email == ""
    assert complaint.category == "communicatie"  # no person: it stays
    assert sorted(
        complaint.people.filter(relation=ComplaintPerson.SUBJECT).values_list("name", flat=True)
    ) == ["[verwijderd 1]", "[verwijderd 2]"]
    # An erasure replaces personal facts by placeholders only; the other facts stay guarded.
    assert "only by a correction in the log" in _outcome(
        "UPDATE register_complaint SET category = 'anders'"
    )
