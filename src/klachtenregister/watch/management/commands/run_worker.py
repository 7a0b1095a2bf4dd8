"""``run_worker``: the background worker, beside the web server (``make run``) or many of them.

The main thread runs the django-tasks-db ``Worker`` on the "default" queue: it claims task rows
(``SELECT ... FOR UPDATE SKIP LOCKED``) and runs them (e-mail delivery, the periodic jobs). A
second thread ticks the scheduler every ``--tick`` seconds, which enqueues each periodic job once
per period however many workers run (``scheduler.tick``). SIGTERM or Ctrl+C lets the running
task finish and stops.

``--once`` is for tests and cron: tick once, run every task that is due, deliver every due
message, and exit.

A lost database does not stop it (issue 16 §4): the worker's loop is started again after 1, 2,
4 ... seconds (at most ``WORKER_RECONNECT_MAX_DELAY``), each attempt logged, and the connection
is opened anew. The scheduler thread writes the worker's heartbeat every tick, which ``/health``
reads.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from klachtenregister.correspondence import delivery
from klachtenregister.watch import health, scheduler

logger = logging.getLogger("klachtenregister.worker")
QUEUE = "default"


class Command(BaseCommand):
    help = "Run the background worker: e-mail delivery and the periodic deadline jobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Tick once, run every due task, deliver every due message, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when there is no task to run (default: 1).",
        )
        parser.add_argument(
            "--tick",
            type=float,
            default=15.0,
            help="Seconds between two ticks of the scheduler (default: 15).",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="A name unique among the workers (default: host name and process id).",
        )

    def handle(
        self, *, once: bool, interval: float, tick: float, worker_id: str, **options: Any
    ) -> None:
        self._configure_logging(options["verbosity"])
        worker_id = (worker_id or f"{socket.gethostname()[:40]}-{os.getpid()}")[:64]
        if once:
            self._once(worker_id)
            return
        stop = threading.Event()
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.reconnects = 0
        ticker = threading.Thread(
            target=self._tick_until, args=(stop, tick), name="scheduler", daemon=True
        )
        worker = self._worker(worker_id, interval=interval, batch=False)
        # The worker's handlers: the first SIGTERM/SIGINT finishes the running task and stops.
        worker.configure_signals()
        ticker.start()
        try:
            self._run_surviving_outages(worker, stop)
        finally:
            stop.set()
            ticker.join(timeout=30)

    def _run_surviving_outages(self, worker: Worker, stop: threading.Event) -> None:
        """Run the worker; when the database goes away, wait for it with back-off and run the
        worker again."""
        while True:
            try:
                worker.run()
                return  # stopped by a signal
            except DatabaseError as exc:
                if not worker.running:
                    return
                first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                logger.warning("database unavailable (%s): reconnecting with back-off", first_line)
                attempts = self._wait_for_database(worker)
                if attempts is None:
                    return
                self.reconnects += 1
                logger.warning("database back after %d attempt(s): the worker goes on", attempts)

    @staticmethod
    def _wait_for_database(worker: Worker) -> int | None:
        """Try the database after 1, 2, 4 ... seconds (at most WORKER_RECONNECT_MAX_DELAY) until
        it answers: the number of attempts; None when a signal stopped the worker meanwhile."""
        ceiling = float(settings.WORKER_RECONNECT_MAX_DELAY)
        delay, attempts = min(1.0, ceiling), 0
        while worker.running:
            _close_connections()
            waited = 0.0
            while waited < delay and worker.running:  # a signal ends the wait
                time.sleep(0.2)
                waited += 0.2
            if not worker.running:
                return None
            attempts += 1
            if _database_answers():
                return attempts
            delay = min(delay * 2, ceiling)
            logger.warning(
                "database still unavailable (attempt %d): next attempt in %.0f s", attempts, delay
            )
        return None

    def _once(self, worker_id: str) -> None:
        health.beat(worker_id, timezone.now(), timezone.now(), 0)
        started = scheduler.tick(timezone.now())
        logger.info("started %s", ", ".join(started) or "no periodic job")
        self._worker(worker_id, interval=0, batch=True).run()
        delivered = delivery.deliver_due(timezone.now(), worker_id)
        logger.info("delivered %d message(s)", delivered)

    @staticmethod
    def _worker(worker_id: str, *, interval: float, batch: bool) -> Worker:
        return Worker(
            queue_names=[QUEUE],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )

    def _tick_until(self, stop: threading.Event, seconds: float) -> None:
        while not stop.is_set():
            try:
                now = timezone.now()
                health.beat(self.worker_id, self.started_at, now, self.reconnects)
                started = scheduler.tick(now)
                if started:
                    logger.info("started %s", ", ".join(started))
            except DatabaseError as exc:  # the main loop logs the outage and reconnects
                logger.debug("scheduler tick: database unavailable (%s)", exc)
            except Exception:  # the next tick tries again; the worker must keep running
                logger.exception("scheduler tick failed")
            finally:
                _close_connections()  # this thread's connections only
            stop.wait(seconds)

    def _configure_logging(self, verbosity: int) -> None:
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("klachtenregister.worker", "django_tasks", "django_tasks_db"):
            named = logging.getLogger(name)
            named.setLevel(level)
            if not named.hasHandlers():
                named.addHandler(logging.StreamHandler(self.stdout))


def _close_connections() -> None:
    """Drop this thread's connections, broken ones included, so the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None  # already gone; Django opens a new one on next use


def _database_answers() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        _close_connections()
        return False
