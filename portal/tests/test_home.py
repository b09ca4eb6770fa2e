"""The home page gathers what each feature puts there, in a bounded number of queries."""

import pytest
from django.urls import reverse

from reviews import services as review_services
from reviews.models import ReviewStatus
from reviews.tests.factories import PracticeFactory, ReviewFactory, acknowledged_practice

pytestmark = pytest.mark.django_db


def test_recommended_practices_reach_the_regions_below_only(client, cast):
    province_pick = acknowledged_practice(region="370103", title="市中区政企早餐会")
    city_pick = acknowledged_practice(region="370102", title="历下区企业服务专员")
    review_services.recommend_practice(actor=cast["province_staff"], practice=province_pick)
    review_services.recommend_practice(actor=cast["other_county_staff"], practice=city_pick)

    client.force_login(cast["cadre"])  # 历下区: below the province, not below 市中区
    page = client.get(reverse("home")).content.decode()
    assert "市中区政企早餐会" in page and "历下区企业服务专员" not in page
    client.force_login(cast["other_county_cadre"])
    page = client.get(reverse("home")).content.decode()
    assert "市中区政企早餐会" in page and "历下区企业服务专员" in page


def test_a_review_waiting_for_acknowledgement_is_on_the_city_staffs_to_do_list(client, cast):
    review = ReviewFactory(status=ReviewStatus.SUBMITTED)
    PracticeFactory(review=review)
    client.force_login(cast["city_staff"])
    todo = client.get(reverse("home")).context["todo"]
    assert reverse("reviews:detail", args=[review.pk]) in [item["url"] for item in todo]
    client.force_login(cast["county_staff"])
    todo = client.get(reverse("home")).context["todo"]
    assert reverse("reviews:detail", args=[review.pk]) not in [item["url"] for item in todo]


def test_home_page_queries_stay_bounded(client, cast, django_assert_max_num_queries):
    for number in range(8):
        practice = acknowledged_practice(region="370103", title=f"做法{number}")
        review_services.recommend_practice(actor=cast["province_staff"], practice=practice)
    client.force_login(cast["county_staff"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("home")).status_code == 200


def test_a_nominated_case_is_on_the_reviewers_to_do_list_but_not_the_nominators(client, cast):
    from cases.tests.factories import CaseFactory

    case = CaseFactory(nominated_by=cast["county_staff"])
    url = reverse("cases:detail", args=[case.pk])
    client.force_login(cast["city_staff"])
    assert url in [item["url"] for item in client.get(reverse("home")).context["todo"]]
    client.force_login(cast["county_staff"])
    assert url not in [item["url"] for item in client.get(reverse("home")).context["todo"]]
    client.force_login(cast["other_county_staff"])
    assert url not in [item["url"] for item in client.get(reverse("home")).context["todo"]]


def test_home_shows_region_and_roles(client, cast):
    client.force_login(cast["cadre"])
    response = client.get("/")
    assert "历下区" in response.content.decode()
    assert response.context["todo"] == []
