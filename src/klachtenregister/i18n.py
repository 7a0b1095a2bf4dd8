"""Translations outside Django (the CLI), from the same catalogue the web interface uses.

The message ids are Dutch, the interface's own language; English comes from
locale/en/LC_MESSAGES/django.mo, which is a plain GNU gettext catalogue.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nl", "en")

_WEEKDAYS = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


@cache
def translation(language: str) -> gettext.NullTranslations:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of: {', '.join(LANGUAGES)}")
    if language == "nl":
        return gettext.NullTranslations()
    return gettext.translation("django", localedir=LOCALE_DIR, languages=[language])


def format_date(day: dt.date, language: str) -> str:
    """``do 30 april 2026`` / ``Thu 30 April 2026``, independent of the machine's locale."""
    weekday = _WEEKDAYS[language][day.weekday()]
    return f"{weekday} {day.day} {_MONTHS[language][day.month - 1]} {day.year}"
