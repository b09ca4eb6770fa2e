from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Region
from reviews.models import PracticeTopic, Recommendation, Review, ReviewStatus
from reviews.selectors import recommended_practices_for, review_items
from reviews.tests.factories import PracticeFactory, ReviewFactory, acknowledged_practice

pytestmark = pytest.mark.django_db


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def practice_rows(*rows, existing=()):
    """POST data of the review form: the text sections and a practices formset."""
    data = {
        "lessons": "教训",
        "measures": "制度",
        "plan": "计划",
        "practices-TOTAL_FORMS": str(len(existing) + len(rows)),
        "practices-INITIAL_FORMS": str(len(existing)),
        "practices-MIN_NUM_FORMS": "0",
        "practices-MAX_NUM_FORMS": "30",
    }
    for index, (practice, title, delete) in enumerate(existing):
        data.update({f"practices-{index}-id": practice.pk, f"practices-{index}-review": practice.review_id})
        data.update({f"practices-{index}-title": title, f"practices-{index}-topic": "visits"})
        data[f"practices-{index}-description"] = "描述"
        if delete:
            data[f"practices-{index}-DELETE"] = "on"
    for offset, (title, topic, description) in enumerate(rows):
        index = len(existing) + offset
        data.update({f"practices-{index}-title": title, f"practices-{index}-topic": topic})
        data[f"practices-{index}-description"] = description
    return data


def test_write_submit_and_acknowledge_through_the_pages(client, cast):
    client.force_login(cast["county_staff"])
    page = client.get(reverse("reviews:create"))
    assert page.status_code == 200
    row = next(row for row in page.context["rows"] if row["cadence"].months == 6)
    response = client.post(reverse("reviews:create"), {"period": row["key"]})
    review = Review.objects.get()
    assert response["Location"] == reverse("reviews:update", args=[review.pk])
    assert (review.region_id, review.period_label, review.created_by) == ("370102", row["period"].label, cast["county_staff"])
    # Starting it again: a message and nothing new.
    response = client.post(reverse("reviews:create"), {"period": row["key"]})
    assert any("already has" in text for text in texts(response)) and Review.objects.count() == 1

    assert client.get(reverse("reviews:update", args=[review.pk])).status_code == 200
    data = practice_rows(
        ("楼宇服务驿站", PracticeTopic.BUSINESS_ENVIRONMENT, "设立驿站"), ("早餐会", PracticeTopic.DIALOGUE, "每月一次")
    )
    response = client.post(reverse("reviews:update", args=[review.pk]), {**data, "action": "submit"})
    assert response["Location"] == reverse("reviews:detail", args=[review.pk]), texts(response)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and review.practices.count() == 2

    client.force_login(cast["city_staff"])
    page = client.get(reverse("reviews:detail", args=[review.pk]))
    assert page.context["actions"]["acknowledge"] and reverse("reviews:acknowledge", args=[review.pk]) in page.content.decode()
    response = client.post(reverse("reviews:acknowledge", args=[review.pk]), {"acknowledge-comment": "很好"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACKNOWLEDGED

    client.force_login(cast["other_county_cadre"])  # another county: learns from the library
    library = client.get(reverse("reviews:practice_list"))
    assert "楼宇服务驿站" in library.content.decode()


def test_add_a_practice_saves_the_draft_and_returns_to_the_form(client, cast):
    review = ReviewFactory()
    first = PracticeFactory(review=review, title="旧做法")
    client.force_login(cast["county_staff"])
    data = practice_rows(("新做法", "visits", "描述"), existing=[(first, "旧做法（改）", False)])
    response = client.post(reverse("reviews:update", args=[review.pk]), {**data, "action": "add"})
    assert response["Location"] == reverse("reviews:update", args=[review.pk])
    assert sorted(review.practices.values_list("title", flat=True)) == ["新做法", "旧做法（改）"]
    first.refresh_from_db()
    data = practice_rows(existing=[(first, "旧做法（改）", True), (review.practices.get(title="新做法"), "新做法", False)])
    client.post(reverse("reviews:update", args=[review.pk]), {**data, "action": "save"})
    assert list(review.practices.values_list("title", flat=True)) == ["新做法"]


def test_submitting_an_empty_review_shows_what_is_missing(client, cast):
    review = ReviewFactory(lessons="")
    client.force_login(cast["county_staff"])
    response = client.post(reverse("reviews:submit", args=[review.pk]))
    assert response["Location"] == reverse("reviews:update", args=[review.pk])
    assert any("List at least one good practice." in text for text in texts(response))
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_region_fence_and_permissions(client, cast):
    review = ReviewFactory(status=ReviewStatus.SUBMITTED)
    client.force_login(cast["other_county_staff"])
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 404
    assert client.post(reverse("reviews:submit", args=[review.pk])).status_code == 404
    assert client.post(reverse("reviews:acknowledge", args=[review.pk])).status_code == 404
    client.force_login(cast["cadre"])
    assert client.get(reverse("reviews:list")).status_code == 403
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 403
    assert client.post(reverse("reviews:submit", args=[review.pk])).status_code == 403
    assert client.get(reverse("reviews:practice_list")).status_code == 200
    client.force_login(cast["reviewer"])
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 200
    assert client.post(reverse("reviews:return", args=[review.pk]), {"return-comment": "x"}).status_code == 403
    assert client.get(reverse("reviews:create")).status_code == 403
    # Staff of the region above may read the review but not edit it: a message, not a form.
    client.force_login(cast["city_staff"])
    response = client.get(reverse("reviews:update", args=[review.pk]))
    assert response.status_code == 302 and texts(response)


def test_refusals_are_messages_and_change_nothing(client, cast):
    review = ReviewFactory(status=ReviewStatus.SUBMITTED)
    client.force_login(cast["county_staff"])
    response = client.post(reverse("reviews:acknowledge", args=[review.pk]))
    assert any("its own review" in text for text in texts(response))
    client.force_login(cast["province_staff"])
    response = client.post(reverse("reviews:acknowledge", args=[review.pk]))
    assert any("directly above" in text for text in texts(response))
    client.force_login(cast["city_staff"])
    response = client.post(reverse("reviews:return", args=[review.pk]), {"return-comment": ""})
    assert response.status_code == 302 and texts(response)
    draft = ReviewFactory(months=12)
    response = client.post(reverse("reviews:acknowledge", args=[draft.pk]))
    assert any("Only a submitted review" in text for text in texts(response))
    assert sorted(Review.objects.values_list("status", flat=True)) == ["draft", "submitted"]


def test_the_library_shows_only_acknowledged_reviews_practices_province_wide(client, cast):
    shown = acknowledged_practice(title="楼宇服务驿站", topic=PracticeTopic.BUSINESS_ENVIRONMENT)
    for year, status in ((2023, ReviewStatus.DRAFT), (2024, ReviewStatus.SUBMITTED), (2025, ReviewStatus.RETURNED)):
        review = ReviewFactory(region_id="370103", on=date(year, 3, 1), status=status)
        PracticeFactory(review=review, title=f"未确认的做法-{status}")
    client.force_login(cast["other_county_cadre"])
    page = client.get(reverse("reviews:practice_list")).content.decode()
    assert "楼宇服务驿站" in page and "未确认的做法" not in page
    assert client.get(reverse("reviews:practice_detail", args=[shown.pk])).status_code == 200
    hidden = PracticeFactory(review=ReviewFactory(region_id="370103", months=12))
    assert client.get(reverse("reviews:practice_detail", args=[hidden.pk])).status_code == 404


def test_library_search_and_filters(client, cast):
    acknowledged_practice(title="楼宇服务驿站", description="在商务楼宇设立驿站", topic=PracticeTopic.BUSINESS_ENVIRONMENT)
    acknowledged_practice(region="370202", title="诉求周交办", description="每周交办企业诉求", topic=PracticeTopic.PROBLEMS)
    acknowledged_practice(region="370100", months=12, on=date(2025, 5, 1), title="服务专员包联")
    client.force_login(cast["cadre"])

    def titles(**params):
        response = client.get(reverse("reviews:practice_list"), params)
        assert response.status_code == 200
        return sorted(practice.title for practice in response.context["page"])

    assert titles() == ["服务专员包联", "楼宇服务驿站", "诉求周交办"]
    assert titles(q="商务楼宇") == ["楼宇服务驿站"]
    assert titles(q="交办") == ["诉求周交办"]
    assert titles(region="370200") == ["诉求周交办"]  # 青岛市 and the regions below it
    assert titles(region="370100") == ["服务专员包联", "楼宇服务驿站"]
    assert titles(topic=PracticeTopic.PROBLEMS) == ["诉求周交办"]
    assert titles(period="2025") == ["服务专员包联"]
    assert titles(period="2026H1") == ["楼宇服务驿站", "诉求周交办"]
    Recommendation.objects.create(practice=Review.objects.get(region_id="370202").practices.get(), region_id="370000")
    assert titles(recommended="yes") == ["诉求周交办"]


def test_recommended_practices_reach_the_regions_below_the_recommending_one(client, cast):
    practice = acknowledged_practice(region="370202", title="诉求周交办")
    client.force_login(cast["city_staff"])
    response = client.post(reverse("reviews:recommend", args=[practice.pk]))
    assert response["Location"] == reverse("reviews:practice_detail", args=[practice.pk])
    assert recommended_practices_for(cast["cadre"]) == [practice]  # 历下区 is below 济南市
    assert recommended_practices_for(cast["city_staff"]) == [practice]
    assert recommended_practices_for(cast["province_staff"]) == []  # the province is above 济南市
    assert recommended_practices_for(cast["other_county_cadre"]) == [practice]
    client.force_login(cast["cadre"])
    assert client.post(reverse("reviews:recommend", args=[practice.pk])).status_code == 403
    client.force_login(cast["city_staff"])
    client.post(reverse("reviews:unrecommend", args=[practice.pk]))
    assert recommended_practices_for(cast["cadre"]) == []


def test_recommended_practices_take_a_fixed_number_of_queries(cast, django_assert_num_queries):
    def recommend(count, region):
        for number in range(count):
            practice = acknowledged_practice(region=region, title=f"{region}做法{number}")
            Recommendation.objects.create(practice=practice, region_id="370000")
            Recommendation.objects.create(practice=practice, region_id="370100")

    recommend(2, "370202")
    cadre = cast["cadre"]
    cadre.has_perm("reviews.view_practice")  # the permission cache, read once per request
    with CaptureQueriesContext(connection) as queries:
        practices = recommended_practices_for(cadre, limit=5)
        html = render_to_string("reviews/_recommended_practices.html", {"practices": practices})
    few = len(queries)
    recommend(6, "370612")
    with django_assert_num_queries(few):
        practices = recommended_practices_for(cadre, limit=5)
        html = render_to_string("reviews/_recommended_practices.html", {"practices": practices})
    assert len(practices) == 5 and few <= 2
    assert "济南市" in html and "山东省" in html and html.count('<li class="list-group-item">') == 5


def test_home_items_list_reviews_to_acknowledge_and_to_revise(cast):
    ReviewFactory(status=ReviewStatus.SUBMITTED)
    ReviewFactory(region_id="370100", months=12, status=ReviewStatus.RETURNED)
    assert [item["title"] for item in review_items(cast["city_staff"], today=None)] == [
        "Review to acknowledge: 济南市 历下区, 2026H1",
        "Review returned for revision: 2026",
    ]
    assert review_items(cast["cadre"], today=None) == []


@pytest.mark.parametrize("url_name", ["reviews:list", "reviews:practice_list"])
def test_list_pages_run_a_bounded_number_of_queries(client, cast, url_name, django_assert_max_num_queries):
    def fill(count, start):
        for number in range(count):
            practice = acknowledged_practice(region="370102", on=date(2020 - start - number, 3, 1))
            Recommendation.objects.create(practice=practice, region_id="370000")
            ReviewFactory(region=Region.objects.get(code="370103"), on=practice.review.period_start, status=ReviewStatus.RETURNED)

    fill(2, 0)
    client.force_login(cast["province_staff"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(url_name)).status_code == 200
    few = len(queries)
    fill(6, 2)
    with django_assert_max_num_queries(few):
        response = client.get(reverse(url_name))
    assert len(response.context["page"]) >= 8 and few <= 16


def test_saving_an_out_of_date_page_keeps_a_colleagues_practice(client, cast):
    review = ReviewFactory()
    mine = PracticeFactory(review=review, title="我的做法")
    theirs = PracticeFactory(review=review, title="同事后加的做法")  # not on the page this user opened
    client.force_login(cast["county_staff"])
    data = practice_rows(existing=[(mine, "我的做法（修改）", False)])
    data["action"] = "save"
    response = client.post(reverse("reviews:update", args=[review.pk]), data)
    assert response.status_code == 302
    assert set(review.practices.values_list("title", flat=True)) == {"我的做法（修改）", "同事后加的做法"}
    # Deleting is explicit: the ticked row goes, the other stays.
    data = practice_rows(existing=[(theirs, theirs.title, True)])
    data["action"] = "save"
    client.post(reverse("reviews:update", args=[review.pk]), data)
    assert list(review.practices.values_list("title", flat=True)) == ["我的做法（修改）"]


def test_a_practice_deleted_since_the_page_was_opened_is_a_message(client, cast):
    review = ReviewFactory()
    gone = PracticeFactory(review=review, title="已被删除的做法")
    data = practice_rows(existing=[(gone, gone.title, False)])
    data["action"] = "save"
    gone.delete()
    client.force_login(cast["county_staff"])
    response = client.post(reverse("reviews:update", args=[review.pk]), data)
    assert response.status_code == 200
    assert texts(response) == ["The practices changed since this page was opened: reload it and make your changes again."]


def test_the_review_list_shows_only_the_regions_below(client, cast):
    ReviewFactory(region=Region.objects.get(code="370102"), lessons="历下区总结")
    ReviewFactory(region=Region.objects.get(code="370103"), lessons="市中区总结")

    def regions_listed(user, **params):
        client.force_login(user)
        return {review.region_id for review in client.get(reverse("reviews:list"), params).context["page"]}

    assert regions_listed(cast["other_county_staff"]) == {"370103"}
    assert regions_listed(cast["county_staff"]) == {"370102"}
    assert regions_listed(cast["city_staff"]) == {"370102", "370103"}
    assert regions_listed(cast["city_staff"], region="370103") == {"370103"}
