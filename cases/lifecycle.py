"""A model case's lifecycle, in one place: which action is allowed in which state, and who may take it.

    state                  action (cases.services)              new state    who may act
    ---------------------  -----------------------------------  -----------  -----------------------------
    (none)                 nominate (nominate)                  nominated    officials who may nominate
    nominated              approve (approve)                    approved     reviewer
    nominated              return (return_for_changes)          returned     reviewer
    nominated              reject (reject)                      rejected     reviewer
    returned               resubmit (resubmit)                  nominated    resubmitter
    nominated/returned/    consent (record_consent)             (unchanged)  consenter
      approved
    nominated/returned     photos (add_photos)                  (unchanged)  editor
    approved               publish (publish)                    published    publisher (once consented)
    published              publicity (record_publicity)         (unchanged)  publicist
    published              withdraw (withdraw)                  withdrawn    withdrawer
    nominated/returned     edit (update_case, remove_photo)     (unchanged)  editor

`TRANSITIONS` below is that table. Each `who` names a predicate of cases.access and the sentence a
refused actor reads: the editor, resubmitter and consenter are the nominator or staff who may change
cases (`may_edit`); the reviewer is staff of the region or above, never the nominator (`may_review`);
the publisher, publicist and withdrawer are staff who publish (`may_publish`).

`check` is what every move asks, after locking the row: the fence first (a case outside the actor's
region is refused as such, whatever its state), then the table. A refusal is a ValidationError coded
`invalid_move` (the state does not allow the action) or `not_allowed` (the actor may not take it).
"""

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.lifecycle import NOT_ALLOWED, Lifecycle, Move

from . import access
from .models import CaseStatus


class Action(TextChoices):
    # Labels are the buttons of the case's page.
    APPROVE = "approve", gettext_lazy("Approve")
    RETURN = "return", gettext_lazy("Return for changes")
    REJECT = "reject", gettext_lazy("Reject")
    RESUBMIT = "resubmit", gettext_lazy("Resubmit for review")
    CONSENT = "consent", gettext_lazy("Record the enterprise's consent")
    PHOTOS = "photos", gettext_lazy("Add photos")
    PUBLISH = "publish", gettext_lazy("Publish on the showcase")
    PUBLICITY = "publicity", gettext_lazy("Record publicity")
    WITHDRAW = "withdraw", gettext_lazy("Withdraw from the showcase")
    EDIT = "edit", gettext_lazy("Change")


EDITOR, RESUBMITTER, CONSENTER = "editor", "resubmitter", "consenter"
REVIEWER = "reviewer"
PUBLISHER, PUBLICIST, WITHDRAWER = "publisher", "publicist", "withdrawer"

S = CaseStatus
# The nomination is open to changes while it waits for review or was returned.
OPEN_STATES = (S.NOMINATED, S.RETURNED)

TRANSITIONS = {
    (S.NOMINATED, Action.APPROVE): Move(S.APPROVED, REVIEWER),
    (S.NOMINATED, Action.RETURN): Move(S.RETURNED, REVIEWER),
    (S.NOMINATED, Action.REJECT): Move(S.REJECTED, REVIEWER),
    (S.RETURNED, Action.RESUBMIT): Move(S.NOMINATED, RESUBMITTER),
    **{(state, Action.CONSENT): Move(state, CONSENTER) for state in (*OPEN_STATES, S.APPROVED)},
    **{(state, Action.PHOTOS): Move(state, EDITOR) for state in OPEN_STATES},
    (S.APPROVED, Action.PUBLISH): Move(S.PUBLISHED, PUBLISHER),
    (S.PUBLISHED, Action.PUBLICITY): Move(S.PUBLISHED, PUBLICIST),
    (S.PUBLISHED, Action.WITHDRAW): Move(S.WITHDRAWN, WITHDRAWER),
    **{(state, Action.EDIT): Move(state, EDITOR) for state in OPEN_STATES},
}


# ---------------------------------------------------------------------------------------------------
# What a refused user reads: a whole sentence per move, so that every language can order its words.

_WRONG_STATE = {
    Action.APPROVE: gettext_lazy("This case cannot be reviewed now: it is “%(status)s”."),
    Action.RETURN: gettext_lazy("This case cannot be reviewed now: it is “%(status)s”."),
    Action.REJECT: gettext_lazy("This case cannot be reviewed now: it is “%(status)s”."),
    Action.RESUBMIT: gettext_lazy("This case cannot be resubmitted now: it is “%(status)s”."),
    Action.CONSENT: gettext_lazy("Consent cannot be recorded for this case now: it is “%(status)s”."),
    Action.PHOTOS: gettext_lazy("This case cannot be changed now: it is “%(status)s”."),
    Action.PUBLISH: gettext_lazy("This case cannot be published now: it is “%(status)s”."),
    Action.PUBLICITY: gettext_lazy("Publicity can be recorded only for a published case; this one is “%(status)s”."),
    Action.WITHDRAW: gettext_lazy("This case cannot be withdrawn now: it is “%(status)s”."),
    Action.EDIT: gettext_lazy("This case cannot be changed now: it is “%(status)s”."),
}

_REFUSED = {
    EDITOR: gettext_lazy("Only the nominator or the united-front staff can change this case."),
    RESUBMITTER: gettext_lazy("Only the nominator can resubmit this case."),
    CONSENTER: gettext_lazy("Only the nominator or the united-front staff can record consent."),
    REVIEWER: gettext_lazy("Only united-front staff can review model cases."),
    PUBLISHER: gettext_lazy("Only united-front staff can publish model cases."),
    PUBLICIST: gettext_lazy("Only united-front staff can record publicity."),
    WITHDRAWER: gettext_lazy("Only united-front staff can withdraw model cases."),
}


def _invalid_move(case, action):
    if action == Action.PUBLISH and case.status in OPEN_STATES:
        return _("This case has not been reviewed yet: it must be approved before it is published.")
    return _WRONG_STATE[action] % {"status": case.get_status_display()}


def _outside():
    return _("This case is outside your region.")


def _refusal(user, case, who):
    if not access.sees(user, case):
        return _outside()
    if who == REVIEWER and access.nominated(user, case) and user.has_perm(access.REVIEW_PERMISSION):
        return _("You nominated this case: someone else must review it.")
    return str(_REFUSED[who])


LIFECYCLE = Lifecycle(
    table=TRANSITIONS,
    predicates={
        EDITOR: access.may_edit,
        RESUBMITTER: access.may_edit,
        CONSENTER: access.may_record_consent,
        REVIEWER: access.may_review,
        PUBLISHER: access.may_publish,
        PUBLICIST: access.may_publish,
        WITHDRAWER: access.may_publish,
    },
    invalid_move=_invalid_move,
    refusal=_refusal,
)


def check(case, action, actor):
    """The state `action` leads `case` to; a coded ValidationError when the actor may not see the case
    (whatever its state: that is not theirs to learn), the state does not allow the action, or the
    table does not name the actor."""
    if not access.sees(actor, case):
        raise ValidationError(_outside(), code=NOT_ALLOWED)
    return LIFECYCLE.check(case, action, actor)


def available_actions(user, case):
    """The actions `user` may take on `case` now, in the table's order: what the case's page offers."""
    return [Action(action) for action in LIFECYCLE.available_actions(user, case)]


def lacks_consent(case):
    """An approved case goes on the showcase only once its enterprise consented: publishing is offered,
    and refused with a reason, until then."""
    return not case.consent_given
