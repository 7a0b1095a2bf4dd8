"""Working-day calendars: which days count, and when a term in a regulation ends.

The default calendar is ``nl-atw`` (Algemene termijnenwet). Organisations may define their own in
a YAML file, usually ``based_on: nl-atw`` plus their closing days.
"""

from klachtenregister.calendars.errors import CalendarError, CalendarRangeError
from klachtenregister.calendars.registry import (
    DEFAULT_CALENDAR,
    builtin_calendar_names,
    load_calendar,
    load_calendar_spec,
)
from klachtenregister.calendars.spec import (
    CalendarSpec,
    ClosingDay,
    FixedHoliday,
    PackageExclusion,
    PackageHolidays,
    Weekday,
    parse_calendar_text,
    read_calendar_file,
)
from klachtenregister.calendars.units import Duration, DurationUnit
from klachtenregister.calendars.working_days import (
    DEFAULT_FIRST_YEAR,
    DEFAULT_LAST_YEAR,
    WorkingDayCalendar,
    add_calendar_months,
)

__all__ = [
    "DEFAULT_CALENDAR",
    "DEFAULT_FIRST_YEAR",
    "DEFAULT_LAST_YEAR",
    "CalendarError",
    "CalendarRangeError",
    "CalendarSpec",
    "ClosingDay",
    "Duration",
    "DurationUnit",
    "FixedHoliday",
    "PackageExclusion",
    "PackageHolidays",
    "Weekday",
    "WorkingDayCalendar",
    "add_calendar_months",
    "builtin_calendar_names",
    "load_calendar",
    "load_calendar_spec",
    "parse_calendar_text",
    "read_calendar_file",
]
