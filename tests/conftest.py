"""Suite-wide: say which database the tests run on; the fixtures every folder shares.

People are made with ``tests.factories.UserFactory``; the fixtures here are the ones several
folders use: the loaded organisations, Iskander's Klara and Piet, a member holding every kind of
role (``staff``), the clock, an SMTP server.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.clock_and_race import Clock
from tests.support.regulation_files import EXAMPLE

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from klachtenregister.register.models import Complaint, Organisation
    from tests.factories import Staff
    from tests.support.mail import Mailbox


def _database_description() -> str:
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        return "none (run without pytest-django)"
    from django.conf import settings

    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine == "postgresql":
        host = database.get("HOST") or "socket"
        return f"PostgreSQL ({host}:{database.get('PORT') or 5432}, database {database['NAME']})"
    return f"SQLite ({database['NAME']})"


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {_database_description()}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"database: {_database_description()}")


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _append_only_log_flushable(request: pytest.FixtureRequest):
    """Let the flush after a transactional test empty the append-only event log on SQLite.

    There a trigger refuses deleting an event while its complaint exists (migration 0002), and
    Django's flush deletes the tables in set order, which changes with PYTHONHASHSEED. Removing
    the complaints first, with foreign keys off, makes the flush pass; this fixture depends on
    ``transactional_db`` so it is torn down before the flush. On PostgreSQL the flush is a
    TRUNCATE, which the row trigger does not see.
    """
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.constraint_checks_disabled(), connection.cursor() as cursor:
            cursor.execute('DELETE FROM "register_complaint"')


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded documents go to a temporary directory, never to var/media."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(autouse=True)
def two_factor_not_required(settings: Any) -> None:
    """Users log in with their password only, whatever DEBUG says; the accounts tests that are
    about the second factor turn the requirement on (REQUIRE_TWO_FACTOR)."""
    settings.REQUIRE_TWO_FACTOR = False


@pytest.fixture
def regulations(db: None) -> list[Any]:
    """Every preset loaded: five organisations and the Awb chapter 9 template."""
    from klachtenregister.register.loading import load_regulations

    return load_regulations()


@pytest.fixture
def write_regulation(tmp_path: Path) -> Callable[..., Path]:
    """Write a regulation file: the example (or ``text``) with replacements applied."""

    def write(
        name: str = "regulation.yaml",
        *,
        text: str | None = None,
        replace: dict[str, str] | None = None,
    ) -> Path:
        content = EXAMPLE.read_text(encoding="utf-8") if text is None else text
        for old, new in (replace or {}).items():
            assert old in content, f"fixture text not found: {old!r}"
            content = content.replace(old, new, 1)
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The back office's today (``klachtenregister.register.clock.today``), Mon 19 Apr 2027 until a
    test sets another day with ``clock.set``."""
    today = Clock("2027-04-19")
    monkeypatch.setattr("klachtenregister.register.clock.today", today)
    return today


@pytest.fixture
def organisation(regulations: list[Any]) -> Callable[[str], Organisation]:
    """``organisation("smartplus")``: a loaded organisation by its slug."""
    from tests.factories import loaded_organisation

    return loaded_organisation


@pytest.fixture
def iskander(organisation: Callable[[str], Organisation]) -> Organisation:
    return organisation("iskander")


@pytest.fixture
def loket3(organisation: Callable[[str], Organisation]) -> Organisation:
    return organisation("loket3")


@pytest.fixture
def klara(iskander: Organisation) -> User:
    """Iskander's klachtenfunctionaris (kind coordinator), klara@example.org."""
    from klachtenregister.regulations.vocabulary import RoleKind
    from tests.factories import UserFactory

    return UserFactory(
        username="klara",
        full_name="Klara Klachtenfunctionaris",
        memberships=[(iskander, RoleKind.COORDINATOR)],
    )


@pytest.fixture
def piet(iskander: Organisation) -> User:
    """An Iskander procesverantwoordelijke (kind handler), piet@example.org, not yet assigned to
    anything."""
    from klachtenregister.regulations.vocabulary import RoleKind
    from tests.factories import UserFactory

    return UserFactory(
        username="piet", full_name="Piet Pietersen", memberships=[(iskander, RoleKind.HANDLER)]
    )


@pytest.fixture
def staff(db: None) -> Staff:
    """``staff(organisation)``: the person who takes a complaint through its regulation, Sam
    Stafmedewerker, holding every kind of role in the organisation, so each step is recorded in
    the role the regulation gives it.

    ``username`` defaults to ``staf-<slug>``; ``email`` to ``staf@<slug>.example``, so letters to
    Sam (a copy to the manager, the committee's letters) go by e-mail through the outbox. The back
    office's tests pass ``email=""``: their letter forms then offer Sam post only.
    """
    from klachtenregister.regulations.vocabulary import RoleKind
    from tests.factories import UserFactory

    def make(organisation: Organisation, username: str = "", email: str | None = None) -> User:
        return UserFactory(
            username=username or f"staf-{organisation.slug}",
            full_name="Sam Stafmedewerker",
            memberships=[(organisation, kind) for kind in RoleKind],
            email=f"staf@{organisation.slug}.example" if email is None else email,
        )

    return make


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server in-process on a free port, recording every message it receives; the
    settings point the outbox at it. A test stops it to take SMTP down and starts it again on the
    same port, and can hook the moment a recipient or a message's end arrives (``on_rcpt``,
    ``on_data``) and the reply to the message (``data_reply``)."""
    from tests.support.mail import Mailbox, free_port

    box = Mailbox(free_port())
    box.start()
    settings.SMTP_HOST = "127.0.0.1"
    settings.SMTP_PORT = box.port
    settings.SMTP_TIMEOUT = 10
    settings.SMTP_STARTTLS = False
    settings.SMTP_USER = ""
    yield box
    box.stop()


@pytest.fixture
def register(clock: Clock, klara: User, iskander: Organisation) -> Callable[..., Complaint]:
    """``register("2027-04-20")``: an Iskander complaint received and registered that day by
    Klara."""
    from klachtenregister.register.services import register_complaint
    from tests.support.complaints import complaint_data

    def make(received_on: str, **fields: Any) -> Complaint:
        clock.set(received_on)
        return register_complaint(iskander, klara, complaint_data(received_on, **fields))

    return make
