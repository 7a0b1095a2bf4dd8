"""Server-rendered SVG bar charts for a report's tables (templates/reports/_bar_chart.svg).

The same SVG goes into the page and the PDF; the table beside it carries the same numbers for
screen readers, so the image itself is marked as decorative apart from its title.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from klachtenregister.reports.tables import Table

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 200
BAR_WIDTH = 320


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    y: int
    width: float


def _series(table: Table) -> list[tuple[str, int | float]]:
    if table.chart == "throughput":
        # The median in working days per kind of term (rows alternate working/calendar days).
        return [
            (str(row[0]), row[3]) for row in table.rows[0::2] if isinstance(row[3], int | float)
        ]
    return [
        (str(row[0]), row[1])
        for row in table.rows
        if len(row) > 1 and isinstance(row[1], int | float) and not isinstance(row[1], bool)
    ]


def bar_chart(table: Table) -> SafeString | None:
    """A horizontal bar chart of the table's first numeric column, or None for no chart."""
    if not table.chart:
        return None
    series = _series(table)
    if not series:
        return None
    largest = max(value for _label, value in series) or 1
    bars = [
        Bar(label, value, i * (BAR_HEIGHT + GAP), BAR_WIDTH * value / largest)
        for i, (label, value) in enumerate(series)
    ]
    height = len(bars) * (BAR_HEIGHT + GAP)
    svg = render_to_string(
        "reports/_bar_chart.svg",
        {
            "title": table.title,
            "bars": bars,
            "height": height,
            "width": LABEL_WIDTH + BAR_WIDTH + 60,
            "label_width": LABEL_WIDTH,
            "bar_height": BAR_HEIGHT,
            "text_y": BAR_HEIGHT - 5,
        },
    )
    return SafeString(svg)
