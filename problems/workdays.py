"""China's working-day calendar: public holidays and make-up working days (调休).

Three sources, the first that knows a day wins:

1. `CalendarDay` rows, which administrators enter for days the library does not know yet (the State
   Council publishes a year's holidays in the autumn before) or knows wrongly;
2. the `chinese_calendar` library, which knows the years it was released for;
3. Monday to Friday, for days beyond the library's range.

Nothing here reads the clock. Every function takes dates, and an optional `calendar`: a list page
that works out many deadlines loads the overrides once (`WorkingCalendar.load()`) and passes it;
without one, each call loads the overrides itself, with one query.

Counting convention, used by deadlines throughout: a day counts once it is over. The deadline of
work given `n` working days on day `d` is the `n`-th working day after `d` (`add_working_days(d, n)`),
and on day `t` there remain `working_days_between(t, deadline)` working days, `t` itself not counted.
"""

from datetime import date, timedelta

import chinese_calendar

ONE_DAY = timedelta(days=1)
# No deadline is years of working days away; a runaway loop is a bug, not a long deadline.
MAX_SPAN_DAYS = 366 * 5


def library_says_working_day(day):
    """The library's answer, or Monday to Friday for a year it does not cover."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def library_covers(day):
    """True when the library knows the holidays of `day`'s year."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


class WorkingCalendar:
    """The working-day calendar with a fixed set of overrides (date -> is a working day)."""

    def __init__(self, overrides=None):
        self.overrides = dict(overrides or {})

    @classmethod
    def load(cls):
        """The calendar with every override in the table (a few dozen rows a year), in one query."""
        from .models import CalendarDay

        return cls(CalendarDay.objects.values_list("date", "is_working_day"))

    def is_working_day(self, day):
        if day in self.overrides:
            return self.overrides[day]
        return library_says_working_day(day)

    def is_known(self, day):
        """False when `day` is only guessed to be Monday to Friday: neither the table nor the library
        knows its year. A page may flag a deadline so computed; administrators then enter the year's
        holidays as soon as the State Council publishes them."""
        return day in self.overrides or library_covers(day)

    def add_working_days(self, start, n):
        """The `n`-th working day after `start` (before it when `n` is negative); `start` when `n` is 0."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        day, left = start, abs(n)
        for _ in range(MAX_SPAN_DAYS):
            if left == 0:
                return day
            day += step
            if self.is_working_day(day):
                left -= 1
        raise ValueError(f"{n} working days from {start} is beyond {MAX_SPAN_DAYS} days")

    def working_days_between(self, start, end):
        """Working days after `start` up to and including `end`; negative when `end` comes first.

        working_days_between(d, add_working_days(d, n)) == n for every d and n >= 0 (and for a
        negative n when d is a working day: counting back, `start` itself is counted).
        """
        if end < start:
            return -self.working_days_between(end, start)
        if (end - start).days > MAX_SPAN_DAYS:
            raise ValueError(f"{start} to {end} is longer than {MAX_SPAN_DAYS} days")
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def _calendar(calendar):
    return calendar if calendar is not None else WorkingCalendar.load()


def is_working_day(day: date, *, calendar=None) -> bool:
    return _calendar(calendar).is_working_day(day)


def add_working_days(start: date, n: int, *, calendar=None) -> date:
    return _calendar(calendar).add_working_days(start, n)


def working_days_between(start: date, end: date, *, calendar=None) -> int:
    return _calendar(calendar).working_days_between(start, end)
