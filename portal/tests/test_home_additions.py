"""The home page: a cadre's large "log a visit" button, how many to-do items lie beyond the first ten, and
the administrators' warning when SITE_URL is not the address they use."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from problems.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def home(official, **headers):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", **headers)
    client.force_login(official)
    return client.get(reverse("home"))


def test_a_cadre_has_a_large_button_to_log_a_visit(cast):
    page = home(cast["cadre"]).content.decode()
    [button] = re.findall(r'<a class="([^"]*)"\s+href="([^"]*)"\s+data-testid="home-log-visit">(.*?)</a>', page, re.S)
    classes, href, text = button
    assert {"btn", "btn-primary", "btn-lg"} <= set(classes.split())
    assert href == reverse("visits:create") and "填报走访" in text
    # Full width on a phone (d-grid), a plain large button from the tablet up (d-md-block).
    assert re.search(r'<div class="d-grid d-md-block mb-3">\s*<a class="btn btn-primary btn-lg', page)
    for role in ("county_staff", "handler", "reviewer"):
        assert 'data-testid="home-log-visit"' not in home(cast[role]).content.decode(), role


def test_the_to_do_list_says_how_many_items_lie_beyond_the_first_ten(cast):
    enterprise = EnterpriseFactory(region_id="370102")
    for _number in range(14):
        ProblemFactory(enterprise=enterprise, raised_by=cast["cadre"])
    response = home(cast["county_staff"])
    assert len(response.context["todo"]) == 10
    assert response.context["todo_more"] == [("问题清单", f"{reverse('problems:list')}?mine=1", 4)]
    page = response.content.decode()
    more = page[page.index('data-testid="todo-more"') :]
    assert "另有 4 项未在此列出" in more and f"{reverse('problems:list')}?mine=1" in more


def test_a_cadres_due_visits_and_problems_share_the_ten_and_both_are_counted(cast):
    for number in range(12):
        AssignmentFactory(
            enterprise=EnterpriseFactory(region_id="370102", name=f"应走访企业{number}"),
            official=cast["cadre"],
            started_on=timezone.localdate() - timedelta(days=400),
        )
    response = home(cast["cadre"])
    todo, more = response.context["todo"], response.context["todo_more"]
    assert len(todo) == 10
    assert sum(count for _label, _url, count in more) + len(todo) == 12
    assert all(url.startswith(reverse("visits:due")) for _label, url, _count in more)


def test_no_count_when_everything_is_listed(cast):
    ProblemFactory(enterprise=EnterpriseFactory(region_id="370102"), raised_by=cast["cadre"])
    response = home(cast["county_staff"])
    assert response.context["todo_more"] == [] and 'data-testid="todo-more"' not in response.content.decode()


@pytest.mark.parametrize(
    ("site_url", "warned"),
    [
        ("https://liaison.example.cn", True),
        ("http://testserver", False),
        ("http://testserver:80/", False),
        ("", False),
    ],
)
def test_administrators_are_warned_when_site_url_is_not_the_address_they_use(cast, settings, site_url, warned):
    settings.SITE_URL = site_url
    page = home(cast["admin"]).content.decode()
    assert ('data-testid="home-site-url-warning"' in page) is warned
    if warned:
        assert "https://liaison.example.cn" in page and "http://testserver" in page
    assert 'data-testid="home-site-url-warning"' not in home(cast["county_staff"]).content.decode()


def test_the_home_page_stays_within_its_queries_with_the_counts(cast, django_assert_max_num_queries):
    for _number in range(12):
        ProblemFactory(enterprise=EnterpriseFactory(region_id="370102"), raised_by=cast["cadre"])
    client = Client()
    client.force_login(cast["county_staff"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("home")).status_code == 200
