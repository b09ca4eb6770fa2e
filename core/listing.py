"""Helpers every list page shares: filters read from GET parameters, and bounded pagination."""

import re

from django.core.paginator import EmptyPage, InvalidPage, Paginator
from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.utils.functional import cached_property

PAGE_SIZE = 25


class BoundedPaginator(Paginator):
    """A paginator whose count stops at `count_limit` rows, and whose pages are read by their keys first.

    A list of 100,000 enterprises or millions of visits must not be counted in full on every request:
    the count query reads at most `count_limit + 1` rows (in whatever order an index gives them), and
    the page says "more than N" beyond it, inviting the reader to narrow the filters.

    A page of a queryset is read keys first, in one query: `SELECT pk … ORDER BY … LIMIT n OFFSET m` walks an index that
    holds the list's order and the columns the fence reads (see the `*_list_order` indexes of visits and
    problems) without touching the table, so page 400 costs an index scan of 10,000 entries rather than a
    sort of every row of the region; then only the page's rows are read in full, with their joins. Measured
    on 800,000 visits, the OFFSET over such an index stays under 10 ms at page 400, the deepest page the
    bounded count offers; a keyset cursor would save those milliseconds but lose the page numbers.
    """

    count_limit = 10_000

    @cached_property
    def count(self):
        if isinstance(self.object_list, list | tuple):
            counted = len(self.object_list)  # already in memory: nothing to bound
            self.is_truncated = False
            return counted
        # The order does not change a count, and without it any index of the filtered rows serves.
        rows = self.object_list.order_by() if isinstance(self.object_list, QuerySet) else self.object_list
        counted = rows[: self.count_limit + 1].count()
        self.is_truncated = counted > self.count_limit
        return min(counted, self.count_limit)

    is_truncated = False

    def get_page(self, number):
        """Never an error: a number below 1 shows the first page, one past the end the last, and anything not a
        page number (letters, a number too long to read) the first."""
        try:
            return self.page(number)
        except EmptyPage:
            below = self._as_int(number) is not None and self._as_int(number) < 1
            return self.page(1 if below else self.num_pages)
        except InvalidPage:
            return self.page(1)

    @staticmethod
    def _as_int(number):
        try:
            return int(number)
        except (TypeError, ValueError):
            return None

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(page_rows(self.object_list, bottom, top), number, self)


def page_rows(rows, bottom, top):
    """Rows `bottom` to `top` of `rows`: for a plain ordered queryset, one query that selects the keys of the
    slice first (an index scan), then those rows with their joins; otherwise a plain slice."""
    if not isinstance(rows, QuerySet) or not _keys_first(rows.query):
        return rows[bottom:top]
    keys = rows.values("pk")[bottom:top]
    if connections[rows.db].vendor != "postgresql":
        return rows.filter(pk__in=keys)
    # Given `pk IN (SELECT … LIMIT 25)` PostgreSQL may join and hash every row of the region before keeping 25;
    # given `pk = ANY(ARRAY(SELECT … LIMIT 25))` it computes the 25 keys once and reads those rows by primary key.
    # Imported here: only PostgreSQL needs it ('django.contrib.postgres' is not an installed app).
    from django.contrib.postgres.expressions import ArraySubquery

    return rows.filter(_AnyOf(F("pk"), ArraySubquery(keys)))


# pg_trgm looks text up by runs of three characters.
TRIGRAM_LENGTH = 3


def contains_text(field, text):
    """A condition: `field` contains `text`, whatever the case.

    Three characters or more: `icontains`, which the trigram indexes (`UPPER(field) gin_trgm_ops`) serve on
    PostgreSQL. Fewer have no trigram to look up, yet PostgreSQL still chose the index and read all of it
    (16 s for a two-character search of 300,000 problems): a case-insensitive regular expression of the
    same text matches the same rows without matching the index's expression, so it is a plain scan.
    """
    if len(text) >= TRIGRAM_LENGTH:
        return Q(**{f"{field}__icontains": text})
    if text.lower() == text.upper():  # Chinese, digits: no case to ignore, and a plain LIKE is the cheapest scan
        return Q(**{f"{field}__contains": text})
    return Q(**{f"{field}__iregex": re.escape(text)})


class _AnyOf(Func):
    """`column = ANY(array)`, a condition."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def _keys_first(query):
    # A union, a DISTINCT, a grouped or an already sliced query keeps the plain slice (its keys may repeat, or
    # the subquery may not be filtered), as does one without a total order.
    return (query.can_filter() and not query.combinator and not query.distinct and query.group_by is None) and bool(
        query.order_by or (query.default_ordering and query.get_meta().ordering)
    )


def filtered_page(request, filterset, *, page_size=PAGE_SIZE):
    """The page of `filterset`'s results the request asks for.

    A filter the user may not use (a region outside theirs, a malformed value from an edited URL)
    shows its message on the form and matches nothing, rather than being silently dropped.
    """
    results = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return paginate(request, results, page_size=page_size)


def paginate(request, results, *, page_size=PAGE_SIZE):
    """The page the request's `page` parameter names. A page past the end shows the last page, and a
    malformed, negative or huge number the first or the last, never an error."""
    return BoundedPaginator(results, page_size).get_page(request.GET.get("page"))
