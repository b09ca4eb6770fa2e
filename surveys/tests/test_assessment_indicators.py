"""The survey's two indicators of the assessment, against hand-computed values."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Region, RegionLevel
from assessment.indicators import BY_CODE, Window
from enterprises.tests.factories import EnterpriseFactory

from .factories import Q2, Q3, answered

pytestmark = pytest.mark.django_db

QUARTER_3 = Window(level=RegionLevel.COUNTY, start=date(2026, 7, 1), as_of=date(2026, 9, 30))
YEAR = Window(level=RegionLevel.COUNTY, start=date(2026, 1, 1), as_of=date(2026, 12, 31))


@pytest.fixture
def counties(region):
    return [region("370102"), region("370103")]


def figures(code, window, regions):
    return BY_CODE[code].compute(window, regions)


def test_the_confidence_index_of_a_county_and_nothing_for_fewer_than_five(counties, region):
    for scores in [(5, 5, 5, 5, 5), (4, 4, 4, 4, 4), (3, 3, 3, 3, 3), (5, 4, 3, 2, 1), (1, 1, 1, 1, 1)]:
        answered(scores=scores)
    for _number in range(4):
        answered(scores=(5, 5, 5, 5, 5), region=region("370103"))
    found = figures("confidence_index", QUARTER_3, counties)
    assert (
        found["370102"].value == Decimal("55.0") and found["370102"].numerator == found["370102"].denominator == 5
    )  # 80 / 25 → 3.2
    assert found["370103"].value is None and found["370103"].denominator == 4
    jinan = [Region.objects.get(code="370100")]
    city = figures("confidence_index", Window(RegionLevel.CITY, QUARTER_3.start, QUARTER_3.as_of), jinan)
    assert city["370100"].value == Decimal("75.0")  # 180 points / 45 → 4.0
    records = BY_CODE["confidence_index"].records(QUARTER_3, counties[0], part="denominator")
    assert records.count() == 5 and "标记" not in " ".join(str(record) for record in records)


def test_the_response_rate_counts_each_enterprise_once_in_a_year(counties):
    twice = answered(scores=(3, 3, 3, 3, 3), today=Q2)
    answered(twice, scores=(3, 3, 3, 3, 3), today=Q3)
    answered(scores=(3, 3, 3, 3, 3), today=Q3)
    EnterpriseFactory()
    EnterpriseFactory()
    year = figures("survey_response", YEAR, counties)["370102"]
    assert (year.numerator, year.denominator, year.value) == (2, 4, 50)
    quarter = figures("survey_response", Window(RegionLevel.COUNTY, date(2026, 4, 1), date(2026, 6, 30)), counties)["370102"]
    assert (quarter.numerator, quarter.value) == (1, 25)
    assert BY_CODE["survey_response"].records(YEAR, counties[0], part="numerator").count() == 2
