from datetime import date

import pytest

from core.periods import next_period, period_containing, previous_period, recent_periods
from forums.cadence import period_of
from forums.models import ForumCadence, parse_lead_days


@pytest.mark.parametrize(
    ("months", "day", "label", "start", "end"),
    [
        (3, date(2026, 12, 31), "2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
        (3, date(2026, 1, 1), "2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        (3, date(2024, 2, 29), "2024Q1", date(2024, 1, 1), date(2024, 3, 31)),
        (6, date(2026, 6, 30), "2026H1", date(2026, 1, 1), date(2026, 6, 30)),
        (6, date(2026, 7, 1), "2026H2", date(2026, 7, 1), date(2026, 12, 31)),
        (12, date(2026, 5, 5), "2026", date(2026, 1, 1), date(2026, 12, 31)),
        (1, date(2026, 2, 14), "2026M02", date(2026, 2, 1), date(2026, 2, 28)),
        (4, date(2026, 5, 1), "2026T2", date(2026, 5, 1), date(2026, 8, 31)),
        (2, date(2026, 12, 1), "2026B6", date(2026, 11, 1), date(2026, 12, 31)),
    ],
)
def test_period_containing_a_day(months, day, label, start, end):
    period = period_containing(day, months)
    assert (period.label, period.start, period.end) == (label, start, end)


def test_previous_and_next_periods_cross_year_ends():
    q1 = period_containing(date(2026, 1, 15), 3)
    assert previous_period(q1).label == "2025Q4"
    assert next_period(previous_period(q1)) == q1
    assert next_period(period_containing(date(2026, 12, 31), 6)).label == "2027H1"
    assert previous_period(period_containing(date(2026, 3, 1), 12)).label == "2025"
    assert [period.label for period in recent_periods(date(2026, 2, 1), 3, 3)] == ["2025Q3", "2025Q4", "2026Q1"]


def test_a_period_must_divide_the_year():
    with pytest.raises(ValueError):
        period_containing(date(2026, 1, 1), 5)


@pytest.mark.django_db
def test_period_of_follows_the_configured_cadence():
    assert period_of("county", date(2026, 11, 3)).label == "2026Q4"
    assert period_of("city", date(2026, 11, 3)).label == "2026H2"
    assert period_of("province", date(2026, 11, 3)).label == "2026"
    ForumCadence.objects.filter(level="county").update(months=1)
    assert period_of("county", date(2026, 11, 3)).label == "2026M11"


def test_lead_days_are_parsed_largest_first():
    assert parse_lead_days("7, 30") == [30, 7]
    assert parse_lead_days("") == []
    with pytest.raises(ValueError):
        parse_lead_days("thirty")


def test_periods_of_different_lengths_never_share_a_label():
    from datetime import timedelta

    labels = {}
    for months in (1, 2, 3, 4, 6, 12):
        day = date(2026, 1, 1)
        while day.year == 2026:
            labels.setdefault(period_containing(day, months).label, set()).add(months)
            day += timedelta(days=27)
    assert all(len(lengths) == 1 for lengths in labels.values())
