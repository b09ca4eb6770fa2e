"""Calendar periods: the year, half year or quarter (or any divisor of twelve months) a record counts toward.

Periods are calendar-aligned: a 3-month length gives 2026Q1 (1 January to 31 March) to 2026Q4, a 6-month
one 2026H1 and 2026H2, a 12-month one the year 2026. Forums, reviews and the assessment all count in
these periods. Nothing here reads the clock or the database: every function takes the day it works on.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The letter naming a period within its year (2026H2, 2026Q4, 2026T1, 2026B3, 2026M01): one per length,
# so periods of different lengths never share a label (reviews and reminders key on the label).
LABEL_LETTERS = {6: "H", 4: "T", 3: "Q", 2: "B", 1: "M"}


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # inclusive: the period's last day
    months: int

    def contains(self, day):
        return self.start <= day <= self.end

    def has_ended(self, *, today):
        return self.end < today

    def days_left(self, *, today):
        """Days from `today` to the period's last day (0 on the last day)."""
        return (self.end - today).days


def period_containing(day, months):
    """The period of `months` months (a divisor of 12) that holds `day`."""
    if months <= 0 or 12 % months:
        raise ValueError(f"A period must divide the year evenly, not {months} months")
    index = (day.month - 1) // months
    first_month = index * months + 1
    last_month = first_month + months - 1
    start = date(day.year, first_month, 1)
    end = date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    if months == 12:
        label = str(day.year)
    elif months == 1:
        label = f"{day.year}M{index + 1:02d}"
    else:
        label = f"{day.year}{LABEL_LETTERS[months]}{index + 1}"
    return Period(label=label, start=start, end=end, months=months)


def previous_period(period):
    return period_containing(period.start - timedelta(days=1), period.months)


def next_period(period):
    return period_containing(period.end + timedelta(days=1), period.months)


def recent_periods(day, months, count):
    """The `count` periods ending with the one holding `day`, oldest first."""
    periods = [period_containing(day, months)]
    while len(periods) < count:
        periods.insert(0, previous_period(periods[0]))
    return periods


def validate_months(months):
    if not months or 12 % months:
        raise ValidationError(_("The period must divide the year evenly: 1, 2, 3, 4, 6 or 12 months."))


def validate_lead_days(value):
    try:
        parse_lead_days(value)
    except ValueError as error:
        raise ValidationError(_("Enter whole numbers of days separated by commas, for example 30,7.")) from error


def parse_lead_days(value):
    """ "30,7" -> [30, 7], largest first; an empty value means no lead-time reminders."""
    days = [int(part) for part in value.replace("，", ",").split(",") if part.strip()]
    if any(day < 0 for day in days):
        raise ValueError(value)
    return sorted(set(days), reverse=True)
