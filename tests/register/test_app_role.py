"""The application's least-privilege database role (issue 16 §4, docs/operations.md).

``grant_app_role`` gives a role row access to the tables and only read and append on the event
log. Connected as that role, the register works as usual, while emptying the log, switching off
its append-only trigger, or changing and deleting its rows are refused by PostgreSQL's own
permissions (the trigger would only stop the last two, and only while it is on).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from klachtenregister.register.models import Complaint, ComplaintEvent, Organisation
from klachtenregister.register.services import correct_facts, register_complaint
from tests.support.complaints import complaint_data, day, record

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are PostgreSQL's"
)

REFUSED = [
    "TRUNCATE register_complaintevent",
    "TRUNCATE register_complaintevent CASCADE",
    "ALTER TABLE register_complaintevent DISABLE TRIGGER register_complaintevent_append_only",
    "ALTER TABLE register_complaintevent DISABLE TRIGGER ALL",
    "DROP TRIGGER register_complaintevent_append_only ON register_complaintevent",
    "UPDATE register_complaintevent SET event = 'closed'",
    "DELETE FROM register_complaintevent",
    "TRUNCATE register_complaint CASCADE",
    "ALTER TABLE register_complaint ADD COLUMN note text",
]


def _role() -> str:
    return f"kr_test_app_{uuid.uuid4().hex[:12]}"


def _drop(role: str) -> None:
    with connection.cursor() as cursor:
        if not connection.needs_rollback:
            cursor.execute("RESET ROLE")  # a test may have left its transaction as the role
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{role}"')  # its grants in this database
            cursor.execute(f'DROP ROLE "{role}"')


@pytest.fixture
def app_role() -> Iterator[str]:
    role = _role()
    yield role
    _drop(role)


def _refused(statement: str) -> str:
    """The error PostgreSQL gives ``statement``, in a savepoint the test goes on after."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    except ProgrammingError as exc:
        return str(exc)
    return "carried out"


def test_as_the_app_role_the_register_works_and_the_log_cannot_be_emptied_or_changed(
    iskander: Organisation, klara: User, piet: User, today: Any, app_role: str
) -> None:
    call_command("grant_app_role", app_role, "--create", verbosity=0)
    today.set("2027-04-19")
    with connection.cursor() as cursor:
        # From here on this transaction has the role's rights only (not the test's superuser's).
        cursor.execute(f'SET LOCAL ROLE "{app_role}"')
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role

    # The app's own writes: a registration, a step, a correction of the facts.
    complaint = register_complaint(
        iskander, klara, complaint_data("2027-04-19", subjects=[("Jan Jansen", None)])
    )
    record(complaint, klara, "acknowledged", "2027-04-19")
    record(
        complaint,
        klara,
        "handler_assigned",
        "2027-04-19",
        {"handler": "Piet Pietersen"},
        {"handler": piet.pk},
    )
    complaint.refresh_from_db()
    correct_facts(
        complaint, klara, complaint.sequence, day("2027-04-19"), {"category": "bejegening"}, "typo"
    )

    complaint.refresh_from_db()
    assert complaint.category == "bejegening"
    assert complaint.sequence == 5
    for statement in REFUSED:
        assert "permission denied" in _refused(statement) or "must be owner" in _refused(
            statement
        ), statement
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 5


def test_a_separate_login_as_the_app_role_is_refused_the_same(
    transactional_db: None, iskander: Organisation, klara: User, today: Any, app_role: str
) -> None:
    call_command("grant_app_role", app_role, "--create", verbosity=0)
    today.set("2027-04-19")
    register_complaint(iskander, klara, complaint_data("2027-04-19"))
    settings = connection.settings_dict
    login = {
        "dbname": settings["NAME"],
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": app_role,
    }
    with psycopg.connect(**login, autocommit=True) as own:
        assert own.execute("SELECT count(*) FROM register_complaintevent").fetchone() == (2,)
        for statement in REFUSED:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                own.execute(statement)
    assert ComplaintEvent.objects.count() == 2
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("kind", ["superuser", "missing"])
def test_the_command_refuses_a_superuser_or_a_missing_role(db: None, kind: str) -> None:
    role = "postgres" if kind == "superuser" else _role()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if kind == "superuser":
            role = cursor.fetchone()[0]
    with pytest.raises(CommandError) as refused:
        call_command("grant_app_role", role, verbosity=0)
    assert ("superuser or the owner" if kind == "superuser" else "does not exist") in str(
        refused.value
    )
