import pytest
from django.test import RequestFactory

from accounts.models import Region
from core.listing import BoundedPaginator, paginate


@pytest.mark.django_db
def test_counting_stops_at_the_limit(monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "count_limit", 20)
    page = paginate(RequestFactory().get("/", {"page": "2"}), Region.objects.all(), page_size=10)
    assert page.paginator.count == 20 and page.paginator.is_truncated
    assert page.paginator.num_pages == 2 and page.number == 2


@pytest.mark.django_db
def test_small_lists_are_counted_exactly():
    page = paginate(RequestFactory().get("/"), Region.objects.cities(), page_size=10)
    assert page.paginator.count == 16 and not page.paginator.is_truncated


@pytest.mark.django_db
def test_a_page_number_out_of_range_or_malformed_shows_a_real_page():
    assert paginate(RequestFactory().get("/", {"page": "999"}), Region.objects.cities(), page_size=10).number == 2
    assert paginate(RequestFactory().get("/", {"page": "abc"}), Region.objects.cities(), page_size=10).number == 1


def test_lists_in_memory_are_counted_with_len():
    page = paginate(RequestFactory().get("/", {"page": "2"}), list(range(30)), page_size=25)
    assert page.paginator.count == 30 and not page.paginator.is_truncated
    assert list(page) == list(range(25, 30))
