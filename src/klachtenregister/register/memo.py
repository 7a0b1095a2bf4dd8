"""Reads remembered for the length of one request.

A page asks the same questions several times while it is drawn: who the user is in which
organisation (the menu, the switcher, the complaint's roles), who the organisation's members are
(handler choices, letter addressees), which own wordings it keeps. The answers do not change
meanwhile, so within ``per_request`` (turned on by the back office's middleware for each request)
each is read once. Outside it (commands, the worker, services called directly) every call reads
the database, as before. A service that writes such a row calls ``forget``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_remembered: ContextVar[dict[Hashable, Any] | None] = ContextVar("remembered", default=None)


@contextmanager
def per_request() -> Iterator[None]:
    """Within this block each remembered read is made once."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def remembered(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, once per request for the same ``key``."""
    memo = _remembered.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]  # type: ignore[no-any-return]


def forget() -> None:
    """Something remembered was written: read everything again."""
    memo = _remembered.get()
    if memo is not None:
        memo.clear()
