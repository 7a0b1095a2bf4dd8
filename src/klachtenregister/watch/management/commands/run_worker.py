"""``run_worker``: the background worker, beside the web server (``make run``) or many of them.

The main thread runs the django-tasks-db ``Worker`` on the "default" queue: it claims task rows
(``SELECT ... FOR UPDATE SKIP LOCKED``) and runs them (e-mail delivery, the periodic jobs). A
second thread ticks the scheduler every ``--tick`` seconds, which enqueues each periodic job once
per period however many workers run (``scheduler.tick``). SIGTERM or Ctrl+C lets the running
task finish and stops.

``--once`` is for tests and cron: tick once, run every task that is due, deliver every due
message, and exit.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from klachtenregister.correspondence import delivery
from klachtenregister.watch import scheduler

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
        ticker = threading.Thread(
            target=self._tick_until, args=(stop, tick), name="scheduler", daemon=True
        )
        worker = self._worker(worker_id, interval=interval, batch=False)
        # The worker's handlers: the first SIGTERM/SIGINT finishes the running task and stops.
        worker.configure_signals()
        ticker.start()
        try:
            worker.run()
        finally:
            stop.set()
            ticker.join(timeout=30)

    def _once(self, worker_id: str) -> None:
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

    @staticmethod
    def _tick_until(stop: threading.Event, seconds: float) -> None:
        while not stop.is_set():
            try:
                started = scheduler.tick(timezone.now())
                if started:
                    logger.info("started %s", ", ".join(started))
            except Exception:  # the next tick tries again; the worker must keep running
                logger.exception("scheduler tick failed")
            finally:
                connections.close_all()  # this thread's connections only
            stop.wait(seconds)

    def _configure_logging(self, verbosity: int) -> None:
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("klachtenregister.worker", "django_tasks", "django_tasks_db"):
            named = logging.getLogger(name)
            named.setLevel(level)
            if not named.hasHandlers():
                named.addHandler(logging.StreamHandler(self.stdout))
