"""The working-day calendar around 2026's holidays and make-up working days (调休).

What chinese_calendar 1.11.0 knows of 2026: 春节 15–23 February off, Saturday 14 and Saturday 28
February worked; 中秋节 25–27 September and 国庆节 1–7 October off, Sunday 20 September and Saturday 10
October worked. It knows nothing of 2027.
"""

from datetime import date

import pytest

from problems.models import CalendarDay
from problems.workdays import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    library_covers,
    library_says_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2026, 2, 13), True),  # Friday before 春节
        (date(2026, 2, 14), True),  # Saturday, worked in lieu
        (date(2026, 2, 16), False),  # Monday of 春节
        (date(2026, 2, 23), False),  # last day of 春节, a Monday
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday, worked in lieu
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 9, 20), True),  # Sunday, worked in lieu
        (date(2026, 9, 25), False),  # 中秋节, a Friday
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),  # Saturday, worked in lieu
        (date(2026, 10, 11), False),  # Sunday
    ],
)
def test_2026_holidays_and_make_up_days(day, working):
    assert is_working_day(day) is working


def test_spring_festival_counts_the_saturday_worked_and_skips_the_holiday():
    # Friday 13 Feb + 1 = Saturday 14 (worked); + 2 = Tuesday 24, after nine days off.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert add_working_days(date(2026, 2, 13), 6) == date(2026, 2, 28)  # the second Saturday worked
    assert working_days_between(date(2026, 2, 13), date(2026, 3, 2)) == 7


def test_national_day_jumps_from_30_september_to_8_october():
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)  # Saturday worked in lieu
    assert add_working_days(date(2026, 9, 30), 4) == date(2026, 10, 12)
    # Sunday 20 September is worked: Friday 18 + 1 lands on it.
    assert add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)


def test_counting_backwards_and_zero_days():
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)
    assert working_days_between(date(2026, 10, 12), date(2026, 9, 30)) == -4


@pytest.mark.parametrize("start", [date(2026, 2, 10), date(2026, 9, 19), date(2026, 10, 3), date(2026, 12, 24)])
@pytest.mark.parametrize("n", [0, 1, 3, 15, 30])
def test_working_days_between_undoes_add_working_days(start, n):
    calendar = WorkingCalendar.load()
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@pytest.mark.parametrize("start", [date(2026, 2, 24), date(2026, 10, 8), date(2026, 10, 10)])
@pytest.mark.parametrize("n", [-15, -3, -1])
def test_counting_backwards_from_a_working_day_is_undone_too(start, n):
    calendar = WorkingCalendar.load()
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


def test_an_override_wins_over_the_library():
    CalendarDay.objects.create(date=date(2026, 10, 8), is_working_day=False, note="测试：延长假期")
    CalendarDay.objects.create(date=date(2026, 3, 7), is_working_day=True, note="测试：周六上班")
    assert not is_working_day(date(2026, 10, 8))
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 9)
    assert is_working_day(date(2026, 3, 7))


def test_years_the_library_does_not_know_fall_back_to_monday_to_friday():
    assert library_says_working_day(date(2027, 1, 1))  # a Friday, unknown to the library
    assert not library_says_working_day(date(2027, 1, 2))
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)


def test_overrides_fill_in_a_year_the_library_does_not_know():
    assert not WorkingCalendar.load().is_known(date(2027, 1, 1))
    CalendarDay.objects.create(date=date(2027, 1, 1), is_working_day=False, note="元旦")
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    calendar = WorkingCalendar.load()
    assert calendar.is_known(date(2027, 1, 1))
    assert not calendar.is_known(date(2027, 1, 4))
    assert library_covers(date(2026, 12, 31)) and not library_covers(date(2027, 1, 4))


def test_a_loaded_calendar_answers_without_queries(django_assert_num_queries):
    CalendarDay.objects.create(date=date(2026, 10, 8), is_working_day=False)
    with django_assert_num_queries(1):
        calendar = WorkingCalendar.load()
    with django_assert_num_queries(0):
        assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 9)
        assert calendar.working_days_between(date(2026, 1, 1), date(2026, 12, 31)) > 240


def test_functions_load_the_overrides_once_per_call(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(date(2026, 1, 5), 200)
