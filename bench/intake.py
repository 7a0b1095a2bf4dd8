"""Benchmark: intake through a production server (issue 17, "Intake and events" and "Scaling
out"), on PostgreSQL.

Goals: registering a complaint through the real registration form (POST, CSRF, logged in as a
coordinator) and recording an event through an action form (a note), against gunicorn with 2
workers and N concurrent clients: >= 200 complaints/s and >= 500 events/s, and >= 0.25x a raw
``INSERT`` of the same rows measured in the same run. With ``--processes``: two web processes
(gunicorn instances of one worker each) and two background workers against one PostgreSQL give
>= 1.7x the throughput of one of each. Prints the figures and the ratios, no asserts.

The server is the production configuration (``KLACHTENREGISTER_ENV=production``, DEBUG off,
HTTPS as behind a TLS-ending proxy: the clients send ``X-Forwarded-Proto: https`` and
``DJANGO_SECURE_PROXY_SSL_HEADER`` trusts it), with one exception: the second factor is off
(``KLACHTENREGISTER_REQUIRE_2FA=false``), because a bench cannot type TOTP codes; the login
itself is the real login form. The bench's users are those of bench/scale.py.

What a client does, as a browser would: it logs in once (the login form), reads the
registration form once for its CSRF token, then POSTs the form again and again (each with a new
``submission`` token, as each fresh form has, and a complainant of its own so no warning asks
for confirmation); every answer must be the 302 to the new complaint. Then it POSTs notes
("notitie") to the complaints it registered, round robin, each with the sequence it last saw.
The clients are threads with ``http.client`` (a new connection per request: gunicorn's sync
workers close it).

The baseline writes the same rows again without the application: per registered complaint its
complaint row (another reference and number), its log rows, their personal data, its deadline,
to-do and people rows and the submission row, in one transaction, by plain ``INSERT``s from the
same number of threads, each with its own connection; per note its log row and personal data
and the complaint's new sequence.

Run: DATABASE_URL=postgres://user@host:5432/postgres .venv/bin/python bench/intake.py
     [--clients N] [--seconds S] [--complaints N] [--processes] [--database NAME] [--keep]
     [--reuse]
(--complaints: the register is first filled with that many by bench/scale.py; default 0, only
the organisations and people. BENCH_COMPLAINTS does not apply here.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import scale  # bench/scale.py: python puts the script's folder first on the path

COMPLAINTS_GOAL = 200.0
EVENTS_GOAL = 500.0
RAW_RATIO_GOAL = 0.25
SCALE_OUT_GOAL = 1.7
BASELINE_MIN = 500
SLUG = "iskander"
PASSWORD = "bench-wachtwoord-1"
SRC = Path(__file__).resolve().parent.parent / "src"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (threads)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--complaints", type=int, default=0, help="fill the register first")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--processes",
        action="store_true",
        help="scale-out: 2 gunicorn instances (1 worker each) + 2 background workers vs 1 + 1",
    )
    parser.add_argument("--port", type=int, default=0, help="first port (default: a free one)")
    scale.database_arguments(parser)
    return parser.parse_args()


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the servers ---------------------------------------------------------------------------------


def server_environment(static_dir: str) -> dict[str, str]:
    """Production settings as `make serve` runs them, on the scratch database; only the second
    factor off (see the module's docstring)."""
    env = dict(os.environ)
    env.update(
        {
            "KLACHTENREGISTER_ENV": "production",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
            "KLACHTENREGISTER_TRUSTED_PROXIES": "127.0.0.1",
            "KLACHTENREGISTER_REQUIRE_2FA": "false",
            "KLACHTENREGISTER_STATIC_DIR": static_dir,
            "KLACHTENREGISTER_MEDIA_DIR": os.path.join(static_dir, "media"),
            # The worker delivers to a mail server that is not there: nothing is queued here.
            "KLACHTENREGISTER_SMTP_PORT": "1",
            "PYTHONPATH": os.pathsep.join(
                [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
    )
    return env


@dataclass
class Servers:
    """The gunicorn instances and background workers of one measurement."""

    ports: list[int]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def start(
    env: dict[str, str], instances: int, web_workers: int, workers: int, port: int
) -> Servers:
    ports = [port + i if port else free_port() for i in range(instances)]
    servers = Servers(ports)
    log = open(os.path.join(env["KLACHTENREGISTER_STATIC_DIR"], "servers.log"), "ab")  # noqa: SIM115
    for bind_port in ports:
        servers.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "klachtenregister.config.wsgi",
                    "--bind",
                    f"127.0.0.1:{bind_port}",
                    "--workers",
                    str(web_workers),
                    "--forwarded-allow-ips",
                    "127.0.0.1",
                ],
                env=env,
                stdout=log,
                stderr=log,
            )
        )
    for number in range(workers):
        servers.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "klachtenregister",
                    "run_worker",
                    "--worker-id",
                    f"bench-{number}",
                ],
                env=env,
                stdout=log,
                stderr=log,
            )
        )
    deadline = time.monotonic() + 60
    for bind_port in ports:
        while True:
            try:
                status, _headers, _body = request(bind_port, "GET", "/health", {})
                if status in (200, 503):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                servers.stop()
                raise SystemExit(f"gunicorn on port {bind_port} did not start (see servers.log)")
            time.sleep(0.2)
    return servers


# --- a client ------------------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    form: dict[str, Any] | None = None,
) -> tuple[int, list[tuple[str, str]], bytes]:
    origin = f"https://127.0.0.1:{port}"
    headers = {
        "Host": f"127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "Referer": origin + path,
        "Origin": origin,
    }
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


_COOKIE = re.compile(r"^\s*([^=;\s]+)=([^;]*)")
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One person at a browser: cookies, the CSRF token, the complaints they registered."""

    def __init__(self, number: int, port: int) -> None:
        self.number = number
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.references: list[str] = []
        self.sequences: dict[str, int] = {}
        self.errors: list[str] = []
        self.notes = 0

    def call(self, method: str, path: str, form: dict[str, Any] | None = None) -> Any:
        status, headers, body = request(self.port, method, path, self.cookies, form)
        for name, value in headers:
            if name.lower() == "set-cookie" and (match := _COOKIE.match(value)):
                self.cookies[match[1]] = match[2]
        location = next((v for n, v in headers if n.lower() == "location"), "")
        return status, location, body

    def login(self, username: str) -> None:
        status, _location, body = self.call("GET", "/inloggen/")
        token = _TOKEN.search(body)
        assert status == 200 and token, f"login page: {status}"
        form = {"csrfmiddlewaretoken": token[1].decode(), "username": username}
        status, _location, body = self.call("POST", "/inloggen/", {**form, "password": PASSWORD})
        assert status == 302, f"login: {status} {body[:300]!r}"
        status, _location, body = self.call("GET", f"/o/{SLUG}/klachten/nieuw/")
        token = _TOKEN.search(body)
        assert status == 200 and token, f"registration form: {status}"
        self.token = token[1].decode()

    def register(self, today: dt.date, count: int) -> bool:
        form = {
            "csrfmiddlewaretoken": self.token,
            "submission": str(uuid.uuid4()),
            "received_on": today.isoformat(),
            "channel": "written",
            "complainant_name": f"Bench Klager {self.number}-{count}",
            "complainant_language": "nl",
            "description": "De re-integratiespecialist kwam twee afspraken niet na.",
            "subjects": "",
            "involved": "",
        }
        status, location, body = self.call("POST", f"/o/{SLUG}/klachten/nieuw/", form)
        if status != 302:
            self.errors.append(f"registration {status}: {body[:200]!r}")
            return False
        reference = location.rstrip("/").rsplit("/", 1)[-1]
        self.references.append(reference)
        return True

    def note(self, today: dt.date, count: int) -> bool:
        reference = self.references[count % len(self.references)]
        form = {
            "csrfmiddlewaretoken": self.token,
            "sequence": self.sequences[reference],
            "on": today.isoformat(),
            "kind": "telephone",
            "text": f"Klager gebeld (bench {self.number}-{count}).",
        }
        path = f"/o/{SLUG}/klachten/{reference}/acties/note_added/"
        status, _location, body = self.call("POST", path, form)
        if status != 302:
            self.errors.append(f"note {status}: {body[:200]!r}")
            return False
        self.sequences[reference] += 1
        self.notes += 1
        return True


def run_clients(
    clients: list[Client], action: Callable[[Client, int], bool], seconds: float
) -> tuple[int, float]:
    """Every client repeats ``action`` until ``seconds`` have passed; (successes, seconds)."""
    done = [0] * len(clients)
    stop = time.monotonic() + seconds

    def loop(index: int) -> None:
        client = clients[index]
        count = 0
        while time.monotonic() < stop and len(client.errors) < 5:
            if action(client, count):
                done[index] += 1
            count += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(clients))]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), time.perf_counter() - began


# --- the raw INSERT baseline ---------------------------------------------------------------------

# What one registration writes besides the complaint row, by the column naming the complaint.
CHILDREN = [
    "register_complaintevent",
    "register_complaintdeadline",
    "register_complainttodo",
    "register_complaintperson",
    "register_complaintparticipant",
    "register_registrationsubmission",
]


def _rows(cursor: Any, table: str, where: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor.execute(f"SELECT * FROM {table} WHERE {where}", params)
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _insert(cursor: Any, table: str, row: dict[str, Any]) -> Any:
    from psycopg.types.json import Jsonb

    values = {k: Jsonb(v) if isinstance(v, dict | list) else v for k, v in row.items() if k != "id"}
    columns = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join(["%s"] * len(values))
    cursor.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id",
        list(values.values()),
    )
    return cursor.fetchone()[0]


@dataclass
class Written:
    """One registration's rows as stored, to be written again."""

    complaint: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]
    personal: dict[Any, dict[str, Any]]  # by the old event id


def written(cursor: Any, references: list[str]) -> list[Written]:
    found = []
    for reference in references:
        (complaint,) = _rows(cursor, "register_complaint", "reference = %s", [reference])
        children = {
            table: _rows(cursor, table, "complaint_id = %s", [complaint["id"]])
            for table in CHILDREN
        }
        personal = {
            row["event_id"]: row
            for row in _rows(
                cursor, "register_personaldata", "complaint_id = %s", [complaint["id"]]
            )
        }
        found.append(Written(complaint, children, personal))
    return found


def in_threads(url: str, threads: int, work: Callable[[int, Any], None]) -> float:
    """``work(index, connection)`` in ``threads`` threads at once, each with a connection of
    its own made before the clock starts (the clients' logins are not timed either); the
    seconds they took. An error in one stops the bench (a baseline that wrote less would
    flatter the ratio)."""
    import psycopg

    errors: list[BaseException] = []
    ready = threading.Barrier(threads + 1)

    def guarded(index: int) -> None:
        with psycopg.connect(url) as connection:
            ready.wait()
            try:
                work(index, connection)
            except BaseException as exc:
                errors.append(exc)

    pool = [threading.Thread(target=guarded, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    ready.wait()
    began = time.perf_counter()
    for thread in pool:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - began


def raw_registrations(
    url: str, cursor: Any, rows: list[Written], threads: int
) -> tuple[int, float]:
    """The same rows by plain INSERTs, one transaction per complaint, ``threads`` at once."""
    cursor.execute("SELECT coalesce(max(number), 0) + 1 FROM register_complaint")
    (first,) = cursor.fetchone()

    def worker(index: int, connection: Any) -> None:
        with connection.cursor() as cursor:
            for number in range(index, len(rows), threads):
                source = rows[number]
                complaint = dict(source.complaint)
                complaint["reference"] = f"RAW-{uuid.uuid4().hex[:20]}"
                complaint["number"] = first + number
                new_id = _insert(cursor, "register_complaint", complaint)
                for table, children in source.children.items():
                    for child in children:
                        copy = {**child, "complaint_id": new_id}
                        if table == "register_registrationsubmission":
                            copy["token"] = uuid.uuid4()
                        child_id = _insert(cursor, table, copy)
                        if table == "register_complaintevent" and child["id"] in source.personal:
                            personal = source.personal[child["id"]]
                            copy = {**personal, "complaint_id": new_id, "event_id": child_id}
                            _insert(cursor, "register_personaldata", copy)
                connection.commit()

    return len(rows), in_threads(url, threads, worker)


def raw_events(url: str, cursor: Any, clients: list[Client], threads: int) -> tuple[int, float]:
    """A note's rows by plain INSERTs (its log row, its personal data, the complaint's new
    sequence), one transaction per note, as many as the clients recorded."""
    (note,) = _rows(
        cursor,
        "register_complaintevent",
        "event = 'note_added' ORDER BY id DESC LIMIT 1",
        [],
    )
    (personal,) = _rows(cursor, "register_personaldata", "event_id = %s", [note["id"]])
    targets = [
        (reference, client.sequences[reference])
        for client in clients
        for reference in client.references
    ]
    cursor.execute(
        "SELECT reference, id FROM register_complaint WHERE reference = ANY(%s)",
        [[reference for reference, _sequence in targets]],
    )
    ids = dict(cursor.fetchall())
    notes = max(sum(client.notes for client in clients), BASELINE_MIN)

    def worker(index: int, connection: Any) -> None:
        with connection.cursor() as cur:
            # Each thread writes to complaints of its own (as each client did), so no two wait
            # on a row or take the same sequence; the numbers go on after the form's.
            own = targets[index::threads] or targets[:1]
            sequences = dict(own)
            for number in range(index, notes, threads):
                reference = own[number % len(own)][0]
                sequence = sequences[reference] = sequences[reference] + 1
                event_id = _insert(
                    cur,
                    "register_complaintevent",
                    {**note, "complaint_id": ids[reference], "sequence": sequence},
                )
                _insert(
                    cur,
                    "register_personaldata",
                    {**personal, "complaint_id": ids[reference], "event_id": event_id},
                )
                cur.execute(
                    "UPDATE register_complaint SET sequence = %s WHERE id = %s",
                    [sequence, ids[reference]],
                )
                connection.commit()

    return notes, in_threads(url, threads, worker)


# --- one measurement -----------------------------------------------------------------------------


@dataclass
class Result:
    complaints: int
    complaint_seconds: float
    events: int
    event_seconds: float

    @property
    def complaints_per_s(self) -> float:
        return self.complaints / self.complaint_seconds

    @property
    def events_per_s(self) -> float:
        return self.events / self.event_seconds


def measure(
    args: argparse.Namespace, servers: Servers, username: str
) -> tuple[Result, list[Client]]:
    from django.utils import timezone

    today = timezone.localdate()
    clients = [
        Client(number, servers.ports[number % len(servers.ports)]) for number in range(args.clients)
    ]
    for client in clients:
        client.number = int(time.time() * 1000) % 10**9 * 100 + client.number
        client.login(username)
    complaints, complaint_seconds = run_clients(
        clients, lambda client, count: client.register(today, count), args.seconds
    )
    from klachtenregister.register.models import Complaint

    for client in clients:
        client.sequences = dict(
            Complaint.objects.filter(reference__in=client.references).values_list(
                "reference", "sequence"
            )
        )
        if not client.references:
            raise SystemExit(f"client {client.number} registered nothing: {client.errors[:2]}")

    events, event_seconds = run_clients(
        clients, lambda client, count: client.note(today, count), args.seconds
    )
    for client in clients:
        for error in client.errors[:2]:
            print(f"  client {client.number % 100}: {error}")
    return Result(complaints, complaint_seconds, events, event_seconds), clients


def report(label: str, result: Result) -> None:
    print(
        f"{label}: {result.complaints:,} complaints in {result.complaint_seconds:.1f} s = "
        f"{result.complaints_per_s:.1f}/s; {result.events:,} notes in "
        f"{result.event_seconds:.1f} s = {result.events_per_s:.1f}/s"
    )


def served(
    args: argparse.Namespace,
    env: dict[str, str],
    username: str,
    instances: int,
    web_workers: int,
) -> tuple[Result, list[Client]]:
    """Start ``instances`` gunicorns of ``web_workers`` each and as many background workers,
    measure, stop them."""
    servers = start(env, instances, web_workers, instances, args.port)
    try:
        return measure(args, servers, username)
    finally:
        servers.stop()


def single(args: argparse.Namespace, env: dict[str, str], username: str) -> None:
    from django.db import connection

    result, clients = served(args, env, username, 1, args.web_workers)
    print(
        f"server:               gunicorn, {args.web_workers} workers, 1 background worker; "
        f"{args.clients} clients, {args.seconds:.0f} s per phase"
    )
    report("form POSTs          ", result)
    references = [reference for client in clients for reference in client.references]
    url = os.environ["DATABASE_URL"]
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for the row dicts
        rows = written(cursor, references)
        # At least BASELINE_MIN of each, so the baseline runs long enough to be timed.
        rows = rows * -(-BASELINE_MIN // len(rows))
        raw_c, raw_c_seconds = raw_registrations(url, cursor, rows, args.clients)
        raw_e, raw_e_seconds = raw_events(url, cursor, clients, args.clients)
    raw_c_rate, raw_e_rate = raw_c / raw_c_seconds, raw_e / raw_e_seconds
    sample = rows[0]
    row_count = 1 + sum(len(v) for v in sample.children.values()) + len(sample.personal)
    print(
        f"raw INSERT baseline:  {raw_c:,} complaints ({row_count} rows each) in "
        f"{raw_c_seconds:.1f} s = {raw_c_rate:.1f}/s; {raw_e:,} notes (3 rows) in "
        f"{raw_e_seconds:.1f} s = {raw_e_rate:.1f}/s; {args.clients} connections"
    )
    c_ratio, e_ratio = result.complaints_per_s / raw_c_rate, result.events_per_s / raw_e_rate
    print(
        f"goal complaints >= {COMPLAINTS_GOAL:.0f}/s: "
        f"{verdict(result.complaints_per_s >= COMPLAINTS_GOAL)} "
        f"({result.complaints_per_s:.1f}/s); form/raw {c_ratio:.2f}x "
        f"({verdict(c_ratio >= RAW_RATIO_GOAL)} >= {RAW_RATIO_GOAL})"
    )
    print(
        f"goal events >= {EVENTS_GOAL:.0f}/s:     {verdict(result.events_per_s >= EVENTS_GOAL)} "
        f"({result.events_per_s:.1f}/s); form/raw {e_ratio:.2f}x "
        f"({verdict(e_ratio >= RAW_RATIO_GOAL)} >= {RAW_RATIO_GOAL})"
    )


def scale_out(args: argparse.Namespace, env: dict[str, str], username: str) -> None:
    results = []
    for instances in (1, 2):
        result, _clients = served(args, env, username, instances, 1)
        report(
            f"{instances} web process{'es' if instances > 1 else ''} (gunicorn, 1 worker) + "
            f"{instances} worker{'s' if instances > 1 else ''}",
            result,
        )
        results.append(result)
    one, two = results
    complaints = two.complaints_per_s / one.complaints_per_s
    events = two.events_per_s / one.events_per_s
    print(
        f"scale-out 2+2 / 1+1: complaints {complaints:.2f}x, events {events:.2f}x "
        f"({args.clients} clients spread over the web processes); goal >= {SCALE_OUT_GOAL}: "
        f"{verdict(min(complaints, events) >= SCALE_OUT_GOAL)}"
    )


def main() -> None:
    args = arguments()
    scale.setup_django(args.database, args.reuse, "bench/intake.py")
    from django.contrib.auth.models import User
    from django.core.management import call_command

    static_dir = tempfile.mkdtemp(prefix="bench-intake-")
    try:
        call_command("migrate", verbosity=0)
        if args.complaints and not args.reuse:
            scale.fill_checked(args.complaints)
        bench = scale.people()
        from klachtenregister.register.models import Complaint

        print(
            f"database:             {args.database}, {Complaint.objects.count():,} complaints "
            f"before the run"
        )
        coordinator = User.objects.get(pk=bench.coordinator)
        coordinator.set_password(PASSWORD)
        coordinator.save(update_fields=["password"])
        env = server_environment(static_dir)
        subprocess.run(
            [sys.executable, "-m", "klachtenregister", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            check=True,
        )
        if args.processes:
            scale_out(args, env, coordinator.username)
        else:
            single(args, env, coordinator.username)
    finally:
        shutil.rmtree(static_dir, ignore_errors=True)
        scale.release(args)


if __name__ == "__main__":
    main()
