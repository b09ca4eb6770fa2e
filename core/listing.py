"""Helpers every list page shares: filters read from GET parameters, and bounded pagination."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 25


class BoundedPaginator(Paginator):
    """A paginator whose count stops at `count_limit` rows.

    A list of 100,000 enterprises or millions of visits must not be counted in full on every request:
    the count query reads at most `count_limit + 1` rows, and the page says "more than N" beyond it,
    inviting the reader to narrow the filters.
    """

    count_limit = 10_000

    @cached_property
    def count(self):
        if isinstance(self.object_list, list | tuple):
            counted = len(self.object_list)  # already in memory: nothing to bound
            self.is_truncated = False
            return counted
        counted = self.object_list[: self.count_limit + 1].count()
        self.is_truncated = counted > self.count_limit
        return min(counted, self.count_limit)

    is_truncated = False


def filtered_page(request, filterset, *, page_size=PAGE_SIZE):
    """The page of `filterset`'s results the request asks for.

    A filter the user may not use (a region outside theirs, a malformed value from an edited URL)
    shows its message on the form and matches nothing, rather than being silently dropped.
    """
    results = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return paginate(request, results, page_size=page_size)


def paginate(request, results, *, page_size=PAGE_SIZE):
    return BoundedPaginator(results, page_size).get_page(request.GET.get("page"))
