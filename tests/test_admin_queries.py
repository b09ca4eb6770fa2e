"""Django's admin is the benchmark's baseline (`manage.py bench`), so it is set up as a careful
administrator would: the changelists of the big tables fetch the records their columns name in the same
query (`list_select_related`), and their query count does not grow with the rows on the page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from enterprises.models import Industry
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums.tests.factories import ForumFactory
from problems.models import Category
from problems.tests.factories import ProblemFactory
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:enterprises_enterprise_changelist",
    "admin:enterprises_liaisonassignment_changelist",
    "admin:visits_visit_changelist",
    "admin:problems_problem_changelist",
    "admin:forums_forum_changelist",
]
COUNTIES = ["370102", "370103", "370104", "370105", "370112", "370113"]

# A changelist's own queries: session, user, count, rows, the filters' choices, the date hierarchy.
MAX_QUERIES = 12


def add_rows(start, count):
    """`count` rows of each table, each row naming records of its own (enterprise, official, category...)."""
    industries = list(Industry.objects.order_by("code"))
    categories = list(Category.objects.order_by("pk"))
    for number in range(start, start + count):
        county = COUNTIES[number % len(COUNTIES)]
        enterprise = EnterpriseFactory(region_id=county, industry=industries[number % len(industries)])
        cadre = UserFactory(region_id=county, roles=[Role.CADRE])
        AssignmentFactory(enterprise=enterprise, official=cadre)
        Visit.objects.create(
            enterprise=enterprise,
            region_id=county,
            cadre=cadre,
            level="county",
            status=VisitStatus.SUBMITTED,
            visited_on=date(2026, 3, 1) + timedelta(days=number),
        )
        ProblemFactory(
            enterprise=enterprise,
            category=categories[number % len(categories)],
            handling_department=DepartmentFactory(region=Region.objects.get(code=county)),
        )
        ForumFactory(region=Region.objects.get(code=county), level="county")


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="t_superuser", region_id="370000", is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "en"
    return client


def changelist_queries(client, url_name, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    return len(captured.captured_queries), response.context["cl"].result_count


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_an_admin_changelist_does_not_query_per_row(superuser_client, url_name, django_assert_max_num_queries):
    add_rows(0, 2)
    few, rows = changelist_queries(superuser_client, url_name, django_assert_max_num_queries)
    add_rows(2, 4)
    more, more_rows = changelist_queries(superuser_client, url_name, django_assert_max_num_queries)
    assert more_rows == rows + 4
    assert more == few, (few, more)


@pytest.mark.parametrize(
    "url_name",
    ["admin:enterprises_enterprise_changelist", "admin:visits_visit_changelist", "admin:problems_problem_changelist"],
)
def test_an_admin_changelist_filters_by_a_region_and_the_regions_below(superuser_client, url_name):
    add_rows(0, 6)  # one row in each of six counties of 济南市
    EnterpriseFactory(region_id="370202")  # 青岛市 市南区
    city = superuser_client.get(reverse(url_name), {"within": "370100"})
    county = superuser_client.get(reverse(url_name), {"within": "370102"})
    assert city.status_code == county.status_code == 200
    assert city.context["cl"].result_count == 6
    assert county.context["cl"].result_count == 1
    assert {row.region_id for row in county.context["cl"].result_list} == {"370102"}
