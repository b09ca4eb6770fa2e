"""Results: aggregated against hand-computed values, shown only for groups of at least five, fenced, anonymous."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from enterprises.models import Industry, Size
from enterprises.tests.factories import EnterpriseFactory

from .. import selectors
from .factories import Q2, Q3, answered, questionnaire

pytestmark = pytest.mark.django_db

LIXIA_SCORES = [(5, 5, 5, 5, 5), (4, 4, 4, 4, 4), (3, 3, 3, 3, 3), (5, 4, 3, 2, 1), (1, 1, 1, 1, 1)]


@pytest.fixture
def answers(region):
    """历下区: five answers in 2026Q3 (one of them medium-sized, all industry C) and one enterprise that did not
    answer; 市中区: four answers, all 5, industry F; 历下区 in 2026Q2: five answers, all 2."""
    for number, scores in enumerate(LIXIA_SCORES):
        answered(scores=scores, size=Size.MEDIUM if number == 0 else Size.SMALL, name=f"标记历下{number}")
    EnterpriseFactory(name="未作答企业")
    shizhong, building = region("370103"), Industry.objects.get(code="F")
    for number in range(4):
        answered(scores=(5, 5, 5, 5, 5), region=shizhong, industry=building, name=f"标记市中{number}")
    for number in range(5):
        answered(scores=(2, 2, 2, 2, 2), today=Q2, name=f"标记上季{number}")


def read(region_code, *, by="region", today=Q3):
    survey = questionnaire()
    from accounts.models import Region

    return selectors.results(
        questionnaire=survey, period=survey.period_on(today), region=Region.objects.get(code=region_code), by=by
    )


def test_a_county_with_five_answers_shows_hand_computed_means_index_and_rate(answers):
    found = read("370100")
    lixia, shizhong = (next(group for group in found.groups if group.key == key) for key in ("370102", "370103"))
    assert lixia.respondents == 5 and lixia.is_shown
    # q1: 5+4+3+5+1 = 18, q2: 17, q3: 16, q4: 15, q5: 14, over five answers each.
    assert lixia.means == [Decimal("3.60"), Decimal("3.40"), Decimal("3.20"), Decimal("3.00"), Decimal("2.80")]
    # 80 points over 25 answers: 3.2 on 1-5 is 55 on 0-100.
    assert lixia.index == Decimal("55.0")
    # Five of the six operating enterprises of 历下区 answered (those of Q2 answered in another period: 11 in all).
    assert lixia.enterprises == 11 and lixia.rate == Decimal("45.5")
    assert shizhong.respondents == 4 and not shizhong.is_shown
    assert shizhong.index is None and shizhong.means == [None] * 5
    assert shizhong.rate == Decimal("100.0")
    # The city as a whole: nine answers, 80 + 100 points over 45: 4.0, so 75.
    assert found.total.respondents == 9 and found.total.index == Decimal("75.0")


def test_four_answers_are_hidden_and_the_fifth_shows_them(region):
    shizhong = region("370103")
    for _number in range(4):
        answered(scores=(4, 4, 4, 4, 4), region=shizhong)
    assert not read("370103").total.is_shown and read("370103").total.index is None
    answered(scores=(2, 2, 2, 2, 2), region=shizhong)
    total = read("370103").total
    assert total.is_shown and total.index == Decimal("65.0")  # 18 points over 5 → 3.6 → 65


def test_grouped_by_industry_and_by_size(answers):
    industries = {group.key: group for group in read("370100", by="industry").groups}
    assert industries["C"].respondents == 5 and industries["C"].index == Decimal("55.0")
    assert industries["F"].respondents == 4 and industries["F"].index is None
    sizes = {group.key: group for group in read("370100", by="size").groups}
    # Small: four of 历下区 (20+15+15+5 points) and the four of 市中区 (100): 155 over 40 = 3.875 → 71.875.
    assert sizes[Size.SMALL].respondents == 8 and sizes[Size.SMALL].index == Decimal("71.9")
    assert sizes[Size.MEDIUM].respondents == 1 and not sizes[Size.MEDIUM].is_shown


def test_the_trend_over_two_periods(answers):
    trend = read("370102").trend
    assert [label for label, _n, _index in trend] == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert trend[2] == ("2026Q2", 5, Decimal("25.0")) and trend[3] == ("2026Q3", 5, Decimal("55.0"))
    assert trend[0] == ("2025Q4", 0, None)


def test_the_results_page_names_no_enterprise_and_hides_small_groups(answers, cast):
    client = Client()
    client.force_login(cast["city_staff"])
    page = client.get(reverse("surveys:results"), {"region": "370100", "period": "2026Q3"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "标记" not in text and "未作答企业" not in text
    assert "55.0" in text and "fewer than 5 answers" in text
    assert 'id="survey-trend-data"' in text and "<script>" not in text
    for by in ("industry", "size"):
        assert (
            "标记"
            not in client.get(reverse("surveys:results"), {"region": "370102", "period": "2026Q3", "by": by}).content.decode()
        )


def test_the_results_are_fenced_to_the_readers_region(answers, cast):
    def status(role, code):
        client = Client()
        client.force_login(cast[role])
        return client.get(reverse("surveys:results"), {"region": code, "period": "2026Q3"}).status_code

    assert status("other_county_staff", "370102") == 404
    assert status("county_staff", "370103") == 404
    assert status("county_staff", "370102") == 200
    assert status("reviewer", "370102") == 200
    assert status("cadre", "370102") == 403
    assert status("handler", "370102") == 403


def test_the_results_page_reads_in_a_bounded_number_of_queries(answers, cast, django_assert_max_num_queries, region):
    client = Client()
    client.force_login(cast["province_staff"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("surveys:results"), {"period": "2026Q3"}).status_code == 200
    for _number in range(20):
        answered(scores=(3, 3, 3, 3, 3), region=region("370202"), comment="意见")
    with django_assert_max_num_queries(30):
        assert client.get(reverse("surveys:results"), {"period": "2026Q3"}).status_code == 200


def test_the_default_period_is_the_newest_with_answers():
    answered(today=date(2026, 2, 1))
    periods, default = selectors.periods_offered(questionnaire(), date(2026, 8, 1))
    assert default.label == "2026Q1" and periods[0].label == "2026Q3"
