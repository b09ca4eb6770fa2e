"""Forum periods: the year, half year or quarter (or any divisor of twelve months) a forum counts toward.

Periods are calendar-aligned: a 3-month cadence gives 2026Q1 (1 January to 31 March) to 2026Q4, a 6-month
one 2026H1 and 2026H2, a 12-month one the year 2026. Nothing here reads the clock or, apart from
`cadences()`, the database: every function takes the day it works on.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import RegionLevel

# The campaign's defaults, the same as the data migration seeds (forums/migrations/0002): a level whose
# rule an administrator deleted keeps its cadence rather than dropping out of compliance.
DEFAULT_MONTHS = {RegionLevel.PROVINCE: 12, RegionLevel.CITY: 6, RegionLevel.COUNTY: 3}
DEFAULT_LEAD_DAYS = [30, 7]

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


def cadences():
    """Each level's ForumCadence, read in one query; a missing level gets the campaign's default."""
    from .models import ForumCadence

    rules = {level: ForumCadence(level=level, months=months, lead_days="30,7") for level, months in DEFAULT_MONTHS.items()}
    rules.update((rule.level, rule) for rule in ForumCadence.objects.all())
    return rules


def period_of(level, day, *, rules=None):
    """The period of a region of `level` that holds `day`, by the configured cadence.

    Pass `rules` (from `cadences()`) when asking for many regions, so the rules are read once.
    """
    rules = cadences() if rules is None else rules
    return period_containing(day, rules[level].months)
