import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Region
from enterprises.tests.factories import EnterpriseFactory
from forums.models import Forum, ForumStatus, Opinion
from forums.tests.factories import ForumFactory, at
from problems.models import Problem, Source
from problems.tests.factories import category

pytestmark = pytest.mark.django_db


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_plan_hold_opinion_problem_through_the_pages(client, cast):
    enterprise = EnterpriseFactory(region_id="370102")
    client.force_login(cast["county_staff"])
    assert client.get(reverse("forums:create")).status_code == 200
    response = client.post(
        reverse("forums:create"),
        {"region": "370102", "starts_at": "2026-05-10T09:00", "venue": "区政务中心", "theme": "民营经济座谈会"},
    )
    forum = Forum.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("forums:detail", args=[forum.pk])
    assert forum.status == ForumStatus.PLANNED and forum.created_by == cast["county_staff"]

    response = client.post(
        reverse("forums:act", args=[forum.pk, "held"]),
        {"held-minutes": "会议纪要", "held-attendance": f"{enterprise.credit_code}，张三，董事长"},
    )
    assert response.status_code == 302, texts(response)
    forum.refresh_from_db()
    assert forum.status == ForumStatus.HELD and forum.minutes == "会议纪要"
    attendance = forum.attendances.get()
    assert (attendance.enterprise, attendance.entrepreneur_name, attendance.title) == (enterprise, "张三", "董事长")

    response = client.post(
        reverse("forums:act", args=[forum.pk, "opinion"]), {"opinion-enterprise": enterprise.pk, "opinion-text": "融资难"}
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    page = client.get(reverse("forums:detail", args=[forum.pk]))
    assert page.status_code == 200
    assert "融资难" in page.content.decode() and "张三" in page.content.decode()
    assert reverse("forums:opinion_to_problem", args=[opinion.pk]) in page.content.decode()

    response = client.post(reverse("forums:opinion_to_problem", args=[opinion.pk]), {"category": category().pk})
    problem = Problem.objects.get()
    assert response["Location"] == reverse("problems:detail", args=[problem.pk])
    assert problem.source == Source.FORUM and problem.description == "融资难"
    opinion.refresh_from_db()
    assert opinion.problem == problem

    listing = client.get(reverse("forums:list"))
    assert "民营经济座谈会" in listing.content.decode()


def test_refusals_are_messages_not_errors(client, cast):
    forum = ForumFactory(starts_at=at(2026, 5, 10))
    client.force_login(cast["county_staff"])
    # An empty reason: the form refuses.
    response = client.post(reverse("forums:act", args=[forum.pk, "cancel"]), {"cancel-reason": ""})
    assert response.status_code == 302 and texts(response)
    # An opinion before the forum is held: the service refuses.
    enterprise = EnterpriseFactory(region_id="370102")
    response = client.post(
        reverse("forums:act", args=[forum.pk, "opinion"]), {"opinion-enterprise": enterprise.pk, "opinion-text": "意见"}
    )
    assert response.status_code == 302 and texts(response)
    assert not Opinion.objects.exists()
    # An attendee line naming no enterprise of the region.
    response = client.post(
        reverse("forums:act", args=[forum.pk, "held"]), {"held-minutes": "纪要", "held-attendance": "不存在的企业，李四"}
    )
    assert response.status_code == 302 and any("不存在的企业" in text for text in texts(response))
    forum.refresh_from_db()
    assert forum.status == ForumStatus.PLANNED
    # Cancelling twice: the second is refused with a message.
    client.post(reverse("forums:act", args=[forum.pk, "cancel"]), {"cancel-reason": "改期"})
    response = client.post(reverse("forums:act", args=[forum.pk, "cancel"]), {"cancel-reason": "改期"})
    assert response.status_code == 302 and texts(response)
    forum.refresh_from_db()
    assert forum.status == ForumStatus.CANCELLED


def test_fence_permissions_and_unknown_actions(client, cast):
    forum = ForumFactory()
    client.force_login(cast["other_county_staff"])
    assert client.get(reverse("forums:detail", args=[forum.pk])).status_code == 404
    assert client.post(reverse("forums:act", args=[forum.pk, "cancel"]), {"cancel-reason": "x"}).status_code == 404
    client.force_login(cast["cadre"])
    assert client.post(reverse("forums:act", args=[forum.pk, "cancel"]), {"cancel-reason": "x"}).status_code == 403
    assert client.get(reverse("forums:create")).status_code == 403
    client.force_login(cast["county_staff"])
    assert client.post(reverse("forums:act", args=[forum.pk, "explode"])).status_code == 404


def test_cadre_cannot_turn_an_opinion_into_a_problem(client, cast):
    forum = ForumFactory(status=ForumStatus.HELD, minutes="纪要")
    opinion = Opinion.objects.create(forum=forum, region_id="370102", enterprise=EnterpriseFactory(), text="意见")
    client.force_login(cast["cadre"])
    response = client.post(reverse("forums:opinion_to_problem", args=[opinion.pk]), {"category": category().pk})
    assert response.status_code == 302 and texts(response)
    assert not Problem.objects.exists()


def test_compliance_page_for_the_province_is_bounded(client, cast):
    cities = Region.objects.filter(parent_id="370000")
    for city in cities[:5]:
        ForumFactory(region=city, starts_at=at(2026, 3, 1))
    client.force_login(cast["province_staff"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("forums:compliance"))
    assert response.status_code == 200
    assert cities.count() > 5 and response.content.decode().count("data-state=") >= cities.count() * 8
    few = len(queries)
    ForumFactory.create_batch(10, region=cities[0], starts_at=at(2025, 9, 1))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("forums:compliance"))
    assert len(queries) == few and few <= 12


def test_compliance_for_a_region_outside_is_404(client, cast):
    client.force_login(cast["county_staff"])
    assert client.get(reverse("forums:compliance"), {"region": "370103"}).status_code == 404
    response = client.get(reverse("forums:compliance"))
    assert response.status_code == 200 and "data-state=" in response.content.decode()


def test_list_queries_are_bounded(client, cast):
    ForumFactory.create_batch(3)
    client.force_login(cast["county_staff"])
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("forums:list"))
    few = len(queries)
    ForumFactory.create_batch(5, region=Region.objects.get(code="370102"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("forums:list"))
    assert len(queries) == few
