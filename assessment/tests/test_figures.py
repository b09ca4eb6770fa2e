"""Refreshing a period's stored figures: the same rows however often it runs, a closed period frozen
(later edits listed as changed after close, never written), and a number of queries that does not grow
with the data."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Region
from assessment.figures import changed_after_close, live_figures, refresh_period
from assessment.indicators import INDICATORS
from assessment.models import IndicatorValue, PeriodStatus, RegionScore
from assessment.tests.factories import (
    TODAY,
    AssessmentPeriodFactory,
    SchemeFactory,
    local,
    on,
    scaled_data_set,
    small_data_set,
    submit_visit,
)
from enterprises.models import Status as EnterpriseStatus

pytestmark = pytest.mark.django_db

# Every indicator of every level in grouped queries, plus the writes: a fixed number whatever the data.
MAX_QUERIES = 165  # 156 on SQLite (its small insert batches), fewer on PostgreSQL


def rows(period):
    values = IndicatorValue.objects.filter(period=period).order_by("region_id", "indicator")
    scores = RegionScore.objects.filter(period=period).order_by("region_id")
    return (
        list(values.values_list("pk", "region_id", "indicator", "numerator", "denominator", "value")),
        list(scores.values_list("region_id", "scheme_id", "score", "rank_among_peers", "peers", "rank_in_province")),
    )


def without_pk(found):
    values, scores = found
    return [row[1:] for row in values], scores


@pytest.fixture
def data():
    return small_data_set()


@pytest.fixture
def period(data):
    period = AssessmentPeriodFactory()
    SchemeFactory(period=period, assessed_level="county", items=[("liaison_coverage", 60, 100), ("open_overdue", 40, 1)])
    SchemeFactory(period=period, assessed_level="city", items=[("visit_coverage", 100, 80)])
    return period


def close(period):
    period.status = PeriodStatus.CLOSED
    period.save(update_fields=["status"])


def test_refreshing_twice_writes_the_same_rows(period):
    written = refresh_period(period, today=TODAY)
    assert written == Region.objects.count() * len(INDICATORS)
    first = rows(period)
    assert refresh_period(period, today=TODAY) == written
    assert without_pk(rows(period)) == without_pk(first)
    assert IndicatorValue.objects.filter(period=period).count() == written
    period.refresh_from_db()
    assert period.refreshed_at is not None


def test_the_stored_scores_follow_the_scheme(period):
    refresh_period(period, today=TODAY)
    # 历下区: coverage 2/3 → 60 × 0.6667 = 40; 2 open overdue against a target of 1 → 40 × 1/2 = 20; 60 of 100.
    lixia = RegionScore.objects.get(period=period, region_id="370102")
    assert lixia.score == Decimal("60.00")
    # 市中区: coverage 0 → 0; no open overdue → 40 of 100.  槐荫区: coverage has no value → 40 of 40.
    assert RegionScore.objects.get(period=period, region_id="370103").score == Decimal("40.00")
    assert RegionScore.objects.get(period=period, region_id="370104").score == Decimal("100.00")
    # 济南市: visit coverage 50 of a target of 80 → 62.5; 淄博市 has none to count: no score.
    assert RegionScore.objects.get(period=period, region_id="370100").score == Decimal("62.50")
    assert RegionScore.objects.get(period=period, region_id="370300").score is None


def test_the_stored_figures_are_the_live_ones_while_nothing_changes(period):
    refresh_period(period, today=TODAY)
    for code in ["370102", "370100", "370000"]:
        live = live_figures(period, Region.objects.get(code=code), today=TODAY)
        stored = {value.indicator: value for value in IndicatorValue.objects.filter(period=period, region_id=code)}
        for indicator, figure in live.items():
            assert stored[indicator].numerator == figure.numerator.quantize(Decimal("0.01")), (code, indicator)
    close(period)
    assert changed_after_close(period, Region.objects.get(code="370102"), today=TODAY) == []


def test_a_closed_period_is_frozen_and_later_edits_are_listed_not_written(period, data):
    refresh_period(period, today=TODAY)
    close(period)
    frozen = rows(period)

    # After the close: e2 is deregistered, and a 2025 visit to e2 is recorded late.
    data.e2.status = EnterpriseStatus.DEREGISTERED
    data.e2.save(update_fields=["status"])
    with on(local(2026, 1, 15)):
        submit_visit(data.lx_cadre, data.e2, date(2025, 12, 30), local(2026, 1, 15))

    assert refresh_period(period, today=date(2026, 2, 1)) == 0
    assert rows(period) == frozen  # the very rows, not recomputed ones
    lixia = Region.objects.get(code="370102")
    changed = {
        indicator.code: (stored.numerator, stored.denominator, figure.numerator, figure.denominator)
        for indicator, stored, figure in changed_after_close(period, lixia)
    }
    two, three, four = Decimal("2.00"), Decimal("3.00"), Decimal("4.00")
    assert changed == {
        "liaison_coverage": (two, three, 1, 2),  # e2 no longer counts, covered or not
        "visit_coverage": (Decimal("0.00"), two, 0, 1),  # e1 owed and overdue; e2 gone
        "visits_per_cadre": (four, Decimal("1.00"), 5, 1),
        "visits_recorded_in_a_week": (three, four, 3, 5),  # recorded 16 days after the visit
        "survey_response": (Decimal("0.00"), three, 0, 2),  # e2 no longer operating
    }
    stored = IndicatorValue.objects.get(period=period, region_id="370102", indicator="liaison_coverage")
    assert (stored.numerator, stored.denominator) == (Decimal("2.00"), Decimal("3.00"))


def test_a_period_closed_while_its_figures_were_computed_keeps_its_rows(period, monkeypatch):
    """The refresh computes outside the transaction; a close that lands meanwhile wins."""
    import assessment.figures as figures

    refresh_period(period, today=TODAY)
    before = rows(period)
    compute = figures.compute_scores

    def close_meanwhile(*args, **kwargs):
        type(period).objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)
        return compute(*args, **kwargs)

    monkeypatch.setattr(figures, "compute_scores", close_meanwhile)
    assert refresh_period(period, today=TODAY) == 0
    assert rows(period) == before


def test_progress_is_reported_for_every_step(period):
    steps = []
    refresh_period(period, today=TODAY, progress=lambda done, total: steps.append((done, total)))
    total = 3 * len(INDICATORS)
    assert steps == [(done, total) for done in range(1, total + 1)]


def test_the_number_of_queries_does_not_grow_with_the_data(django_assert_max_num_queries):
    period = AssessmentPeriodFactory()
    SchemeFactory(period=period, assessed_level="county")
    SchemeFactory(period=period, assessed_level="city")
    counts = []
    for size, serial in ((3, 0), (30, 1)):
        scaled_data_set(size, region_id="370102" if serial == 0 else "370202", serial=serial)
        with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
            refresh_period(period, today=TODAY)
        counts.append(len(queries))
    small, large = counts
    assert small == large, f"{small} queries for 3 enterprises, {large} for 33"
    lixia = IndicatorValue.objects.get(period=period, region_id="370102", indicator="visits_per_cadre")
    assert lixia.numerator == 3
    assert IndicatorValue.objects.get(period=period, region_id="370000", indicator="problems_on_time").numerator == 33
