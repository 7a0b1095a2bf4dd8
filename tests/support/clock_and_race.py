"""Helpers every test folder shares (``from tests.support.clock_and_race import ...``).

- ``day``: a date from ISO text, or the date itself.
- ``Clock``: the back office's today (``klachtenregister.register.clock.today``), set by a test; the
  ``clock`` fixture in tests/conftest.py installs one.
- ``race``: tasks in threads with their own database connections, released together.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

TIMEOUT = 30  # seconds; only reached when something hangs


def day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


class Clock:
    """The back office's today, set by a test with ``set``."""

    def __init__(self, value: str | dt.date) -> None:
        self.day = day(value)

    def set(self, value: str | dt.date) -> dt.date:
        self.day = day(value)
        return self.day

    def __call__(self) -> dt.date:
        return self.day


def race(tasks: list[Callable[[threading.Barrier], Any]]) -> list[Any]:
    """Run each task in its own thread with its own connection; each gets the shared barrier to
    wait on once it has read what it needs. Returns each task's result or raised exception."""
    barrier = threading.Barrier(len(tasks), timeout=TIMEOUT)
    outcomes: list[Any] = [None] * len(tasks)

    def run(index: int, task: Callable[[threading.Barrier], Any]) -> None:
        try:
            outcomes[index] = task(barrier)
        except Exception as exc:  # handed back to the test, which says what it expected
            outcomes[index] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hangs"
    return outcomes


def at_once(task: Callable[[], Any]) -> Callable[[threading.Barrier], Any]:
    """A task that starts when every racer is ready."""

    def start(barrier: threading.Barrier) -> Any:
        barrier.wait()
        return task()

    return start
