"""The days the demo is loaded on in its tests (``from tests.support.demo_days import
AWKWARD_DAYS``): days that make the date arithmetic of its data files hard."""

from __future__ import annotations

import datetime as dt

AWKWARD_DAYS = [
    dt.date(2026, 11, 23),  # a Monday
    dt.date(2026, 12, 24),  # Christmas Eve, a Thursday
    dt.date(2027, 1, 9),  # a Saturday
    dt.date(2027, 5, 6),  # Ascension Day; Fri 7 May is a decree day
    dt.date(2027, 3, 27),  # the Saturday before Easter
]
