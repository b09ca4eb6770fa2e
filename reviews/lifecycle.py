"""A mechanism review's lifecycle, in one place: which action each state allows, and who may take it.

    state            action (function)                          new state      who may act
    ---------------  -----------------------------------------  -------------  -----------------------------
    (none)           start (services.start_review)              draft          the region's staff (can_start)
    draft/returned   edit (services.save_review)                (unchanged)    writer: the region's staff
    draft/returned   submit (services.submit_review)            submitted (*)  writer
    submitted        acknowledge (services.acknowledge_review)  acknowledged   decider: the region directly above
    submitted        return (services.return_review)            returned       decider
    acknowledged     recommend (services.recommend_practice)    (unchanged)    recommender: staff with a region

(*) The province has nobody above it: when its review is submitted, the portal takes the acknowledge
move at once (actor None, which the predicates are not asked about). Submitting a returned review is the
resubmission. "recommend" recommends one of the review's good practices, which are in the province-wide
practice library once the review is acknowledged; withdrawing one's region's recommendation
(services.unrecommend_practice) is no move of the review and is allowed at any time.

`TRANSITIONS` below is that table; `who` names a predicate of reviews.access. A refused move is a
ValidationError coded `invalid_move` (the state does not allow it) or `not_allowed` (the actor may not),
whose message is the sentence the page shows.
"""

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.lifecycle import NOT_ALLOWED, Lifecycle, Move

from . import access
from .models import OPEN_STATES, ReviewStatus


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    ACKNOWLEDGE = "acknowledge"
    RETURN = "return"
    RECOMMEND = "recommend"
    # Not in the table: withdrawing a recommendation is no move of the review (see the docstring).
    WITHDRAW = "withdraw"


WRITER, DECIDER, RECOMMENDER = "writer", "decider", "recommender"

S = ReviewStatus
TRANSITIONS = {
    **{(state, Action.EDIT): Move(state, WRITER) for state in OPEN_STATES},
    **{(state, Action.SUBMIT): Move(S.SUBMITTED, WRITER) for state in OPEN_STATES},
    (S.SUBMITTED, Action.ACKNOWLEDGE): Move(S.ACKNOWLEDGED, DECIDER),
    (S.SUBMITTED, Action.RETURN): Move(S.RETURNED, DECIDER),
    (S.ACKNOWLEDGED, Action.RECOMMEND): Move(S.ACKNOWLEDGED, RECOMMENDER),
}


def _invalid_move(review, action):
    status = review.get_status_display().lower()
    if action in (Action.ACKNOWLEDGE, Action.RETURN):
        return _("Only a submitted review can be acknowledged or returned; this one is %(status)s.") % {"status": status}
    if action == Action.RECOMMEND:
        return _("Only practices of acknowledged reviews can be recommended.")
    return _("A review that is %(status)s can no longer be changed.") % {"status": status}


def _writer_refusal(user, region, permission=access.WRITE_PERMISSION):
    if not user.has_perm(permission):
        return _("You cannot write reviews.")
    return _("Only the staff of %(region)s can write its review.") % {"region": region.name}


def _refusal(user, review, who):
    if who == WRITER:
        return _writer_refusal(user, review.region)
    if who == DECIDER:
        if not user.has_perm(access.DECIDE_PERMISSION):
            return _("You cannot acknowledge or return reviews.")
        if access.is_own_region_staff(user, review.region_id):
            return _("A region cannot acknowledge or return its own review: the region above does.")
        return _("Only the staff of the region directly above %(region)s can acknowledge or return its review.") % {
            "region": review.region.name
        }
    if not user.has_perm(access.RECOMMEND_PERMISSION):
        return _("You cannot recommend practices.")
    return _("Only an official with a region can recommend practices.")


LIFECYCLE = Lifecycle(
    table=TRANSITIONS,
    predicates={WRITER: access.can_edit, DECIDER: access.can_decide, RECOMMENDER: access.can_recommend},
    invalid_move=_invalid_move,
    refusal=_refusal,
)


def available_actions(user, review):
    """The actions `user` may take on `review` now, in the table's order: what its pages offer."""
    return [Action(action) for action in LIFECYCLE.available_actions(user, review)]


def check_start(actor, region):
    """The creation: only the staff of `region` start its review. A coded ValidationError otherwise."""
    if not access.can_start(actor, region):
        raise ValidationError(_writer_refusal(actor, region, access.START_PERMISSION), code=NOT_ALLOWED)


def practice_offers(user, practice, *, recommended):
    """The practice page's button, as a mapping for its template: recommend the practice to the user's
    region (`actions.recommend`) or, when `recommended` by it already, withdraw that (`actions.withdraw`)."""
    if recommended:
        allowed = access.can_withdraw_recommendation(user)
        return {str(Action.WITHDRAW): True} if allowed else {}
    return {str(Action.RECOMMEND): True} if LIFECYCLE.allows(user, practice.review, Action.RECOMMEND) else {}
