"""The visit list and "my visits" at scale: the same rows and order through the keys-first pages, "my visits"
as a union of the visits one led and those one accompanied, and bad page numbers answered with a page."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def make_visits(enterprise, cadre, count, *, start=date(2025, 1, 1)):
    """`count` visits, several on each day, so that the order's tie-breaker (the id) matters."""
    return Visit.objects.bulk_create(
        Visit(
            enterprise=enterprise,
            region_id=enterprise.region_id,
            cadre=cadre,
            level="county",
            status=VisitStatus.SUBMITTED,
            visited_on=start + timedelta(days=number // 3),
            purpose=f"走访{number}",
        )
        for number in range(count)
    )


def test_my_visits_hold_each_visit_once_led_or_accompanied(cast):
    colleague = UserFactory(region_id="370102", roles=[Role.CADRE])
    enterprise = EnterpriseFactory()
    led, joined, neither = make_visits(enterprise, cast["cadre"], 1)[0], *make_visits(enterprise, colleague, 2)
    joined.companions.add(cast["cadre"])
    led.companions.add(colleague)
    assert list(Visit.objects.by_cadre(cast["cadre"])) == [joined, led]
    assert Visit.objects.by_cadre(cast["cadre"]).count() == 2
    assert set(Visit.objects.by_cadre(colleague)) == {led, joined, neither}
    # Chained with other filters, as the plan and the list's cadre filter use it.
    assert list(Visit.objects.filter(purpose="走访1").by_cadre(cast["cadre"])) == []
    page = signed_in(cast["cadre"]).get(reverse("visits:mine")).context["page"]
    assert [visit.pk for visit in page] == [joined.pk, led.pk]


def test_the_list_filtered_by_cadre_counts_accompanied_visits(cast):
    colleague = UserFactory(region_id="370102", roles=[Role.CADRE])
    joined = make_visits(EnterpriseFactory(), colleague, 1)[0]
    joined.companions.add(cast["cadre"])
    page = signed_in(cast["county_staff"]).get(reverse("visits:list"), {"cadre": cast["cadre"].pk}).context["page"]
    assert [visit.pk for visit in page] == [joined.pk]


def test_every_page_holds_the_rows_of_the_plain_order(cast):
    enterprise = EnterpriseFactory()
    make_visits(enterprise, cast["cadre"], 80)
    make_visits(EnterpriseFactory(region_id="370103"), cast["other_county_cadre"], 10)  # outside 历下区
    expected = list(Visit.objects.filter(region_id="370102").order_by("-visited_on", "-id").values_list("pk", flat=True))
    client = signed_in(cast["county_staff"])
    seen = []
    for number in range(1, 5):
        page = client.get(reverse("visits:list"), {"page": number}).context["page"]
        seen += [visit.pk for visit in page]
    assert seen == expected


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("2", 2), ("99", 3), ("0", 1), ("-4", 1), ("9" * 30, 3), ("9" * 5000, 1), ("abc", 1), ("1.5", 1), ("", 1)],
)
def test_a_page_number_past_the_end_negative_huge_or_malformed_shows_a_page(cast, asked, shown):
    make_visits(EnterpriseFactory(), cast["cadre"], 60)
    response = signed_in(cast["county_staff"]).get(reverse("visits:list"), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown


@pytest.mark.parametrize("count", [30, 300])
def test_deep_pages_and_my_visits_take_a_bounded_number_of_queries(cast, django_assert_max_num_queries, count):
    colleague = UserFactory(region_id="370102", roles=[Role.CADRE])
    enterprise = EnterpriseFactory()
    make_visits(enterprise, cast["cadre"], count)
    for visit in make_visits(enterprise, colleague, count // 3):
        visit.companions.add(cast["cadre"])
    staff, cadre = signed_in(cast["county_staff"]), signed_in(cast["cadre"])
    with django_assert_max_num_queries(14):
        assert staff.get(reverse("visits:list"), {"page": count // 25}).status_code == 200
    with django_assert_max_num_queries(14):
        assert staff.get(reverse("visits:list"), {"page": 500}).status_code == 200
    with django_assert_max_num_queries(11):
        assert cadre.get(reverse("visits:mine"), {"page": 3}).status_code == 200
