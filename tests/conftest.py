"""Suite-wide: say which database the tests run on."""

from __future__ import annotations

import os

import pytest


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
