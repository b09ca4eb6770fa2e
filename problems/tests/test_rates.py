"""Satisfaction rates kept apart: solutions, explanations, and closures without a verdict."""

import pytest
from django.utils import timezone

from problems import services
from problems.models import Problem, VerdictChoice
from problems.rates import satisfaction_rates
from problems.tests.factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def raise_one(cast, enterprise):
    def raise_one():
        return services.raise_problem(actor=cast["cadre"], enterprise=enterprise, category=category(), description="x")

    return raise_one


@pytest.fixture
def solve(cast, departments, handlers):
    def solve(problem):
        problem = services.triage_solve(
            actor=cast["county_staff"], problem=problem, proposed_solution="x", department=departments["lx_dev"]
        )
        return services.complete(actor=handlers["lx_dev"], problem=problem, result="y")

    return solve


@pytest.fixture
def explain(cast):
    def explain(problem):
        return services.explain(
            actor=cast["county_staff"], problem=problem, explanation="x", given_on=timezone.localdate(), given_how="phone"
        )

    return explain


def test_rates_keep_solutions_explanations_and_silence_apart(cast, raise_one, solve, explain):
    def phone(problem, verdict):
        return services.record_phone_verdict(
            actor=cast["city_staff"], problem=problem, verdict=verdict, called_by=cast["city_staff"], called_at=timezone.now()
        )

    phone(solve(raise_one()), VerdictChoice.SATISFIED)
    phone(solve(raise_one()), VerdictChoice.BASICALLY)
    phone(solve(phone(solve(raise_one()), VerdictChoice.NOT_SATISFIED)), VerdictChoice.SATISFIED)
    services.close_without_verdict(actor=cast["county_staff"], problem=solve(raise_one()), note="未回复")
    phone(explain(raise_one()), VerdictChoice.BASICALLY)
    phone(explain(raise_one()), VerdictChoice.NOT_SATISFIED)
    services.close_without_verdict(actor=cast["county_staff"], problem=explain(raise_one()), note="未回复")
    solve(raise_one())  # awaiting its verdict: counted nowhere yet

    rates = satisfaction_rates(Problem.objects.visible_to(cast["county_staff"]))
    assert rates.solved.verdicts == {"satisfied": 2, "basically": 1, "not_satisfied": 1}
    assert rates.solved.rate == 3 / 4
    assert rates.solved.closed_without_verdict == 1
    assert rates.explained.verdicts == {"satisfied": 0, "basically": 1, "not_satisfied": 1}
    assert rates.explained.rate == 1 / 2
    assert rates.explained.closed_without_verdict == 1


def test_rates_of_what_a_user_may_not_see_are_empty(cast, raise_one, solve):
    services.record_phone_verdict(
        actor=cast["county_staff"],
        problem=solve(raise_one()),
        verdict=VerdictChoice.SATISFIED,
        called_by=cast["county_staff"],
        called_at=timezone.now(),
    )
    rates = satisfaction_rates(Problem.objects.visible_to(cast["other_county_staff"]))
    assert rates.solved.total_verdicts == 0
    assert rates.solved.rate is None


def test_rates_take_two_queries(cast, django_assert_num_queries):
    with django_assert_num_queries(2):
        satisfaction_rates(Problem.objects.visible_to(cast["county_staff"]))
