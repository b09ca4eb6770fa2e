"""A forum's lifecycle, in one place: the states, the actions allowed in each, and who may take them.

    state       action (function in forums.services)       new state   who may act
    ----------  -----------------------------------------  ----------  -------------------------------
    (none)      plan (plan_forum)                          planned     planner: staff (forums.add_forum)
    planned     change (change_plan)                       planned     organiser
    planned     held (record_held)                         held        organiser
    planned     cancel (cancel)                            cancelled   organiser
    held        minutes (update_minutes)                   held        organiser
    held        attach (add_attachments)                   held        organiser
    held        opinion (add_opinion)                      held        organiser
    held        problem (opinion_to_problem)               held        raiser
    planned/    print (the invitation list and the         (unchanged) reader
      held        sign-in sheet, forums.views.forum_print)

`TABLE` below is that table; `who` names a predicate of forums.access: planner = `plans_forums`;
organiser = staff who record forums, of the host region or above (`organises`); raiser = an organiser
who may also raise problems (`raises_problems`); reader = whoever sees the forum (`sees`).

An opinion has a lifecycle of its own, `OPINION_LIFECYCLE`: raised, then on the problem list, once.

Pages ask `LIFECYCLE.offers(user, forum)` (`{% if actions.change %}`) or `available_actions`; the moves
in forums.services ask `LIFECYCLE.check(forum, action, actor)`, which refuses with the sentence users
have always seen for that case, coded `invalid_move` (the state) or `not_allowed` (the actor).
"""

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from core.lifecycle import Lifecycle, Move

from . import access
from .models import ForumStatus, OpinionStage


class Action(TextChoices):
    # The values are the URLs' (forums:act) and the keys of `LIFECYCLE.offers` in templates.
    PLAN = "plan"
    CHANGE = "change"
    RECORD_HELD = "held"
    CANCEL = "cancel"
    MINUTES = "minutes"
    ATTACH = "attach"
    OPINION = "opinion"
    PROBLEM = "problem"
    PRINT = "print"


PLANNER, ORGANISER, RAISER, READER = "planner", "organiser", "raiser", "reader"

# The state of a forum not yet planned: `plan_forum` checks its move from here.
NEW = None

S = ForumStatus
TABLE = {
    (NEW, Action.PLAN): Move(S.PLANNED, PLANNER),
    (S.PLANNED, Action.CHANGE): Move(S.PLANNED, ORGANISER),
    (S.PLANNED, Action.RECORD_HELD): Move(S.HELD, ORGANISER),
    (S.PLANNED, Action.CANCEL): Move(S.CANCELLED, ORGANISER),
    (S.HELD, Action.MINUTES): Move(S.HELD, ORGANISER),
    (S.HELD, Action.ATTACH): Move(S.HELD, ORGANISER),
    (S.HELD, Action.OPINION): Move(S.HELD, ORGANISER),
    (S.HELD, Action.PROBLEM): Move(S.HELD, RAISER),
    (S.PLANNED, Action.PRINT): Move(S.PLANNED, READER),
    (S.HELD, Action.PRINT): Move(S.HELD, READER),
}


def _invalid_move(forum, action):
    """Why the forum's state does not allow `action`: the sentence the pages have always shown."""
    if action == Action.RECORD_HELD:
        if forum.status == S.HELD:
            return _("This forum has already been recorded as held.")
        return _("A cancelled forum cannot be recorded as held.")
    if action == Action.CANCEL:
        if forum.status == S.CANCELLED:
            return _("This forum has already been cancelled.")
        return _("A forum that has been held cannot be cancelled.")
    if action == Action.CHANGE:
        return _("Only a planned forum can be changed.")
    if action == Action.MINUTES:
        return _("Minutes can be written only for a forum that has been held.")
    if action == Action.ATTACH:
        return _("Attachments can be added only to a forum that has been held.")
    if action in (Action.OPINION, Action.PROBLEM):
        # An opinion is recorded only at a held forum, which stays held: no other forum has one to raise.
        return _("Opinions can be recorded only for a forum that has been held.")
    if action == Action.PRINT:
        return _("This forum has been cancelled: there is nothing to print.")
    raise ValueError(f"A forum is planned once, by plan_forum: {action} from {forum.status}")


def _refusal(user, forum, who):
    """Why `user` may not act: they may not record forums at all, or the forum is outside their region."""
    if who == PLANNER or (who in (ORGANISER, RAISER) and not access.records_forums(user)):
        return _("You cannot plan or record forums.")
    if who == RAISER and access.organises(user, forum):
        return _("You cannot raise problems.")
    return _("This forum is outside your region.")


LIFECYCLE = Lifecycle(
    table=TABLE,
    predicates={
        PLANNER: access.plans_forums,
        ORGANISER: access.organises,
        RAISER: access.raises_problems,
        READER: access.sees,
    },
    invalid_move=_invalid_move,
    refusal=_refusal,
)


def available_actions(user, forum):
    """The actions `user` may take on `forum` now, in the table's order: what the forum's page offers."""
    return [Action(action) for action in LIFECYCLE.available_actions(user, forum)]


# An opinion raised at a held forum goes on the problem list once: the forum's organisers who raise
# problems put it there (the forum's own move `problem` is checked first).
OPINION_TABLE = {
    (OpinionStage.RAISED, Action.PROBLEM): Move(OpinionStage.ON_PROBLEM_LIST, RAISER),
}

OPINION_LIFECYCLE = Lifecycle(
    table=OPINION_TABLE,
    predicates={RAISER: lambda user, opinion: access.raises_problems(user, opinion.forum)},
    invalid_move=lambda opinion, action: _("This opinion is already on the problem list."),
    refusal=lambda user, opinion, who: _refusal(user, opinion.forum, who),
    state="stage",
)
