"""Review periods and due dates, built on the calendar periods of core.periods.

A cadence of 6 months gives 2026H1 and 2026H2, one of 12 months the year 2026; a review is due
`due_days` after its period ends. A cadence that defers to longer ones has no review due for a period
ending with a longer cadence's period: by default the yearly review covers the second half year, so a
region writes 2026H1 (due mid-July) and 2026 (due at the end of January), not 2026H2 as well.

Nothing here reads the clock: every function takes the day it works on.
"""

from core.periods import previous_period

from .models import ReviewCadence


def active_cadences():
    """The active cadences, longest first, in one query."""
    return list(ReviewCadence.objects.active().order_by("-months"))


def is_required(cadence, period, cadences):
    """Whether a review of `cadence` is due for `period`, given every active cadence."""
    if not cadence.defer_to_longer:
        return True
    return not any(
        other.months > cadence.months and other.period_of(period.end).end == period.end
        for other in cadences
        if other.pk != cadence.pk
    )


def writable_periods(cadences, *, today):
    """The (cadence, period) pairs a region may write a review for on `today`: for each cadence the
    period under way and the last one ended, when a review is due for them; latest due date first."""
    pairs = []
    for cadence in cadences:
        current = cadence.period_of(today)
        for period in (current, previous_period(current)):
            if is_required(cadence, period, cadences):
                pairs.append((cadence, period))
    return sorted(pairs, key=lambda pair: (pair[0].due_on(pair[1]), pair[0].months), reverse=True)


def periods_due_between(cadence, cadences, *, first, last):
    """The required periods of `cadence` whose due date falls between `first` and `last` (inclusive),
    latest first. Periods not yet begun on `last` are never due."""
    found = []
    period = cadence.period_of(last)
    while cadence.due_on(period) >= first:
        if cadence.due_on(period) <= last and is_required(cadence, period, cadences):
            found.append(period)
        period = previous_period(period)
    return found
