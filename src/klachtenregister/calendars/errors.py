"""Errors raised by the working-day calendars."""

from __future__ import annotations

from pathlib import Path


class CalendarError(ValueError):
    """A calendar definition is refused: unknown name, unreadable file or invalid content.

    ``origin`` is the file (or built-in name) the problem is in, ``problems`` a list of
    ``(field path, message)`` pairs; the string form names all of them so that a person fixing
    the file sees every mistake at once instead of one per attempt.
    """

    def __init__(self, origin: str | Path | None, problems: list[tuple[str, str]]) -> None:
        self.origin = str(origin) if origin is not None else None
        self.problems = problems
        super().__init__(self._render())

    @classmethod
    def single(cls, origin: str | Path | None, field: str, message: str) -> CalendarError:
        return cls(origin, [(field, message)])

    def _render(self) -> str:
        where = f"calendar {self.origin!r}" if self.origin else "calendar"
        lines = [f"{field}: {message}" if field else message for field, message in self.problems]
        if len(lines) == 1:
            return f"{where}: {lines[0]}"
        listed = "\n".join(f"  - {line}" for line in lines)
        return f"{where}: {len(lines)} problems:\n{listed}"


class CalendarRangeError(ValueError):
    """A date (or the result of a date calculation) lies outside a calendar's precomputed range."""
