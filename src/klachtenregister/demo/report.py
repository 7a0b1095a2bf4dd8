"""What loading the demo did, and the table of demo users ``load_demo`` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from klachtenregister.demo.users import DemoUser


@dataclass
class Report:
    """What loading the demo did; ``changed`` is False when everything was already there."""

    users: list[DemoUser]
    codes: dict[str, str]  # organisation slug -> short code, as the table names organisations
    users_created: list[str] = field(default_factory=list)
    users_updated: list[str] = field(default_factory=list)
    memberships_created: int = 0
    complaints_created: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(
            self.users_created
            or self.users_updated
            or self.memberships_created
            or any(self.complaints_created.values())
        )


def user_table(report: Report) -> list[str]:
    """The demo users as lines of a table: user name, password, name, organisations and roles."""
    rows = [("username", "password", "name", "organisation: roles")]
    for demo in report.users:
        memberships = "; ".join(
            f"{report.codes[slug]}: {', '.join(kind.value for kind in kinds)}"
            for slug, kinds in demo.memberships
        )
        rows.append((demo.username, demo.password, demo.full_name, memberships))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]))
        if index == 0:
            lines.append("  ".join(["-" * w for w in widths] + ["-" * len(row[3])]))
    return lines
