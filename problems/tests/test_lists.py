"""The problem list and common problems at scale: a bounded number of queries at two data sizes, the same rows
through the keys-first pages, common problems from one grouped query."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from enterprises.tests.factories import EnterpriseFactory
from problems.clusters import grouping
from problems.models import Problem, ProblemStatus, Source, Urgency
from problems.tests.factories import category

pytestmark = pytest.mark.django_db

ALIKE = "企业流动资金紧张，银行续贷审批慢，希望协调合作银行加快授信。"


def make_problems(count, raised_by, *, region_id="370102", description=None):
    enterprises = [EnterpriseFactory(region_id=region_id) for _ in range(4)]
    financing = category()
    return Problem.objects.bulk_create(
        Problem(
            enterprise=enterprises[number % 4],
            region_id=region_id,
            office_region_id=region_id,
            handling_region_id=region_id,
            source=Source.OTHER,
            category=financing,
            description=description or f"企业反映第{number}个问题：{'用地' if number % 2 else '招工'}困难",
            urgency=Urgency.NORMAL,
            raised_by=raised_by,
            raised_on=date(2025, 1, 1) + timedelta(days=number // 3),
            status=ProblemStatus.CLOSED if number % 5 == 0 else ProblemStatus.NEW,
        )
        for number in range(count)
    )


@pytest.fixture
def signed_in(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.mark.parametrize("count", [30, 300])
def test_the_problem_list_takes_a_bounded_number_of_queries(cast, signed_in, django_assert_max_num_queries, count):
    make_problems(count, cast["cadre"])
    for user in (cast["province_staff"], cast["city_staff"], cast["county_staff"]):
        client = signed_in(user)
        for page in ("1", str(count // 25), "500"):
            with django_assert_max_num_queries(16):
                assert client.get(reverse("problems:list"), {"page": page}).status_code == 200


def test_pages_hold_the_rows_of_the_plain_order(cast, signed_in):
    make_problems(60, cast["cadre"])
    make_problems(5, cast["other_county_cadre"], region_id="370103")
    expected = list(Problem.objects.filter(region_id="370102").order_by("-raised_on", "-id").values_list("pk", flat=True))
    client = signed_in(cast["county_staff"])
    seen = []
    for number in (1, 2, 3):
        seen += [problem.pk for problem in client.get(reverse("problems:list"), {"page": number}).context["page"]]
    assert seen == expected


@pytest.mark.parametrize("count", [12, 120])
def test_common_problems_take_a_bounded_number_of_queries(cast, signed_in, django_assert_max_num_queries, count):
    make_problems(count, cast["cadre"], description=ALIKE)
    with django_assert_max_num_queries(4):
        groups = grouping.show(grouping.common_problems(Problem.objects.all()))
    assert [group.enterprise_count for group in groups] == [4]
    assert len(groups[0].problem_ids) == len([number for number in range(count) if number % 5])
    client = signed_in(cast["county_staff"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("problems:common")).status_code == 200


def test_common_problems_examine_the_most_recent_open_problems(cast):
    problems = make_problems(10, cast["cadre"], description=ALIKE)
    open_problems = [problem for problem in problems if problem.status == ProblemStatus.NEW]
    newest_open = sorted(open_problems, key=lambda problem: (problem.raised_on, problem.pk))
    groups = grouping.common_problems(Problem.objects.all(), limit=3, min_size=1)
    assert {pk for group in groups for pk in group.problem_ids} == {problem.pk for problem in newest_open[-3:]}


def test_a_large_common_group_shows_its_most_recent_problems_and_counts_the_rest(cast, signed_in):
    make_problems(30, cast["cadre"], description=ALIKE)  # 24 open, alike, from 4 enterprises
    newest = list(Problem.objects.open().order_by("-raised_on", "-pk").values_list("pk", flat=True))
    [group] = grouping.show(grouping.common_problems(Problem.objects.all()))
    assert group.problem_ids == newest and len(newest) == 24
    assert [problem.pk for problem in group.shown] == newest[: grouping.MEMBERS_SHOWN]
    assert group.hidden_count == 24 - grouping.MEMBERS_SHOWN
    page = signed_in(cast["county_staff"]).get(reverse("problems:common")).content.decode()
    assert f"另有 {24 - grouping.MEMBERS_SHOWN} 个问题" in page  # the page is in the portal's language
    assert f"/problems/{newest[0]}/" in page and f"/problems/{newest[-1]}/" not in page


def test_a_search_finds_problems_by_description_or_by_enterprise_name(cast, signed_in):
    make_problems(6, cast["cadre"])
    named = Problem.objects.order_by("pk").first()
    Problem.objects.filter(pk=named.pk).update(description="厂区道路积水")
    named.enterprise.name = "泉城积水治理科技有限公司"
    named.enterprise.save()
    client = signed_in(cast["county_staff"])
    by_description = client.get(reverse("problems:list"), {"q": "道路积"}).context["page"]
    by_enterprise = client.get(reverse("problems:list"), {"q": "泉城积水治理"}).context["page"]
    assert [p.pk for p in by_description] == [named.pk]
    assert {p.enterprise_id for p in by_enterprise} == {named.enterprise_id}
    # One or two characters are matched the same way (a regular expression, not the trigram index).
    assert [p.pk for p in client.get(reverse("problems:list"), {"q": "道路"}).context["page"]] == [named.pk]
    assert {p.enterprise_id for p in client.get(reverse("problems:list"), {"q": "泉城"}).context["page"]} == {named.enterprise_id}
    assert list(client.get(reverse("problems:list"), {"q": "(."}).context["page"]) == []  # taken literally


def test_a_search_of_three_characters_is_written_as_the_trigram_indexes_expressions_on_postgresql(cast):
    """Whether PostgreSQL then reads an index depends on the rows it holds (a test's handful make any plan as
    cheap, and the plan flips between runs), so this checks what makes the indexes usable: each exists as a GIN
    trigram index of exactly the expression Django writes for a search of three characters or more, and a
    search of two characters is written otherwise, so that it can never be planned as a read of a whole index."""
    from django.db import connection

    from problems.filters import ProblemFilter

    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('enterprise_name_trgm', 'problem_description_trgm')"
        )
        definitions = dict(cursor.fetchall())
    assert "USING gin (upper((name)::text) gin_trgm_ops)" in definitions["enterprise_name_trgm"]
    assert "USING gin (upper(description) gin_trgm_ops)" in definitions["problem_description_trgm"]
    search = ProblemFilter({}, queryset=Problem.objects.all(), actor=cast["province_staff"]).search
    long_search = str(search(Problem.objects.order_by(), "q", "用地难").query)
    assert 'UPPER(U0."description"::text) LIKE UPPER(' in long_search
    assert 'UPPER(U0."name"::text) LIKE UPPER(' in long_search
    short_search = str(search(Problem.objects.order_by(), "q", "用地").query)
    assert "UPPER(" not in short_search and "LIKE %用地%" in short_search
