"""Page-number pagination whose count stops at a cap, for lists where counting dominates.

The attendance list holds about ten rows per person (1,000,000 at 100,000 people): reading a page of
25 in index order takes a few milliseconds, counting every visible row took most of the request
(issue 14). Here the count reads at most the rows up to the requested page plus COUNT_CAP; past that
the response says ``count_capped: true`` and ``count`` is a lower bound. Pages, ``next`` and
``previous`` work as usual: the window always reaches past the page asked for; ``page=last`` counts
everything (it must know where the end is).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

COUNT_CAP = 10_000
MAX_WINDOW = 2**31


class CappedCountPaginator(Paginator):
    """A Paginator that counts at most `limit` + 1 rows (unordered: any rows do for counting)."""

    def __init__(
        self, object_list: QuerySet[Any], per_page: int, *, limit: int | None, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.rows = object_list
        self.limit = limit

    @cached_property
    def counted(self) -> int:
        """The rows, up to limit + 1 (one more says there are more than the limit); all without a limit."""
        if self.limit is None:
            return self.rows.count()
        return self.rows.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return self.counted if self.limit is None else min(self.counted, self.limit)

    @property
    def capped(self) -> bool:
        return self.limit is not None and self.counted > self.limit


class CappedCountPagination(PageNumberPagination):
    """PageNumberPagination (same parameters, same response) with a capped count and a flag."""

    count_cap = COUNT_CAP

    def paginate_queryset(self, queryset: QuerySet[Any], request: Any, view: Any = None) -> list[Any] | None:
        size = self.get_page_size(request) or 1
        asked = request.query_params.get(self.page_query_param, 1)
        if asked in self.last_page_strings:
            limit = None  # the last page needs the whole count
        else:
            try:
                number = max(1, int(asked))
            except (TypeError, ValueError):
                number = 1  # nonsense: the Paginator answers 404 as usual
            # A page number past any real list (page=18446744073709551617, found by the fuzz test)
            # must not reach the database as a LIMIT beyond bigint: counting stops at MAX_WINDOW
            # rows, and the Paginator answers the page past the end with 404 as usual.
            limit = min(number * size, MAX_WINDOW) + self.count_cap

        def make(object_list: QuerySet[Any], per_page: int) -> CappedCountPaginator:
            return CappedCountPaginator(object_list, per_page, limit=limit)

        self.django_paginator_class = make  # type: ignore[assignment]
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        paginator = cast(CappedCountPaginator, cast(Page, self.page).paginator)
        response.data["count_capped"] = paginator.capped
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "true when there are more rows than counted: count is then a lower bound",
        }
        return described
