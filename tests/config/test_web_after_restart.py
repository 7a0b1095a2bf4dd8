"""A web process keeps answering after the database restarted (issue 16 §1/§4).

gunicorn (one sync worker, production settings) keeps its database connection between
requests. Its backend is terminated, as a PostgreSQL restart does; the next request must find
the database reachable: the kept connection is checked before use (CONN_HEALTH_CHECKS) and a new
one opened, instead of failing on the dead one. (Django's test client cannot show this: it
keeps the connection check out of its requests.)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

PATIENCE = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get_health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def admin() -> psycopg.Connection:
    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def web(tmp_path: Path) -> Iterator[int]:
    database = connection.settings_dict
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KLACHTEN"))},
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}"
            f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "KLACHTENREGISTER_ENV": "production",
        "KLACHTENREGISTER_VAR_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": "web-after-restart-" + "s" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "klachtenregister.config.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                get_health(port)
                break
            except OSError:
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(PATIENCE)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")
@pytest.mark.django_db(transaction=True)
def test_the_first_request_after_a_restart_reconnects_instead_of_failing(web: int) -> None:
    status, before = get_health(web)
    assert "worker" in before, before  # the database answered (no worker runs: 503)
    connection.ensure_connection()
    own = connection.connection.info.backend_pid
    name = connection.settings_dict["NAME"]

    with admin() as server:
        terminated = server.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s",
            (name, own),
        ).fetchall()
    assert terminated, "the web process kept no connection to terminate"

    status, after = get_health(web)

    assert status != 500
    assert "worker" in after, after  # reachable: a new connection, not the dead one
