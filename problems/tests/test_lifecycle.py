"""The problem's lifecycle as a table: each status × each action × each official of the cast is allowed,
or refused with its code (`invalid_move` when the status does not allow the action, `not_allowed` when
the official may not take it), and `available_actions` offers exactly the allowed moves.

`EXPECTED` is written out here, apart from problems.lifecycle.TRANSITIONS, so a change to the table is
a change to this test too. Who may act is spelled out as sets of the cast, for problems of a 历下区
enterprise whose liaison office in charge is 历下区's.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.lifecycle import INVALID_MOVE, NOT_ALLOWED, Move
from problems import lifecycle, services
from problems.lifecycle import LIFECYCLE, TRANSITIONS, Action
from problems.models import Outcome, Problem, ProblemStatus
from problems.tests.factories import category

pytestmark = pytest.mark.django_db

S, A = ProblemStatus, Action
OFFICE, HOLDER, OVERSEER, FEEDBACK = lifecycle.OFFICE, lifecycle.HOLDER, lifecycle.OVERSEER, lifecycle.FEEDBACK

_FEEDBACK = {
    A.ACCEPT: Move(S.CLOSED, FEEDBACK),
    A.REJECT: Move(S.REOPENED, FEEDBACK),
    A.CLOSE: Move(S.CLOSED, OVERSEER),
    A.REOPEN: Move(S.REOPENED, OVERSEER),
}


def _triage(state):
    """New, returned or reopened: the office decides; a note leaves the state as it is."""
    return {
        A.SOLVE: Move(S.IN_PROGRESS, OFFICE),
        A.REFER: Move(S.REFERRED, OFFICE),
        A.ESCALATE: Move(S.ESCALATED, OFFICE),
        A.EXPLAIN: Move(S.EXPLAINED, OFFICE),
        A.EDIT: Move(state, OFFICE),
        A.NOTE: Move(state, HOLDER),
    }


EXPECTED = {
    S.NEW: _triage(S.NEW),
    S.RETURNED: _triage(S.RETURNED),
    S.REOPENED: _triage(S.REOPENED),
    S.IN_PROGRESS: {
        A.REFER: Move(S.REFERRED, HOLDER),
        A.ESCALATE: Move(S.ESCALATED, OFFICE),
        A.EXPLAIN: Move(S.EXPLAINED, HOLDER),
        A.COMPLETE: Move(S.SOLVED, HOLDER),
        A.PAUSE: Move(S.WAITING, HOLDER),
        A.NOTE: Move(S.IN_PROGRESS, HOLDER),
    },
    S.WAITING: {
        A.RESUME: Move(S.IN_PROGRESS, HOLDER),
        A.ANSWER: Move(S.IN_PROGRESS, lifecycle.ENTERPRISE),
        A.NOTE: Move(S.WAITING, HOLDER),
    },
    S.REFERRED: {
        A.SIGN: Move(S.IN_PROGRESS, HOLDER),
        A.RETURN_TO_OFFICE: Move(S.RETURNED, HOLDER),
        A.RETURN_TO_DEPARTMENT: Move(S.IN_PROGRESS, HOLDER),
        A.NOTE: Move(S.REFERRED, HOLDER),
    },
    S.ESCALATED: {A.DECIDE: Move(S.IN_PROGRESS, OFFICE), A.NOTE: Move(S.ESCALATED, HOLDER)},
    S.SOLVED: _FEEDBACK,
    S.EXPLAINED: _FEEDBACK,
    S.CLOSED: {A.REOPEN: Move(S.REOPENED, OVERSEER)},
}

# Who acts, among the cast (conftest.py), for a problem held by 历下区 or by the province.
COUNTY_OFFICE = {"county_staff", "county_admin"}  # united-front staff of 历下区 (an administrator has every permission)
PROVINCE_OFFICE = {"province_staff", "admin"}
# The liaison office in charge (历下区) and the regions above it; never a reviewer, a cadre or a handler.
OVERSEERS = {"county_staff", "county_admin", "city_staff", "province_staff", "admin"}

# Each status as the problem stands in it: who holds it (office, or the office and the department's
# handler) and who did the work the enterprise's verdict judges.
SCENARIOS = {
    S.NEW: {"office": COUNTY_OFFICE, "holders": COUNTY_OFFICE},
    S.RETURNED: {"office": COUNTY_OFFICE, "holders": COUNTY_OFFICE},
    S.REOPENED: {"office": COUNTY_OFFICE, "holders": COUNTY_OFFICE},
    S.IN_PROGRESS: {"department": True, "office": COUNTY_OFFICE, "holders": COUNTY_OFFICE | {"handler"}},
    S.WAITING: {"department": True, "office": COUNTY_OFFICE, "holders": COUNTY_OFFICE | {"handler"}},
    # Referred by 历下区's liaison office to the handler's department: only the return to the office applies.
    S.REFERRED: {"department": True, "office": COUNTY_OFFICE, "holders": COUNTY_OFFICE | {"handler"}},
    S.ESCALATED: {"region": "370000", "office": PROVINCE_OFFICE, "holders": PROVINCE_OFFICE},
    # Solved by the department's handler; explained by 历下区's staff, who may not then record the verdict.
    S.SOLVED: {"department": True, "office": COUNTY_OFFICE, "holders": set(), "judged": {"handler"}},
    S.EXPLAINED: {"office": COUNTY_OFFICE, "holders": set(), "judged": {"county_staff"}},
    S.CLOSED: {"department": True, "office": COUNTY_OFFICE, "holders": set(), "judged": {"handler"}},
}
NOT_OFFERED = {S.REFERRED: {A.RETURN_TO_DEPARTMENT}}


def allowed_roles(status, who):
    scenario = SCENARIOS[status]
    return {
        OFFICE: scenario["office"],
        HOLDER: scenario["holders"],
        OVERSEER: OVERSEERS,
        FEEDBACK: OVERSEERS - scenario.get("judged", set()),
        lifecycle.ENTERPRISE: set(),  # the enterprise answers through its door; no official may
    }[who]


@pytest.fixture
def lx_dev(departments, cast):
    """The cast's handler works in 历下区发展和改革局."""
    cast["handler"].department = departments["lx_dev"]
    cast["handler"].save()
    return departments["lx_dev"]


def problem_in(status, *, cast, lx_dev, enterprise):
    """An unsaved problem of a 历下区 enterprise standing in `status`: the table and the predicates read
    only its fields."""
    scenario = SCENARIOS[status]
    problem = Problem(
        enterprise=enterprise,
        region_id="370102",
        office_region_id="370102",
        handling_region_id=scenario.get("region", "370102"),
        handling_department=lx_dev if scenario.get("department") else None,
        category=category(),
        description="x",
        raised_by=cast["cadre"],
        status=status,
    )
    if status == S.REFERRED:
        problem.referred_from_region_id = "370102"
    if status == S.WAITING:
        problem.paused_on = timezone.localdate()
    if "judged" in scenario:
        judged = cast[next(iter(scenario["judged"]))]
        problem.outcome = Outcome.EXPLAINED if status == S.EXPLAINED else Outcome.SOLVED
        problem.outcome_by = judged
        problem.outcome_department_id = judged.department_id
        problem.feedback_round = 1
    return problem


def test_the_table_is_the_expected_one():
    expected = {(status, action): move for status, moves in EXPECTED.items() for action, move in moves.items()}
    assert {key: tuple(move) for key, move in TRANSITIONS.items()} == {key: tuple(move) for key, move in expected.items()}
    assert set(EXPECTED) == set(ProblemStatus)


@pytest.mark.parametrize("status", list(ProblemStatus))
def test_each_action_of_each_official_is_allowed_or_refused_with_its_code(status, cast, lx_dev, enterprise):
    problem = problem_in(status, cast=cast, lx_dev=lx_dev, enterprise=enterprise)
    wrong = []
    for role, official in cast.items():
        offered = []
        for action in Action:
            move = EXPECTED[status].get(action)
            if move is None:
                want = INVALID_MOVE
            elif role in allowed_roles(status, move.who):
                want = move.to
                if action not in NOT_OFFERED.get(status, ()):
                    offered.append(action)
            else:
                want = NOT_ALLOWED
            try:
                got = LIFECYCLE.check(problem, action, official)
            except ValidationError as error:
                got = error.code
                if not error.messages[0].strip():
                    wrong.append(f"{role} {action}: a refusal without a message")
            if got != want:
                wrong.append(f"{role} {action}: {got}, expected {want}")
        available = services.available_actions(official, problem)
        if available != offered:
            wrong.append(f"{role}: offered {[str(a) for a in available]}, expected {[str(a) for a in offered]}")
        if LIFECYCLE.offers(official, problem) != {str(action): True for action in offered}:
            wrong.append(f"{role}: offers() disagrees with available_actions")
    assert wrong == []


def test_the_moves_refuse_with_the_same_codes(cast, problem, handlers):
    """The moves ask the table: the codes the table gives are what a move raises, and nothing changes."""
    with pytest.raises(ValidationError) as refused:
        services.complete(actor=handlers["lx_dev"], problem=problem, result="x")
    assert refused.value.code == INVALID_MOVE
    with pytest.raises(ValidationError) as refused:
        services.escalate(actor=cast["other_county_staff"], problem=problem, justification="x")
    assert refused.value.code == NOT_ALLOWED
    problem.refresh_from_db()
    assert problem.status == S.NEW
    assert list(problem.events.values_list("kind", flat=True)) == ["raised"]
