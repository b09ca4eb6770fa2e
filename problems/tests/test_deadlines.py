"""Default time limits, what remains of a deadline, and its colour, on frozen dates around 国庆节 2026."""

from datetime import date

import pytest

from core.traffic import Light
from problems import services
from problems.deadlines import (
    DEFAULT_WORKING_DAYS,
    deadline_state,
    default_deadline,
    due_soon_limit,
    extended_deadline,
    remaining_working_days,
    time_limit,
)
from problems.models import Problem, ProblemStatus, TimeLimit, Urgency
from problems.tests.factories import ProblemFactory, category

pytestmark = pytest.mark.django_db

MONDAY_BEFORE_NATIONAL_DAY = date(2026, 9, 28)
# 15 working days after Monday 28 September: 29, 30 Sep, 8, 9, 10 (Saturday worked), 12–16, 19–23 Oct.
DEADLINE = date(2026, 10, 23)


def test_time_limits_are_seeded_for_every_category_and_urgency():
    assert TimeLimit.objects.count() == 9 * 3
    assert time_limit(category=category("land"), urgency=Urgency.URGENT) == 5
    assert time_limit(category=category("land"), urgency=Urgency.NORMAL) == 15
    assert time_limit(category=category("land"), urgency=Urgency.LOW) == 30


def test_an_edited_time_limit_is_used():
    TimeLimit.objects.filter(category=category("financing"), urgency=Urgency.URGENT).update(working_days=2)
    assert default_deadline(category=category("financing"), urgency=Urgency.URGENT, start=date(2026, 9, 29)) == date(2026, 10, 8)


def test_a_category_without_time_limits_falls_back_to_the_defaults():
    TimeLimit.objects.filter(category=category("other")).delete()
    assert time_limit(category=category("other"), urgency=Urgency.LOW) == DEFAULT_WORKING_DAYS[Urgency.LOW]


def test_default_deadline_skips_national_day_and_counts_the_saturday_worked():
    deadline = default_deadline(category=category("financing"), urgency=Urgency.NORMAL, start=MONDAY_BEFORE_NATIONAL_DAY)
    assert deadline == DEADLINE


def running(deadline=DEADLINE, **fields):
    return ProblemFactory.build(**{"status": ProblemStatus.IN_PROGRESS, "deadline": deadline, **fields})


@pytest.mark.parametrize(
    "today, remaining, state",
    [
        (date(2026, 10, 12), 9, Light.ON_TRACK),
        (date(2026, 10, 16), 5, Light.ON_TRACK),
        (date(2026, 10, 19), 4, Light.ON_TRACK),
        (date(2026, 10, 20), 3, Light.DUE_SOON),  # yellow: three working days left
        (date(2026, 10, 23), 0, Light.DUE_SOON),  # due today
        (date(2026, 10, 24), 0, Light.OVERDUE),  # Saturday after: passed, though no working day lost
        (date(2026, 10, 26), -1, Light.OVERDUE),  # red
    ],
)
def test_deadline_state_on_frozen_dates(today, remaining, state):
    problem = running()
    assert remaining_working_days(problem, today=today) == remaining
    assert deadline_state(problem, today=today) == state


def test_the_due_soon_threshold_is_a_parameter():
    assert deadline_state(running(), today=date(2026, 10, 19), due_soon=5) == Light.DUE_SOON
    assert deadline_state(running(), today=date(2026, 10, 20), due_soon=1) == Light.ON_TRACK


@pytest.mark.parametrize("status", [ProblemStatus.NEW, ProblemStatus.SOLVED, ProblemStatus.EXPLAINED, ProblemStatus.CLOSED])
def test_no_clock_before_dispatch_or_after_an_outcome(status):
    problem = ProblemFactory.build(status=status, deadline=DEADLINE if status != ProblemStatus.NEW else None)
    assert remaining_working_days(problem, today=date(2026, 10, 26)) is None
    assert deadline_state(problem, today=date(2026, 10, 26)) is None


def test_a_problem_waiting_on_the_enterprise_keeps_the_state_it_had_when_paused():
    problem = running(status=ProblemStatus.WAITING, paused_on=date(2026, 10, 19))
    assert remaining_working_days(problem, today=date(2026, 11, 30)) == 4
    assert deadline_state(problem, today=date(2026, 11, 30)) == Light.ON_TRACK


def test_waiting_moves_the_deadline_by_the_working_days_waited():
    # Paused Tuesday 20 October with three working days left, resumed Tuesday 27: five working days
    # (21, 22, 23, 26, 27) did not count, and three working days remain.
    deadline, waited = extended_deadline(deadline=DEADLINE, paused_on=date(2026, 10, 20), resumed_on=date(2026, 10, 27))
    assert (deadline, waited) == (date(2026, 10, 30), 5)
    assert remaining_working_days(running(deadline=deadline), today=date(2026, 10, 27)) == 3


def test_waiting_across_national_day_counts_only_working_days():
    deadline, waited = extended_deadline(deadline=date(2026, 10, 9), paused_on=date(2026, 9, 29), resumed_on=date(2026, 10, 8))
    assert waited == 2  # 30 September and 8 October
    assert deadline == date(2026, 10, 12)  # Friday 9 + Saturday 10 (worked) + Monday 12


def test_pausing_and_resuming_the_same_day_changes_nothing():
    assert extended_deadline(deadline=DEADLINE, paused_on=date(2026, 10, 20), resumed_on=date(2026, 10, 20)) == (DEADLINE, 0)


def test_an_overdue_problem_stays_as_overdue_after_waiting():
    # Two working days late when paused (26, 27 Oct), so two working days late when it resumes.
    deadline, _waited = extended_deadline(deadline=DEADLINE, paused_on=date(2026, 10, 27), resumed_on=date(2026, 11, 3))
    assert remaining_working_days(running(deadline=deadline), today=date(2026, 11, 3)) == -2


def test_querysets_find_overdue_and_due_soon_problems(cast, problem, departments):
    started = services.triage_solve(
        actor=cast["county_staff"],
        problem=problem,
        proposed_solution="协调银行。",
        department=departments["lx_dev"],
        today=MONDAY_BEFORE_NATIONAL_DAY,
    )
    assert started.deadline == DEADLINE
    limit = due_soon_limit(today=date(2026, 10, 20))
    assert limit == date(2026, 10, 25)  # a deadline on the weekend after would leave three working days too
    assert list(Problem.objects.due_by(limit, today=date(2026, 10, 20))) == [started]
    assert not Problem.objects.due_by(due_soon_limit(today=date(2026, 10, 16)), today=date(2026, 10, 16)).exists()
    assert not Problem.objects.overdue(today=date(2026, 10, 23)).exists()
    assert list(Problem.objects.overdue(today=date(2026, 10, 24))) == [started]
