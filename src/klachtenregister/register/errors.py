"""The shell's one error hierarchy: every app raises these, every view and command catches them.

``RegisterError`` is what the register refused or could not do; its message is meant for the
person who asked, in the interface language. Anything else that escapes is a bug.
"""

from __future__ import annotations

from django.utils.translation import get_language


class RegisterError(Exception):
    """A request the register did not carry out; ``message`` says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NotFound(RegisterError):
    """What was asked for is not there for this user (another organisation's is not revealed)."""


class Forbidden(RegisterError):
    """The user may not see or do this (a complaint about themselves, one they do not handle)."""


class LogError(RegisterError):
    """A write to a complaint's log that was not made: nothing was stored."""


class Refusal(LogError):
    """The regulation (through the engine) or the user's role does not allow the event now."""


class NotPermitted(LogError):
    """The user holds no role of the regulation that may record the event."""


class Conflict(LogError):
    """Someone else recorded an event on the complaint since the caller looked at it."""


class InvalidDetails(LogError):
    """The event's details do not have the shape the engine needs."""


class MissingContents(InvalidDetails):
    """A letter of the event would go out without a content its regulation requires; ``missing``
    names each as (letter id, content value), so a form can mark the field."""

    def __init__(self, message: str, missing: list[tuple[str, str]]) -> None:
        self.missing = missing
        super().__init__(message)


class RegulationLoadError(RegisterError):
    """No regulation was loaded; ``problems`` says why, one line per problem, naming the file."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class CorruptHistory(RegisterError):
    """A stored history the engine does not accept: a bug or a changed rule, never user input."""


class WordingError(RegisterError, ValueError):
    """A letter template that cannot be used; the message says what is wrong and where."""


def interface_language() -> str:
    """The core's language code ("nl" or "en") for Django's active language; Dutch outside a
    request (commands), as the ``klachten`` CLI without ``--lang``."""
    return "en" if (get_language() or "").startswith("en") else "nl"
