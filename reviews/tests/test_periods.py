from datetime import date

import pytest

from reviews.models import ReviewCadence
from reviews.periods import active_cadences, is_required, periods_due_between, writable_periods
from reviews.tests.factories import cadence

pytestmark = pytest.mark.django_db


def labels(pairs):
    return [(kind.months, period.label) for kind, period in pairs]


def test_the_migration_seeds_half_yearly_and_yearly_cadences():
    assert [(kind.months, kind.lead_days_list) for kind in active_cadences()] == [(12, [14, 3]), (6, [14, 3])]
    assert str(cadence(6).name) == "Half-yearly" and str(cadence(12).name) == "Yearly"


def test_due_dates_follow_the_period_end_and_the_configured_days():
    half, year = cadence(6), cadence(12)
    assert half.due_on(half.period_of(date(2026, 3, 1))) == date(2026, 7, 15)
    assert year.due_on(year.period_of(date(2026, 3, 1))) == date(2027, 1, 30)
    ReviewCadence.objects.filter(months=12).update(due_days=45)
    assert cadence(12).due_on(year.period_of(date(2026, 12, 31))) == date(2027, 2, 14)


def test_the_second_half_year_is_covered_by_the_yearly_review():
    half, year = cadence(6), cadence(12)
    cadences = [year, half]
    assert is_required(half, half.period_of(date(2026, 3, 1)), cadences)
    assert not is_required(half, half.period_of(date(2026, 9, 1)), cadences)
    assert is_required(half, half.period_of(date(2026, 9, 1)), [half])  # no yearly review configured
    half.defer_to_longer = False
    assert is_required(half, half.period_of(date(2026, 9, 1)), cadences)


def test_writable_periods_across_the_year_end():
    cadences = active_cadences()
    assert labels(writable_periods(cadences, today=date(2027, 1, 10))) == [(12, "2027"), (6, "2027H1"), (12, "2026")]
    assert labels(writable_periods(cadences, today=date(2026, 7, 2))) == [(12, "2026"), (6, "2026H1"), (12, "2025")]
    assert labels(writable_periods(cadences, today=date(2026, 12, 31))) == [(12, "2026"), (6, "2026H1"), (12, "2025")]


def test_periods_due_between_cross_the_year_end():
    cadences = active_cadences()
    half, year = cadence(6), cadence(12)
    assert [p.label for p in periods_due_between(year, cadences, first=date(2027, 1, 16), last=date(2027, 2, 1))] == ["2026"]
    assert [p.label for p in periods_due_between(half, cadences, first=date(2026, 12, 1), last=date(2027, 2, 1))] == []
    assert [p.label for p in periods_due_between(half, cadences, first=date(2026, 7, 1), last=date(2026, 7, 29))] == ["2026H1"]
