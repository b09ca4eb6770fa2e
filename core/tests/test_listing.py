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


@pytest.mark.django_db
def test_a_page_is_read_keys_first_with_the_same_rows_and_order(django_assert_num_queries):
    regions = Region.objects.order_by("-code")
    expected = list(regions.values_list("code", flat=True))
    pages = []
    for number in range(1, 8):
        with django_assert_num_queries(2):  # the bounded count, the page (its keys in a subquery)
            page = paginate(RequestFactory().get("/", {"page": str(number)}), regions, page_size=25)
            pages += [region.code for region in page]
    assert pages == expected


@pytest.mark.django_db
def test_the_count_reads_no_order(django_assert_num_queries):
    total = Region.objects.count()
    with django_assert_num_queries(1) as captured:
        assert BoundedPaginator(Region.objects.order_by("-code"), 25).count == total
    assert "ORDER BY" not in captured.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_distinct_or_united_lists_keep_the_plain_slice():
    cities = Region.objects.cities().order_by()
    united = cities.filter(code__lt="370500").union(cities.filter(code__gte="370500")).order_by("code")
    page = paginate(RequestFactory().get("/", {"page": "2"}), united, page_size=10)
    assert [region.code for region in page] == list(cities.order_by("code").values_list("code", flat=True)[10:])
    page = paginate(RequestFactory().get("/"), Region.objects.cities().distinct().order_by("code"), page_size=10)
    assert len(page) == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "shown"),
    [("-1", 1), ("0", 1), ("3", 2), ("9" * 40, 2), ("9" * 5000, 1), ("2.0", 1), (None, 1)],
)
def test_negative_huge_or_past_the_end_page_numbers(asked, shown):
    request = RequestFactory().get("/", {} if asked is None else {"page": asked})
    assert paginate(request, Region.objects.cities(), page_size=10).number == shown
