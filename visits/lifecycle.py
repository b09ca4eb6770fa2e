"""A visit's lifecycle, in one place: which action each state allows, and who may take it.

    state      action (function)                                new state    who may act
    ---------  -----------------------------------------------  -----------  -----------------------------------
    draft      edit: save as a draft (services.save_visit)      (unchanged)  writer: the lead cadre
    draft      submit (services.save_visit, submit=True)        submitted    writer
    draft      delete (services.delete_draft)                   (gone)       discarder: the lead cadre
    submitted  raise_problem (problems: raise_problem)          (unchanged)  raiser: who may raise problems
    submitted  void, with a reason (services.void_visit)        voided       voider: staff and administrators
                                                                                  of its region (or above)
    voided     (none: it stays on the record as it was)

A visit being logged (not saved yet) is a draft of the official logging it: saving it as a draft or
submitting it is the same `edit` or `submit`, for an official who may log visits (visits.access).

A submitted visit counts for the cadence and stays on the record: nobody changes or deletes it. A problem
found on a visit is raised from the submitted visit's page; the problem list (problems.services) makes
that move, this table only says when the visit's page offers it. A submitted visit found to be wrong is
voided, with a reason: still readable, it counts nowhere a submitted visit counts (due dates, the
assessment, scorecards, the enterprise's timeline); the problems raised from it keep their own history.

`TRANSITIONS` below is that table; each `who` names a predicate of visits.access and the sentence a
refused actor reads (the writer and the discarder are the same person: the lead cadre who logged the
visit, with the permission to change visits). A refused move is a ValidationError coded `invalid_move`
(the state does not allow it) or `not_allowed` (the actor may not take it).
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy

from core.lifecycle import Lifecycle, Move

from . import access
from .models import VisitStatus


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    DELETE = "delete"
    RAISE_PROBLEM = "raise_problem"
    VOID = "void"


WRITER, DISCARDER, RAISER, VOIDER = "writer", "discarder", "raiser", "voider"

S = VisitStatus
TRANSITIONS = {
    (S.DRAFT, Action.EDIT): Move(S.DRAFT, WRITER),
    (S.DRAFT, Action.SUBMIT): Move(S.SUBMITTED, WRITER),
    (S.DRAFT, Action.DELETE): Move(None, DISCARDER),
    (S.SUBMITTED, Action.RAISE_PROBLEM): Move(S.SUBMITTED, RAISER),
    (S.SUBMITTED, Action.VOID): Move(S.VOIDED, VOIDER),
}
# States no action leaves: the table has no row from them.
FINAL_STATES = {S.VOIDED}


# What a refused user reads: a whole sentence per move.
_WRONG_STATE = {
    Action.EDIT: gettext_lazy("A submitted visit can no longer be changed."),
    Action.SUBMIT: gettext_lazy("A submitted visit can no longer be changed."),
    Action.DELETE: gettext_lazy("Only drafts can be deleted; a submitted visit stays on the record."),
    Action.RAISE_PROBLEM: gettext_lazy("Submit the visit before raising its problems."),
    Action.VOID: gettext_lazy("Only a submitted visit can be voided; its cadre may delete a draft."),
}
_VOIDED = gettext_lazy("This visit has been voided: it stays on the record as it was, and nothing more can be done with it.")
_ALREADY_VOIDED = gettext_lazy("This visit has already been voided.")
_REFUSED = {
    WRITER: gettext_lazy("Only the cadre who logged the visit can change the draft."),
    DISCARDER: gettext_lazy("Only the cadre who logged the visit can delete the draft."),
    RAISER: gettext_lazy("You cannot raise problems."),
    VOIDER: gettext_lazy("Only the united-front staff and administrators of the visit's region can void it."),
}


def _invalid_move(visit, action):
    if visit.is_voided:
        return str(_ALREADY_VOIDED if action == Action.VOID else _VOIDED)
    return str(_WRONG_STATE[action])


def _refusal(user, visit, who):
    return str(_REFUSED[who])


LIFECYCLE = Lifecycle(
    table=TRANSITIONS,
    predicates={
        WRITER: access.may_change,
        DISCARDER: access.may_change,
        RAISER: access.may_raise_problems,
        VOIDER: access.may_void,
    },
    invalid_move=_invalid_move,
    refusal=_refusal,
)


def available_actions(user, visit):
    """The actions `user` may take on `visit` now, in the table's order: what its pages offer."""
    return [Action(action) for action in LIFECYCLE.available_actions(user, visit)]
