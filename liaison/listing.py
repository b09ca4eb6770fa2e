"""Helpers every list page shares: filters read from GET parameters, and pagination."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def filtered_page(request, filterset, *, page_size=PAGE_SIZE):
    """The page of `filterset`'s results the request asks for.

    A filter the user may not use (a region outside theirs, a malformed value from an edited URL)
    shows its message on the form and matches nothing, rather than being silently dropped.
    """
    results = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return Paginator(results, page_size).get_page(request.GET.get("page"))
