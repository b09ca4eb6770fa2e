"""Scores and ranks: weights, targets, capping, thresholds, indicators where lower is better, regions
without a value, competition ranks, and which scheme assesses which region."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from accounts.models import Region
from assessment.figures import compute_scores, schemes_by_region
from assessment.models import IndicatorValue, Rule
from assessment.scoring import attainment, competition_ranks, contribution, score_of
from assessment.tests.factories import AssessmentPeriodFactory, SchemeFactory


def item(weight, target, rule=Rule.LINEAR):
    return SimpleNamespace(weight=Decimal(weight), target=Decimal(target), rule=rule)


# ---------------------------------------------------------------------------------------------------
# One item


@pytest.mark.parametrize(
    ("value", "reached"),
    [(0, 0), (40, Decimal("0.5")), (80, 1), (95, 1), (200, 1)],
)
def test_linear_is_in_proportion_up_to_the_target_then_capped(value, reached):
    assert attainment(Decimal(value), Decimal(80), higher_is_better=True, rule=Rule.LINEAR) == reached


def test_a_value_above_the_target_earns_the_full_weight_and_no_more():
    assert contribution(item(30, 80), Decimal(120), higher_is_better=True) == Decimal(30)
    assert contribution(item(30, 80), Decimal(60), higher_is_better=True) == Decimal("22.5")


@pytest.mark.parametrize(("value", "reached"), [(79, 0), (Decimal("79.99"), 0), (80, 1), (100, 1)])
def test_threshold_is_all_or_nothing(value, reached):
    assert attainment(Decimal(value), Decimal(80), higher_is_better=True, rule=Rule.THRESHOLD) == reached


@pytest.mark.parametrize(("value", "reached"), [(0, 1), (5, 1), (10, Decimal("0.5")), (20, Decimal("0.25"))])
def test_lower_is_better_turns_the_ratio_round(value, reached):
    """Open overdue problems, target 5: at or under 5 is full marks, 10 is half."""
    assert attainment(Decimal(value), Decimal(5), higher_is_better=False, rule=Rule.LINEAR) == reached


@pytest.mark.parametrize(("value", "reached"), [(4, 1), (5, 1), (6, 0)])
def test_lower_is_better_threshold(value, reached):
    assert attainment(Decimal(value), Decimal(5), higher_is_better=False, rule=Rule.THRESHOLD) == reached


def test_no_value_no_contribution():
    assert attainment(None, Decimal(80), higher_is_better=True, rule=Rule.LINEAR) is None
    assert contribution(item(30, 80), None, higher_is_better=True) is None
    assert contribution(item(30, 80, Rule.THRESHOLD), None, higher_is_better=False) is None


# ---------------------------------------------------------------------------------------------------
# A region's score


def test_the_score_weighs_the_items():
    # 60 × 1 (capped) + 40 × 0.5 = 80 of 100.
    pairs = [(Decimal(60), contribution(item(60, 80), Decimal(90), higher_is_better=True))]
    pairs.append((Decimal(40), contribution(item(40, 10), Decimal(20), higher_is_better=False)))
    assert score_of(pairs) == Decimal("80.00")


def test_an_item_without_a_value_is_left_out_of_the_weights():
    """An indicator with nothing to count in a region neither helps nor hurts it: 30 of the 60 that count."""
    pairs = [(Decimal(60), Decimal(30)), (Decimal(40), None)]
    assert score_of(pairs) == Decimal("50.00")


def test_nothing_to_score_is_no_score_not_zero():
    assert score_of([(Decimal(60), None), (Decimal(40), None)]) is None
    assert score_of([]) is None


def test_the_score_is_rounded_to_cents_half_up():
    assert score_of([(Decimal(3), Decimal(3)), (Decimal(3), Decimal(3)), (Decimal(3), Decimal(0))]) == Decimal("66.67")
    assert score_of([(Decimal(8), Decimal("0.0001"))]) == Decimal("0.00")
    assert score_of([(Decimal(200), Decimal("1.01"))]) == Decimal("0.51")  # 0.505: half up, not to even


# ---------------------------------------------------------------------------------------------------
# Ranks


def test_ties_share_a_rank_and_the_next_one_skips():
    scores = {"a": Decimal(90), "b": Decimal(80), "c": Decimal(80), "d": Decimal(70), "e": None}
    assert competition_ranks(scores) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_all_equal_all_first():
    assert competition_ranks({"a": Decimal(5), "b": Decimal(5), "c": Decimal(5)}) == {"a": 1, "b": 1, "c": 1}
    assert competition_ranks({}) == {}


# ---------------------------------------------------------------------------------------------------
# compute_scores: schemes, peers and ranks


def values(period, figures):
    """Unsaved IndicatorValue rows {region: value} of liaison coverage and open overdue problems."""
    rows = []
    for code, (coverage, overdue) in figures.items():
        rows.append(IndicatorValue(period=period, region_id=code, indicator="liaison_coverage", numerator=0, value=coverage))
        rows.append(IndicatorValue(period=period, region_id=code, indicator="open_overdue", numerator=0, value=overdue))
    return rows


@pytest.fixture
def schemes(db):
    period = AssessmentPeriodFactory()
    province = Region.objects.get(code="370000")
    return SimpleNamespace(
        period=period,
        cities=SchemeFactory(
            period=period, owner=province, assessed_level="city", items=[("liaison_coverage", 70, 100), ("open_overdue", 30, 2)]
        ),
        counties=SchemeFactory(period=period, owner=province, assessed_level="county", items=[("liaison_coverage", 100, 100)]),
        jinan=SchemeFactory(
            period=period,
            owner=Region.objects.get(code="370100"),
            assessed_level="county",
            items=[("liaison_coverage", 100, 50, Rule.THRESHOLD)],
        ),
    )


def test_a_county_is_assessed_by_its_citys_scheme_when_the_city_has_one_else_by_the_provinces(schemes):
    regions = Region.objects.filter(code__in=["370100", "370102", "370202", "370000"])
    found = schemes_by_region(schemes.period, regions)
    assert found == {"370100": schemes.cities, "370102": schemes.jinan, "370202": schemes.counties}


def test_without_a_scheme_no_region_is_scored(db):
    period = AssessmentPeriodFactory()
    assert compute_scores(period, values(period, {"370100": (Decimal(90), Decimal(0))})) == []


def test_compute_scores_ranks_cities_among_cities_and_counties_within_their_city_and_the_province(schemes):
    figures = {
        # Cities: 70 × coverage/100 + 30 × (0 to 2 overdue: full; 4: half).
        "370100": (Decimal(100), Decimal(4)),  # 70 + 15 = 85
        "370200": (Decimal(50), Decimal(1)),  # 35 + 30 = 65
        "370300": (Decimal(50), Decimal(0)),  # 65: tied with 青岛
        "370400": (Decimal(30), Decimal(2)),  # 21 + 30 = 51
        "370500": (None, Decimal(8)),  # coverage left out: 30 × 2/8 of 30 = 25
        # 济南's counties, by 济南's scheme (threshold at 50): 100 or 0.
        "370102": (Decimal(60), Decimal(9)),  # 100
        "370103": (Decimal(50), Decimal(9)),  # 100
        "370104": (Decimal(49), Decimal(0)),  # 0
        # 青岛's counties, by the province's (linear to 100).
        "370202": (Decimal(99), None),  # 99
        "370203": (Decimal(100), None),  # 100
    }
    rows = {row.region_id: row for row in compute_scores(schemes.period, values(schemes.period, figures))}

    def score(code):
        row = rows[code]
        return row.score, row.rank_among_peers, row.peers, row.rank_in_province

    cities = Region.objects.filter(level="city").count()
    assert score("370100") == (Decimal("85.00"), 1, cities, 1)
    assert score("370200") == (Decimal("65.00"), 2, cities, 2)
    assert score("370300") == (Decimal("65.00"), 2, cities, 2)
    assert score("370400") == (Decimal("51.00"), 4, cities, 4)
    assert score("370500") == (Decimal("25.00"), 5, cities, 5)
    assert score("370600") == (None, None, cities, None)  # no figure at all: no score, no rank
    assert rows["370100"].scheme == schemes.cities

    jinan = Region.objects.filter(parent_id="370100").count()
    qingdao = Region.objects.filter(parent_id="370200").count()
    assert score("370102") == (Decimal("100.00"), 1, jinan, 1)
    assert score("370103") == (Decimal("100.00"), 1, jinan, 1)
    assert score("370104") == (Decimal("0.00"), 3, jinan, 5)
    assert score("370203") == (Decimal("100.00"), 1, qingdao, 1)
    assert score("370202") == (Decimal("99.00"), 2, qingdao, 4)
    assert rows["370102"].scheme == schemes.jinan
    assert rows["370202"].scheme == schemes.counties
    assert "370000" not in rows  # the province is not assessed
