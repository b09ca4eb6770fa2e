"""Every indicator against figures worked out by hand on the small data set (assessment/tests/factories.py),
and every drill-down list against its figure.

The data set, the year 2025 (as of 2025-12-31):

- Enterprises: 历下区 e1, e2, e3 operating and e4 deregistered; 市中区 e5. Liaisons current on 31 December:
  county level (历下区's cadre) e1, e2, e4; city level (济南市's cadre) e1, e5; province level e2. A county
  liaison of e3 ended in June.
- Visits: county level e1 on 3 Mar (recorded that day), 6 May (recorded 7 days later, 23:30), 1 Sep (a
  policy, deliveries 5.00 and 7.25), e4 on 1 Apr (recorded 8 days later at 00:30: day 7 in UTC); a draft
  to e2. City level e1 in December 2024, e5 on 1 Jul (a policy, 10.50). Province level e2 (a policy, 20.00).
- Forums: 历下区 Q1 (twice), Q2 without minutes, Q3 only planned, Q4 at 00:30 on 1 Oct; 济南市 H1.
- Problems of 历下区: P1 solved on its deadline day (23:30), satisfied; P2 solved late, not satisfied and
  reopened, then solved on time with no verdict yet; P3 explained, basically satisfied; P4 solved at
  00:30 the day after its deadline (the deadline in UTC), closed without a verdict; P5 in progress past
  its deadline; P6 paused, past its deadline; P7 escalated and decided, past its new deadline; P9 raised
  in 2024, solved late in January 2025; P10 raised in December, solved and satisfied in January 2026.
  市中区: P8 escalated, not decided.
- Cases: 历下区 nominated 2025 and published April; nominated 2024, published February 2025. 市中区
  nominated 2025.
- Reviews of 2025H1 (due 15 Jul): 历下区 on time (15 Jul 23:30), 市中区 late (16 Jul 00:30), 济南市 a
  draft. 历下区's practice recommended by 济南市 in August and by the province in January 2026.
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Region, RegionLevel
from assessment.figures import refresh_period, window_of
from assessment.indicators import BY_CODE, INDICATORS, Unit
from assessment.models import IndicatorValue
from assessment.tests.factories import TODAY, AssessmentPeriodFactory, small_data_set
from problems.models import Problem

pytestmark = pytest.mark.django_db

REGIONS = ["370102", "370103", "370104", "370100", "370300", "370000"]


def jinan_counties():
    return Region.objects.filter(parent_id="370100", level=RegionLevel.COUNTY).count()


def forum_periods_required_in_the_province():
    """A year owes one forum period of the province, two of each city, four of each county."""
    counts = {level: Region.objects.filter(level=level).count() for level in RegionLevel.values}
    return counts[RegionLevel.PROVINCE] + 2 * counts[RegionLevel.CITY] + 4 * counts[RegionLevel.COUNTY]


def expected():
    """{region: {indicator: (numerator, denominator, value)}}, worked out by hand from the data set."""
    lixia = {
        "liaison_coverage": (2, 3, Decimal(200) / 3),  # e1, e2 of e1, e2, e3 (e3's liaison ended; e4 deregistered)
        # e1, e2 owed; e1's last county visit (1 Sep) is over a quarter before 31 Dec, e2 had only a draft
        "visit_coverage": (0, 2, 0),
        "visits_per_cadre": (4, 1, 4),  # 4 county visits (e4's counts: a visit took place) / 1 current cadre
        "visits_recorded_in_a_week": (3, 4, 75),  # the 8-day one is not, even though day 7 in UTC
        "policies_explained": (1, None, 1),
        "support_delivered": (2, None, 2),
        "support_amount": (Decimal("12.25"), None, Decimal("12.25")),
        "forum_compliance": (2, 4, 50),  # Q1 (twice: once), Q4; not Q2 (no minutes) nor Q3 (planned)
        "problems_on_time": (2, 4, 50),  # P1, P2 (second round) of P1, P2, P4, P9; P3 has no deadline
        "problem_resolution": (4, 8, 50),  # P1–P4 of P1–P7, P10 (P9 raised in 2024)
        "escalations_answered": (1, 1, 100),  # P7
        "median_days_to_close": (11, 4, 11),  # working days 14 (P1), 8 (P2), 8 (P4), 18 (P9)
        "open_overdue": (2, None, 2),  # P5, P7 (P6 paused)
        "satisfaction": (2, 3, Decimal(200) / 3),  # P1 satisfied, P3 basically, P2 not (P10's is 2026)
        "verdict_response": (2, 5, 40),  # P1, P3 of P1, P2, P3, P4, P9 (P2's verdict was on its first solution)
        "cases_nominated": (1, None, 1),
        "cases_published": (2, None, 2),
        "reviews_on_time": (1, 1, 100),
        "practices_recommended": (1, None, 1),
        # The data set has no survey answers: no index, and none of e1, e2, e3 answered.
        "confidence_index": (0, 0, None),
        "survey_response": (0, 3, 0),
    }
    empty = {code: (0, None, 0) for code in lixia if BY_CODE[code].unit in (Unit.COUNT, Unit.AMOUNT)}
    empty.update({code: (0, 0, None) for code in lixia if code not in empty})
    empty["forum_compliance"] = (0, 4, 0)  # owed whether or not anything else happened
    shizhong = {
        **empty,
        "liaison_coverage": (0, 1, 0),
        "survey_response": (0, 1, 0),
        "problem_resolution": (0, 1, 0),
        "escalations_answered": (0, 1, 0),
        "cases_nominated": (1, None, 1),
        "reviews_on_time": (0, 1, 0),
    }
    # 济南市 counts its own (city-level) liaisons and visits, and every record of its counties otherwise.
    required = 2 + 4 * jinan_counties()
    jinan = {
        **lixia,
        "liaison_coverage": (2, 4, 50),  # e1, e5 of e1, e2, e3, e5
        "survey_response": (0, 4, 0),
        "visit_coverage": (1, 2, 50),  # e5 (e1's city visit was in 2024)
        "visits_per_cadre": (1, 1, 1),
        "visits_recorded_in_a_week": (1, 1, 100),
        "policies_explained": (1, None, 1),
        "support_delivered": (1, None, 1),
        "support_amount": (Decimal("10.50"), None, Decimal("10.50")),
        "forum_compliance": (3, required, Decimal(300) / required),  # its H1 and 历下区's two
        "problem_resolution": (4, 9, Decimal(400) / 9),  # P8 raised too
        "escalations_answered": (1, 2, 50),  # P7 of P7, P8
        "cases_nominated": (2, None, 2),
        "reviews_on_time": (1, 3, Decimal(100) / 3),  # 历下区's of 历下区, 市中区, 济南市
    }
    zibo = {**empty, "forum_compliance": (0, 2 + 4 * Region.objects.filter(parent_id="370300").count(), 0)}
    province_required = forum_periods_required_in_the_province()
    province = {
        **jinan,
        "liaison_coverage": (1, 4, 25),  # e2, the only one with a province liaison
        "survey_response": (0, 4, 0),
        "visit_coverage": (1, 1, 100),
        "visits_per_cadre": (1, 1, 1),
        "visits_recorded_in_a_week": (1, 1, 100),
        "policies_explained": (1, None, 1),
        "support_delivered": (1, None, 1),
        "support_amount": (Decimal("20.00"), None, Decimal("20.00")),
        "forum_compliance": (3, province_required, Decimal(300) / province_required),
    }
    return {"370102": lixia, "370103": shizhong, "370104": empty, "370100": jinan, "370300": zibo, "370000": province}


def as_stored(numerator, denominator, value):
    """A hand-worked figure as the IndicatorValue row stores it."""

    def places(number, exponent):
        return None if number is None else Decimal(number).quantize(Decimal(exponent))

    return places(numerator, "0.01"), places(denominator, "0.01"), places(value, "0.0001")


@pytest.fixture
def data():
    return small_data_set()


@pytest.fixture
def period(data):
    period = AssessmentPeriodFactory()
    refresh_period(period, today=TODAY)
    return period


def stored(period, code):
    rows = IndicatorValue.objects.filter(period=period, region_id=code)
    return {row.indicator: (row.numerator, row.denominator, row.value) for row in rows}


@pytest.mark.parametrize("code", REGIONS)
def test_each_indicator_matches_the_figures_worked_out_by_hand(period, code):
    wanted = {indicator: as_stored(*figure) for indicator, figure in expected()[code].items()}
    assert set(wanted) == set(BY_CODE), "the hand-worked table covers every indicator of the catalogue"
    assert stored(period, code) == wanted


def test_an_empty_region_shows_no_rate_at_all_never_0_or_100(period):
    """槐荫区 has no records: every rate has a zero denominator and no value; counts are 0; only forum
    compliance has something to count, the periods it owed."""
    figures = stored(period, "370104")
    for indicator in INDICATORS:
        numerator, denominator, value = figures[indicator.code]
        if indicator.code == "forum_compliance":
            assert (numerator, denominator, value) == (0, 4, 0)
        elif indicator.unit in (Unit.COUNT, Unit.AMOUNT):
            assert (numerator, denominator, value) == (0, None, 0), indicator.code
        else:
            assert (denominator, value) == (0, None), indicator.code
            assert indicator.empty_reason, indicator.code


def test_every_region_of_the_province_has_every_figure(period):
    regions = Region.objects.count()
    assert IndicatorValue.objects.filter(period=period).count() == regions * len(INDICATORS)


# ---------------------------------------------------------------------------------------------------
# The records behind the figures


def window(period, code):
    return window_of(period, Region.objects.get(code=code).level, today=TODAY)


def records(period, indicator_code, code, part):
    region = Region.objects.get(code=code)
    return BY_CODE[indicator_code].records(window_of(period, region.level, today=TODAY), region, part=part)


def size(indicator, found):
    if indicator.amount_field:
        return sum((getattr(row, indicator.amount_field) or 0 for row in found), Decimal(0))
    return len(found)


@pytest.mark.parametrize("code", REGIONS)
def test_every_drill_down_list_counts_what_its_figure_says(period, code):
    figures = stored(period, code)
    region = Region.objects.get(code=code)
    for indicator in INDICATORS:
        numerator, denominator, _value = figures[indicator.code]
        drill = window_of(period, region.level, today=TODAY)
        below = indicator.records(drill, region, part="denominator")
        if denominator is None:
            assert below is None, indicator.code
        else:
            assert len(below) == denominator, indicator.code
        if indicator.code == "median_days_to_close":
            # The numerator is the median of the denominator's records, not a count of its own.
            assert list(indicator.records(drill, region, part="numerator")) == list(below)
            continue
        assert size(indicator, indicator.records(drill, region, part="numerator")) == numerator, indicator.code


def test_the_records_are_the_ones_described(period, data):
    p = data.problems

    def pks(indicator_code, code="370102", part="numerator"):
        return {row.pk for row in records(period, indicator_code, code, part)}

    assert pks("liaison_coverage", part="denominator") == {data.e1.pk, data.e2.pk, data.e3.pk}
    assert pks("liaison_coverage") == {data.e1.pk, data.e2.pk}
    assert pks("visit_coverage") == set()
    assert pks("visit_coverage", part="denominator") == {data.e1.pk, data.e2.pk}
    assert pks("visits_per_cadre", part="denominator") == {data.lx_cadre.pk}
    assert pks("visits_per_cadre", "370100", part="denominator") == {data.jn_cadre.pk}
    assert pks("visits_per_cadre", "370000", part="denominator") == {data.sd_cadre.pk}
    assert pks("problems_on_time") == {p.p1.pk, p.p2.pk}
    assert pks("problems_on_time", part="denominator") == {p.p1.pk, p.p2.pk, p.p4.pk, p.p9.pk}
    assert pks("problem_resolution") == {p.p1.pk, p.p2.pk, p.p3.pk, p.p4.pk}
    assert pks("open_overdue") == {p.p5.pk, p.p7.pk}
    assert pks("escalations_answered", "370100", part="denominator") == {p.p7.pk, p.p8.pk}
    assert pks("verdict_response") == {p.p1.pk, p.p3.pk}
    assert pks("median_days_to_close", part="denominator") == {p.p1.pk, p.p2.pk, p.p4.pk, p.p9.pk}
    forum_periods = records(period, "forum_compliance", "370102", "numerator")
    assert [row.period.label for row in forum_periods] == ["2025Q1", "2025Q4"]
    assert {row.forum_id for row in forum_periods} == {data.forums[0].pk, data.forums[4].pk}


def test_a_reopened_problem_counts_its_latest_round(period, data):
    """P2 was solved late, judged not satisfied and reopened, then solved on time: it is on time once,
    resolved once, and its first round's verdict counts in satisfaction but not as a response to the
    solution that stands."""
    p2 = Problem.objects.get(pk=data.problems.p2.pk)
    assert p2.feedback_round == 2
    assert p2 in records(period, "problems_on_time", "370102", "numerator")
    assert p2 not in records(period, "verdict_response", "370102", "numerator")
    assert p2 in records(period, "verdict_response", "370102", "denominator")
    assert {verdict.problem_id for verdict in records(period, "satisfaction", "370102", "denominator")} == {
        data.problems.p1.pk,
        data.problems.p2.pk,
        data.problems.p3.pk,
    }


def test_the_level_rule_a_county_counts_county_liaisons_a_city_city_ones(period, data):
    """e1 has a county and a city liaison: it is covered for 历下区 by the first and for 济南市 by the second;
    e2, covered by the county and the province, is not covered for 济南市."""
    jinan = {row.pk for row in records(period, "liaison_coverage", "370100", "numerator")}
    assert jinan == {data.e1.pk, data.e5.pk}
    county_visits = records(period, "visits_per_cadre", "370102", "numerator")
    assert {visit.level for visit in county_visits} == {"county"}
    city_visits = records(period, "visits_per_cadre", "370100", "numerator")
    assert [(visit.level, visit.enterprise_id) for visit in city_visits] == [("city", data.e5.pk)]


def test_visit_coverage_counts_a_visit_within_the_cadence_that_ends_on_the_last_day(db):
    """A county liaison visits quarterly: on 31 December an enterprise visited on 1 October is within its
    cadence, one visited on 30 September is overdue, and one whose liaison started in November owes
    nothing yet."""
    from assessment.figures import window_of
    from assessment.indicators import BY_CODE
    from assessment.tests.factories import AssessmentPeriodFactory, local, submit_visit
    from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
    from visits.models import Visit

    period = AssessmentPeriodFactory()
    within, overdue, new = (EnterpriseFactory(region_id="370102") for _ in range(3))
    cadre = AssignmentFactory(enterprise=within, started_on=date(2025, 1, 1)).official
    AssignmentFactory(enterprise=overdue, official=cadre, started_on=date(2025, 1, 1))
    AssignmentFactory(enterprise=new, official=cadre, started_on=date(2025, 11, 1))
    for enterprise, day in ((within, date(2025, 10, 1)), (overdue, date(2025, 9, 30))):
        submit_visit(cadre, enterprise, day, local(day.year, day.month, day.day, 18))
    assert Visit.objects.filter(level="county", status="submitted").count() == 2
    indicator, region = BY_CODE["visit_coverage"], Region.objects.get(code="370102")
    window = window_of(period, region.level, today=date(2026, 1, 20))
    assert set(indicator.records(window, region, part="denominator")) == {within, overdue}
    assert set(indicator.records(window, region, part="numerator")) == {within}
