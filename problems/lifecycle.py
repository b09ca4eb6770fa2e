"""The problem list's lifecycle: which move is allowed from which state, and who may make it.

The moves themselves are the functions of problems.services; nothing else changes `status`.

The campaign's four dispositions (处置方式) and the loop closed with the enterprise. "triage" stands
for the three states in which an office decides: new, returned, reopened.

    state              action (function)                        new state     who may act
    -----------------  ---------------------------------------  ------------  ---------------------------
    (none)             raise (raise_problem)                    new           cadres, staff (add_problem)
    triage             solve (triage_solve)                     in_progress   office
    triage             refer (refer)                            referred      office
    in_progress        refer (refer)                            referred      holder
    referred           sign (sign_for)                          in_progress   holder (the target)
    referred           return_to_office (return_referral)       returned      holder (the target)
    referred           return_to_department (return_referral)   in_progress   holder (the target)
    triage/in_progress escalate (escalate)                      escalated     office
    escalated          decide (decide_escalation)               in_progress   office (the province's)
    triage             explain (explain)                        explained     office
    in_progress        explain (explain)                        explained     holder
    in_progress        complete (complete)                      solved        holder
    in_progress        pause (pause_for_enterprise)             waiting       holder
    waiting            resume (resume)                          in_progress   holder
    waiting            answer (answer_from_enterprise)          in_progress   the enterprise, through its door
    solved/explained   accept: satisfied, basically satisfied   closed        the enterprise's link, or an
                       (record_link_verdict, record_phone_...)                overseer not judged (phone)
    solved/explained   reject: not satisfied (the same)         reopened      as above
    solved/explained   close (close_without_verdict)            closed        overseer
    solved/explained/  reopen (reopen)                          reopened      overseer
      closed
    triage             edit (update_problem)                    (unchanged)   office
    any open state     note (add_note)                          (unchanged)   holder

`TRANSITIONS` below is that table; `who` names a predicate of problems.access:
office = staff of the region holding the problem; holder = the office or a handler of the department
holding it; overseer = staff of the liaison office in charge (or above). The functions named in the
table are in problems.services.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import PROVINCE_CODE
from core.lifecycle import Lifecycle, Move

from . import access
from .models import FEEDBACK_STATES, OPEN_STATES, TRIAGE_STATES, ProblemStatus


class Action(TextChoices):
    # Labels finish the sentence "You cannot ... a problem that is <status>".
    SOLVE = "solve", gettext_lazy("assign to a department to solve")
    REFER = "refer", gettext_lazy("refer")
    SIGN = "sign", gettext_lazy("sign for")
    RETURN_TO_OFFICE = "return_to_office", gettext_lazy("return")
    RETURN_TO_DEPARTMENT = "return_to_department", gettext_lazy("return")
    ESCALATE = "escalate", gettext_lazy("escalate")
    DECIDE = "decide", gettext_lazy("decide on")
    EXPLAIN = "explain", gettext_lazy("explain")
    COMPLETE = "complete", gettext_lazy("record the result of")
    PAUSE = "pause", gettext_lazy("pause")
    RESUME = "resume", gettext_lazy("resume")
    ANSWER = "answer", gettext_lazy("answer for the enterprise")
    ACCEPT = "accept", gettext_lazy("record a verdict on")
    REJECT = "reject", gettext_lazy("record a verdict on")
    CLOSE = "close", gettext_lazy("close")
    REOPEN = "reopen", gettext_lazy("reopen")
    EDIT = "edit", gettext_lazy("change")
    NOTE = "note", gettext_lazy("add a note to")


OFFICE, HOLDER, OVERSEER, FEEDBACK = "office", "holder", "overseer", "feedback"
# The enterprise itself (actor None, through its door): no official is offered its moves.
ENTERPRISE = "enterprise"

S = ProblemStatus
TRANSITIONS = {
    **{(state, Action.SOLVE): Move(S.IN_PROGRESS, OFFICE) for state in TRIAGE_STATES},
    **{(state, Action.REFER): Move(S.REFERRED, OFFICE) for state in TRIAGE_STATES},
    (S.IN_PROGRESS, Action.REFER): Move(S.REFERRED, HOLDER),
    (S.REFERRED, Action.SIGN): Move(S.IN_PROGRESS, HOLDER),
    (S.REFERRED, Action.RETURN_TO_OFFICE): Move(S.RETURNED, HOLDER),
    (S.REFERRED, Action.RETURN_TO_DEPARTMENT): Move(S.IN_PROGRESS, HOLDER),
    **{(state, Action.ESCALATE): Move(S.ESCALATED, OFFICE) for state in TRIAGE_STATES | {S.IN_PROGRESS}},
    (S.ESCALATED, Action.DECIDE): Move(S.IN_PROGRESS, OFFICE),
    **{(state, Action.EXPLAIN): Move(S.EXPLAINED, OFFICE) for state in TRIAGE_STATES},
    (S.IN_PROGRESS, Action.EXPLAIN): Move(S.EXPLAINED, HOLDER),
    (S.IN_PROGRESS, Action.COMPLETE): Move(S.SOLVED, HOLDER),
    (S.IN_PROGRESS, Action.PAUSE): Move(S.WAITING, HOLDER),
    (S.WAITING, Action.RESUME): Move(S.IN_PROGRESS, HOLDER),
    (S.WAITING, Action.ANSWER): Move(S.IN_PROGRESS, ENTERPRISE),
    **{(state, Action.ACCEPT): Move(S.CLOSED, FEEDBACK) for state in FEEDBACK_STATES},
    **{(state, Action.REJECT): Move(S.REOPENED, FEEDBACK) for state in FEEDBACK_STATES},
    **{(state, Action.CLOSE): Move(S.CLOSED, OVERSEER) for state in FEEDBACK_STATES},
    **{(state, Action.REOPEN): Move(S.REOPENED, OVERSEER) for state in FEEDBACK_STATES | {S.CLOSED}},
    **{(state, Action.EDIT): Move(state, OFFICE) for state in TRIAGE_STATES},
    **{(state, Action.NOTE): Move(state, HOLDER) for state in OPEN_STATES},
}


# ---------------------------------------------------------------------------------------------------
# Who may act, and the checks every move makes


def _invalid_move(problem, action):
    return _("You cannot %(action)s a problem that is “%(status)s”.") % {
        "action": Action(action).label,
        "status": problem.get_status_display(),
    }


def _refusal(user, problem, who):
    if who == OFFICE:
        return _("Only %(office)s can do this.") % {"office": problem.handling_region.united_front_office}
    if who == HOLDER:
        return _("This problem is held by %(holder)s; only they can act on it.") % {"holder": problem.holder_label}
    if who == ENTERPRISE:
        return _("Only the enterprise can answer, through its own pages.")
    if who == FEEDBACK and access.oversees(user, problem):
        return _("The verdict on a problem's handling cannot be recorded by whoever handled it.")
    return _("Only %(office)s, in charge of this problem, can do this.") % {"office": problem.office_region.united_front_office}


def _offered(user, problem, action):
    """Of the two returns, only the one that applies: to the office, or to the referring department; and
    no escalation of a problem the province already holds (problems.services.escalate refuses it)."""
    if action == Action.RETURN_TO_OFFICE:
        return problem.referred_from_department_id is None
    if action == Action.RETURN_TO_DEPARTMENT:
        return problem.referred_from_department_id is not None
    if action == Action.ESCALATE:
        return not is_held_by_the_province(problem)
    return True


def is_held_by_the_province(problem):
    """A problem the province holds has no one above to escalate it to."""
    return problem.handling_region_id == PROVINCE_CODE


def escalation_refusal(problem):
    return _("This problem is already with %(office)s; there is no one above to escalate it to.") % {
        "office": problem.handling_region.united_front_office
    }


LIFECYCLE = Lifecycle(
    table=TRANSITIONS,
    predicates={
        OFFICE: access.acts_as_office,
        HOLDER: access.holds,
        OVERSEER: access.oversees,
        # by phone; the enterprise's own link is checked by problems.feedback.tokens.read_feedback_token
        FEEDBACK: access.records_verdict_by_phone,
        ENTERPRISE: lambda user, problem: False,
    },
    invalid_move=_invalid_move,
    refusal=_refusal,
    offered=_offered,
)


def available_actions(user, problem):
    """The actions `user` may take on `problem` now, in the table's order: what a page offers as buttons.

    `ACCEPT` and `REJECT` mean "record the enterprise's verdict taken by phone"; of the two returns,
    only the one that applies (to an office or to a department) is listed.
    """
    return [Action(action) for action in LIFECYCLE.available_actions(user, problem)]
