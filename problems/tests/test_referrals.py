"""Refer (涉及其他部门或上级事权的): sign for it or return it; a chain county → city → province; the
clock runs from the dispatch and bouncing does not reset it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from problems import services
from problems.lifecycle import Action
from problems.models import Disposition, EventKind, Problem, ProblemStatus

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 9, 28)
DEADLINE = date(2026, 10, 23)  # 15 working days after MONDAY


def refused(match):
    return pytest.raises(ValidationError, match=match)


@pytest.fixture
def referred_to_city(cast, problem, departments):
    """历下区's office refers the problem to 济南市发展和改革委员会 on MONDAY."""
    return services.refer(
        actor=cast["county_staff"], problem=problem, department=departments["jn_dev"], note="涉及市级事权。", today=MONDAY
    )


def test_the_office_refers_to_a_city_department_and_the_clock_starts(referred_to_city, departments):
    problem = referred_to_city
    assert problem.status == ProblemStatus.REFERRED
    assert problem.disposition == Disposition.REFER
    assert (problem.handling_region_id, problem.handling_department) == ("370100", departments["jn_dev"])
    assert (problem.referred_from_region_id, problem.referred_from_department) == ("370102", None)
    assert problem.deadline == DEADLINE
    event = problem.events.last()
    assert (event.kind, event.from_region_id, event.to_region_id, event.to_department) == (
        EventKind.REFERRED,
        "370102",
        "370100",
        departments["jn_dev"],
    )
    assert event.note == "涉及市级事权。"


def test_the_city_department_signs_and_then_handles_the_problem(referred_to_city, handlers):
    city = handlers["jn_dev"]
    assert list(Problem.objects.held_by(city)) == [referred_to_city]
    assert Problem.objects.awaiting_signature().visible_to(city).get() == referred_to_city
    signed = services.sign_for(actor=city, problem=referred_to_city, note="已签收。")
    assert signed.status == ProblemStatus.IN_PROGRESS
    assert signed.referred_from_region is None
    assert signed.deadline == DEADLINE  # signing does not restart the clock
    event = signed.events.last()
    assert (event.kind, event.actor, event.from_region_id, event.to_department) == (
        EventKind.SIGNED,
        city,
        "370102",
        handlers["jn_dev"].department,
    )
    assert list(Problem.objects.held_by(city)) == [signed]
    assert services.complete(actor=city, problem=signed, result="已协调解决。").status == ProblemStatus.SOLVED


@pytest.mark.parametrize("who", ["lx_dev", "sz_dev", "jn_land", "sd_dev"])
def test_only_the_target_department_signs(referred_to_city, handlers, who):
    with refused("held by 济南市发展和改革委员会"):
        services.sign_for(actor=handlers[who], problem=referred_to_city)


def test_the_office_of_the_target_region_may_sign_but_the_sender_may_not(cast, referred_to_city):
    with refused("held by 济南市发展和改革委员会"):
        services.sign_for(actor=cast["county_staff"], problem=referred_to_city)
    assert services.sign_for(actor=cast["city_staff"], problem=referred_to_city).status == ProblemStatus.IN_PROGRESS


def test_a_referral_must_be_signed_before_it_is_worked_on_or_referred_on(referred_to_city, handlers, departments):
    with refused("You cannot record the result of a problem that is “Referred, awaiting signature”"):
        services.complete(actor=handlers["jn_dev"], problem=referred_to_city, result="x")
    with refused("You cannot refer a problem that is “Referred, awaiting signature”"):
        services.refer(actor=handlers["jn_dev"], problem=referred_to_city, department=departments["sd_dev"])


def test_return_to_the_office_with_reason_and_basis(referred_to_city, handlers):
    returned = services.return_referral(
        actor=handlers["jn_dev"], problem=referred_to_city, reason="属区级事权。", basis="《济南市权责清单》第12项"
    )
    assert returned.status == ProblemStatus.RETURNED
    assert (returned.handling_region_id, returned.handling_department) == ("370102", None)
    assert returned.deadline == DEADLINE
    event = returned.events.last()
    assert (event.kind, event.note, event.basis, event.from_region_id, event.to_region_id) == (
        EventKind.RETURNED,
        "属区级事权。",
        "《济南市权责清单》第12项",
        "370100",
        "370102",
    )
    assert list(Problem.objects.held_by(handlers["jn_dev"])) == []


def test_a_return_needs_a_reason_and_a_basis(referred_to_city, handlers):
    with refused("reason for returning"):
        services.return_referral(actor=handlers["jn_dev"], problem=referred_to_city, reason="", basis="x")
    with refused("basis for returning"):
        services.return_referral(actor=handlers["jn_dev"], problem=referred_to_city, reason="x", basis=" ")


def test_a_department_gets_back_in_progress_what_it_referred(cast, in_progress, handlers, departments):
    referred = services.refer(actor=handlers["lx_dev"], problem=in_progress, department=departments["jn_land"])
    assert (referred.referred_from_region_id, referred.referred_from_department) == ("370102", departments["lx_dev"])
    assert services.available_actions(handlers["jn_land"], referred) == [Action.SIGN, Action.RETURN_TO_DEPARTMENT, Action.NOTE]
    returned = services.return_referral(actor=handlers["jn_land"], problem=referred, reason="x", basis="y")
    assert returned.status == ProblemStatus.IN_PROGRESS
    assert returned.handling_department == departments["lx_dev"]
    assert services.complete(actor=handlers["lx_dev"], problem=returned, result="z").status == ProblemStatus.SOLVED


def test_the_chain_county_city_province(cast, problem, handlers, departments):
    county_office, city, province = cast["county_staff"], handlers["jn_dev"], handlers["sd_dev"]
    problem = services.refer(actor=county_office, problem=problem, department=departments["jn_dev"], today=MONDAY)
    problem = services.sign_for(actor=city, problem=problem)
    problem = services.refer(actor=city, problem=problem, department=departments["sd_dev"], note="需省级协调。")
    assert (problem.handling_region_id, problem.referred_from_department) == ("370000", departments["jn_dev"])
    problem = services.return_referral(actor=province, problem=problem, reason="属市级事权。", basis="省政府令第1号")
    assert (problem.status, problem.handling_department) == (ProblemStatus.IN_PROGRESS, departments["jn_dev"])
    problem = services.refer(actor=city, problem=problem, department=departments["sd_dev"], note="再次报请。")
    problem = services.sign_for(actor=province, problem=problem)
    problem = services.complete(actor=province, problem=problem, result="省发改委协调解决。")
    assert problem.status == ProblemStatus.SOLVED
    assert problem.deadline == DEADLINE
    history = [
        (event.kind, event.from_department_id and event.from_department.name, event.to_department and event.to_department.name)
        for event in problem.events.select_related("from_department", "to_department")
        if event.kind in {EventKind.REFERRED, EventKind.SIGNED, EventKind.RETURNED}
    ]
    assert history == [
        (EventKind.REFERRED, None, "济南市发展和改革委员会"),
        (EventKind.SIGNED, None, "济南市发展和改革委员会"),
        (EventKind.REFERRED, "济南市发展和改革委员会", "省发改委"),
        (EventKind.RETURNED, "省发改委", "济南市发展和改革委员会"),
        (EventKind.REFERRED, "济南市发展和改革委员会", "省发改委"),
        (EventKind.SIGNED, "济南市发展和改革委员会", "省发改委"),
    ]


def test_bouncing_back_and_forth_does_not_reset_the_clock(cast, referred_to_city, handlers, departments):
    dispatched_at = referred_to_city.dispatched_at
    problem = referred_to_city
    for day in (date(2026, 10, 12), date(2026, 10, 19)):
        problem = services.return_referral(actor=handlers["jn_dev"], problem=problem, reason="x", basis="y")
        problem = services.refer(actor=cast["county_staff"], problem=problem, department=departments["jn_dev"], today=day)
        assert (problem.dispatched_at, problem.deadline) == (dispatched_at, DEADLINE)
    problem = services.sign_for(actor=handlers["jn_dev"], problem=problem)
    assert (problem.dispatched_at, problem.deadline) == (dispatched_at, DEADLINE)


def test_a_returned_problem_cannot_buy_time_with_a_later_deadline(cast, referred_to_city, handlers, departments):
    returned = services.return_referral(actor=handlers["jn_dev"], problem=referred_to_city, reason="x", basis="y")
    with refused("can be brought forward but not put back"):
        services.triage_solve(
            actor=cast["county_staff"],
            problem=returned,
            proposed_solution="x",
            department=departments["lx_dev"],
            deadline=date(2026, 11, 30),
            today=date(2026, 10, 12),
        )
    solved_sooner = services.triage_solve(
        actor=cast["county_staff"],
        problem=returned,
        proposed_solution="x",
        department=departments["lx_dev"],
        deadline=date(2026, 10, 20),
        today=date(2026, 10, 12),
    )
    assert solved_sooner.deadline == date(2026, 10, 20)


def test_referring_to_the_department_that_holds_it_is_refused(in_progress, handlers, departments):
    with refused("cannot be referred to the department that holds it"):
        services.refer(actor=handlers["lx_dev"], problem=in_progress, department=departments["lx_dev"])


def test_the_office_cannot_refer_to_its_own_department(cast, problem, departments):
    cast["county_staff"].department = departments["lx_office"]
    cast["county_staff"].save()
    with refused("cannot be referred to the department that holds it"):
        services.refer(actor=cast["county_staff"], problem=problem, department=departments["lx_office"])


def test_a_referral_goes_to_the_same_region_or_above_never_sideways_or_down(cast, problem, handlers, departments):
    with refused("same region or to a region above it"):
        services.refer(actor=cast["county_staff"], problem=problem, department=departments["sz_dev"])
    at_city = services.sign_for(
        actor=handlers["jn_dev"],
        problem=services.refer(actor=cast["county_staff"], problem=problem, department=departments["jn_dev"]),
    )
    with refused("same region or to a region above it"):
        services.refer(actor=handlers["jn_dev"], problem=at_city, department=departments["lx_land"])
    sideways = services.refer(actor=handlers["jn_dev"], problem=at_city, department=departments["jn_land"])
    assert sideways.handling_department == departments["jn_land"]


def test_referring_to_an_inactive_department_is_refused(cast, problem, departments):
    departments["jn_dev"].is_active = False
    departments["jn_dev"].save()
    with refused("no longer active"):
        services.refer(actor=cast["county_staff"], problem=problem, department=departments["jn_dev"])


def test_a_handler_cannot_refer_a_problem_awaiting_triage(problem, handlers, departments):
    with refused("Only 中共济南市历下区委统战部 can"):
        services.refer(actor=handlers["lx_dev"], problem=problem, department=departments["jn_dev"])
