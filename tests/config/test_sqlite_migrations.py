"""The demo's embedded database: every migration applies to a fresh SQLite file, as ``make run``
does. The suite itself runs on PostgreSQL in CI, where a table rebuild that trips over the
append-only triggers (SQLite only) would go unnoticed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def test_every_migration_applies_to_a_fresh_sqlite_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KLACHTEN"))}
    env |= {
        "KLACHTENREGISTER_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "KLACHTENREGISTER_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "klachtenregister", "migrate", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # The append-only trigger is back after the migrations that rebuild the complaint table.
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as database:
        triggers = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
    assert "register_complaintevent_no_delete" in triggers
