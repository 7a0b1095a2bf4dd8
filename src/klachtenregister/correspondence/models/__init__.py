"""Correspondence's tables: letterheads, letter templates, the letters sent, and the outbox."""

from klachtenregister.correspondence.models.letterheads import Letterhead
from klachtenregister.correspondence.models.letters import (
    EMAIL,
    POST,
    REGISTERED_POST,
    Letter,
    LetterTemplate,
)
from klachtenregister.correspondence.models.outbox import OutboxMessage

__all__ = [
    "EMAIL",
    "POST",
    "REGISTERED_POST",
    "Letter",
    "LetterTemplate",
    "Letterhead",
    "OutboxMessage",
]
