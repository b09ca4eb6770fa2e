"""Problems shared by several enterprises (共性问题): alike open problems of one region and category."""

import pytest
from django.db import connection
from django.test import Client

from enterprises.tests.factories import EnterpriseFactory
from problems import services
from problems.clusters import grouping
from problems.models import Problem
from problems.tests.factories import ProblemFactory, category

ALIKE = [
    "企业流动资金紧张，银行续贷审批慢，希望协调合作银行加快授信。",
    "流动资金紧张，银行续贷审批时间长，希望协调银行加快授信审批。",
    "企业流动资金紧张，申请银行续贷审批慢，盼协调合作银行加快授信。",
]


@pytest.fixture
def group(cast):
    problems = [ProblemFactory(description=text, raised_by=cast["cadre"]) for text in ALIKE]
    ProblemFactory(description="新建厂房用地指标尚未落实，影响项目开工。", raised_by=cast["cadre"])
    ProblemFactory(description=ALIKE[0], category=category("land"), raised_by=cast["cadre"])
    ProblemFactory(description=ALIKE[1], enterprise=EnterpriseFactory(region_id="370103"), raised_by=cast["cadre"])
    return problems


def test_python_similarity():
    assert grouping.bigram_similarity(ALIKE[0], ALIKE[1]) >= grouping.BIGRAM_THRESHOLD
    assert grouping.bigram_similarity(ALIKE[0], "新建厂房用地指标尚未落实") < grouping.BIGRAM_THRESHOLD
    assert grouping.bigram_similarity("", ALIKE[0]) == 0


def test_groups_alike_problems_of_one_region_and_category(group):
    groups = grouping.common_problems(Problem.objects.all())
    assert len(groups) == 1
    assert set(groups[0].problem_ids) == {problem.pk for problem in group}
    assert groups[0].enterprise_count == 3
    assert groups[0].region_id == "370102"
    assert grouping.show(groups)[0].region.code == "370102"
    assert grouping.common_problems(Problem.objects.all(), min_size=4) == []


def test_python_fallback_even_on_postgresql(group, monkeypatch):
    monkeypatch.setattr(grouping, "uses_trigrams", lambda: False)
    assert [len(found.problem_ids) for found in grouping.common_problems(Problem.objects.all())] == [3]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm needs PostgreSQL")
def test_trigram_path(group):
    assert grouping.uses_trigrams()
    groups = grouping.common_problems(Problem.objects.all())
    assert [set(found.problem_ids) for found in groups] == [{problem.pk for problem in group}]


def test_closed_problems_do_not_count(group, cast, departments):
    services.explain(
        actor=cast["county_staff"], problem=group[0], explanation="不符合政策", given_on=group[0].raised_on, given_how="phone"
    )
    assert grouping.common_problems(Problem.objects.all()) == []


def test_page_is_fenced(group, cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast["county_staff"])
    text = client.get("/problems/common/?region=370102&category=financing").content.decode()
    assert "3 enterprises in" in text and f"/problems/{group[0].pk}/" in text
    client.force_login(cast["other_county_staff"])
    response = client.get("/problems/common/")
    assert response.status_code == 200
    assert f"/problems/{group[0].pk}/" not in response.content.decode()
