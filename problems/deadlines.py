"""Deadlines of problems, in working days: default time limits, what remains, and the colour.

A problem's clock starts when it is first dispatched (交办): assigned to a department to solve,
referred, or handed over by the province's decision on an escalation. Its deadline is the time limit's
number of working days after that day (`TimeLimit`, editable; `DEFAULT_WORKING_DAYS` when a category
has no row). Referrals bouncing back and forth never move it; waiting on the enterprise extends it by
the working days waited (see `extended_deadline`).

Everything takes `today`; pass a `WorkingCalendar` when working out many problems at once.
"""

from datetime import timedelta

from core.traffic import Light

from .models import TimeLimit, Urgency
from .workdays import WorkingCalendar

# The campaign's defaults, the same as the data migration seeds (problems/migrations/0002): a category
# whose row an administrator deleted still gets a deadline.
DEFAULT_WORKING_DAYS = {Urgency.URGENT: 5, Urgency.NORMAL: 15, Urgency.LOW: 30}
# "Yellow" when this many working days or fewer remain.
DUE_SOON_WORKING_DAYS = 3


def time_limit(*, category, urgency):
    """The working days a problem of `category` and `urgency` gets."""
    row = TimeLimit.objects.filter(category=category, urgency=urgency).values_list("working_days", flat=True).first()
    return row if row is not None else DEFAULT_WORKING_DAYS[Urgency(urgency)]


def default_deadline(*, category, urgency, start, calendar=None):
    """The deadline of a problem dispatched on `start`."""
    calendar = calendar or WorkingCalendar.load()
    return calendar.add_working_days(start, time_limit(category=category, urgency=urgency))


def extended_deadline(*, deadline, paused_on, resumed_on, calendar=None):
    """The deadline after waiting on the enterprise from `paused_on` to `resumed_on`, and the working
    days waited: the working days after the pause up to the resumption do not count.

    Paused and resumed on the same day changes nothing; a problem already overdue when it was paused
    is overdue by as many working days when it resumes.
    """
    calendar = calendar or WorkingCalendar.load()
    waited = max(calendar.working_days_between(paused_on, resumed_on), 0)
    return calendar.add_working_days(deadline, waited), waited


def _reference_day(problem, today):
    # While the problem waits on the enterprise its clock stands still at the day it was paused.
    return problem.paused_on if problem.paused_on else today


def remaining_working_days(problem, *, today, calendar=None):
    """Working days left before the deadline (negative when overdue), or None when no clock runs."""
    if problem.deadline is None or not (problem.clock_runs or problem.paused_on):
        return None
    calendar = calendar or WorkingCalendar.load()
    return calendar.working_days_between(_reference_day(problem, today), problem.deadline)


def deadline_state(problem, *, today, calendar=None, due_soon=DUE_SOON_WORKING_DAYS):
    """On track, due soon (yellow) or overdue (red); None when no clock runs (not yet dispatched, or an
    outcome has been reached). A problem waiting on the enterprise keeps the state it had when paused."""
    remaining = remaining_working_days(problem, today=today, calendar=calendar)
    if remaining is None:
        return None
    if _reference_day(problem, today) > problem.deadline:
        return Light.OVERDUE
    if remaining <= due_soon:
        return Light.DUE_SOON
    return Light.ON_TRACK


def due_soon_limit(*, today, calendar=None, due_soon=DUE_SOON_WORKING_DAYS):
    """The last deadline that counts as due soon on `today`: for `Problem.objects.due_by(...)`."""
    calendar = calendar or WorkingCalendar.load()
    # The day before the first day that would leave more than `due_soon` working days.
    return calendar.add_working_days(today, due_soon + 1) - timedelta(days=1)
