"""A paginator that counts only as far as anyone pages.

Counting every open complaint of a large organisation is a scan of hundreds of thousands of
rows on each page view (issue 17), while the first page comes straight from an index. Past
``cap`` rows the count stops: the page says "more than ..." and offers the pages up to there.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet


class CappedPaginator(Paginator):
    """``count`` is the number of rows up to ``cap``; ``capped`` says there are more."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int = 10_000) -> None:
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # One row past the cap tells "more" from "exactly the cap"; the order does not matter to
        # a count and would only keep the planner to the index.
        return self.rows.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
