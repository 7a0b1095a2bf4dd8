"""That this database is a demo database: ``load_demo`` writes the one row and refuses to run on
a database without it that holds users of its own (issue 16 §1)."""

from __future__ import annotations

from django.db import models


class DemoDatabase(models.Model):
    """The marker: present only in a database that ``load_demo`` set up itself.

    ``load_demo`` gives its users public passwords (``demo-<username>``); on a real register that
    would open real accounts, so it runs only where this row is, or on a database whose users are
    all demo users (a new one), where it writes the row first.
    """

    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "demo database"

    def __str__(self) -> str:
        return f"demo database since {self.marked_at:%Y-%m-%d}"
