"""Today's date for the back office, in one place so tests can set it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The local date (Europe/Amsterdam): the day events are recorded on by default."""
    return timezone.localdate()
