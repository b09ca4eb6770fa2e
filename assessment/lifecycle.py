"""The assessment's lifecycles, in one place: which action each state allows, and who may take it.

A region's figures of a period (`RegionApproval`), approved level by level:

    state       action (function)                       new state   who may act
    ----------  --------------------------------------  ----------  ----------------------------------------------
    open        confirm (services.confirm_figures)      confirmed   confirmer: the region's own staff
    confirmed   accept (services.accept_figures)        accepted    acceptor: the staff of the region directly above
    confirmed   reopen (services.reopen_figures)        open        reopener: the region's staff or the region above
    accepted    reopen (services.reopen_figures)        open        reopener: only the region above

The period (`AssessmentPeriod`), closed by the province once every region has finished:

    open        close (services.close_period)           closed      closer: the province's administrators
    closed      reopen_period (services.reopen_period)  open        closer

A scheme (`Scheme`) is changed while its period is open (`is_locked` False) by whoever sets its owner's
schemes; a scheme of a closed period is locked: copy it to change it.

What the table cannot say, the services check after it, each refusal coded: no move while the period
is closed (`period_closed`) or still under way (`period_under_way`); a city confirms once its counties
are accepted (`regions_pending`); a county is not reopened while its city's confirmation stands
(`above_confirmed`); the province closes only when every city has confirmed and every county is accepted,
unless forced with a reason (`regions_pending`); reopening needs a reason (`required`).

A refused move is a ValidationError coded `invalid_move` (the state does not allow it) or `not_allowed`
(the actor may not), whose message is the sentence the page shows.
"""

from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RegionLevel
from core.lifecycle import Lifecycle, Move

from . import access
from .models import ApprovalStatus, PeriodStatus


class Action(StrEnum):
    CONFIRM = "confirm"
    ACCEPT = "accept"
    REOPEN = "reopen"
    CLOSE = "close"
    REOPEN_PERIOD = "reopen_period"
    EDIT = "edit"


APPROVAL_ACTIONS = (Action.CONFIRM, Action.ACCEPT, Action.REOPEN)
PERIOD_ACTIONS = (Action.CLOSE, Action.REOPEN_PERIOD)

CONFIRMER, ACCEPTOR, REOPENER, CLOSER, SETTER = "confirmer", "acceptor", "reopener", "closer", "setter"

S = ApprovalStatus
APPROVAL_TABLE = {
    (S.OPEN, Action.CONFIRM): Move(S.CONFIRMED, CONFIRMER),
    (S.CONFIRMED, Action.ACCEPT): Move(S.ACCEPTED, ACCEPTOR),
    (S.CONFIRMED, Action.REOPEN): Move(S.OPEN, REOPENER),
    (S.ACCEPTED, Action.REOPEN): Move(S.OPEN, REOPENER),
}

PERIOD_TABLE = {
    (PeriodStatus.OPEN, Action.CLOSE): Move(PeriodStatus.CLOSED, CLOSER),
    (PeriodStatus.CLOSED, Action.REOPEN_PERIOD): Move(PeriodStatus.OPEN, CLOSER),
}

UNLOCKED = False
SCHEME_TABLE = {(UNLOCKED, Action.EDIT): Move(UNLOCKED, SETTER)}


# ---------------------------------------------------------------------------------------------------
# A region's figures


def _approval_invalid_move(approval, action):
    values = {"region": approval.region.name, "status": approval.get_status_display().lower()}
    if action == Action.CONFIRM and approval.status == S.ACCEPTED:
        return _("The figures of %(region)s are already accepted by the region directly above.") % values
    if action == Action.CONFIRM:
        return _("The figures of %(region)s are already confirmed: reopen them to confirm them again.") % values
    if action == Action.ACCEPT:
        if approval.status == S.OPEN:
            return _("Only confirmed figures can be accepted: %(region)s has not confirmed its figures yet.") % values
        return _("The figures of %(region)s are already accepted.") % values
    return _("The figures of %(region)s are not confirmed: there is nothing to reopen.") % values


def _approval_refusal(user, approval, who):
    region = approval.region.name
    if not user.has_perm(access.APPROVE_PERMISSION):
        return _("You cannot confirm, accept or reopen figures.")
    if who == CONFIRMER:
        return _("Only the staff of %(region)s can confirm its figures.") % {"region": region}
    if who == ACCEPTOR:
        if access.is_own_region(user, approval.region_id):
            return _("A region cannot accept its own figures: the region directly above accepts them.")
        return _("Only the staff of the region directly above %(region)s can accept its figures.") % {"region": region}
    if approval.status == S.ACCEPTED:
        return _("Accepted figures of %(region)s can only be reopened by the region directly above, which accepted them.") % {
            "region": region
        }
    return _("Only the staff of %(region)s or of the region directly above can reopen its figures.") % {"region": region}


def _approval_offered(user, approval, action):
    """A move is offered only while the period is open and over, and never on the province's own figures
    (the province closes the period instead)."""
    period = approval.period
    return not period.is_closed and period.end < timezone.localdate() and approval.region.level != RegionLevel.PROVINCE


APPROVAL = Lifecycle(
    table=APPROVAL_TABLE,
    predicates={CONFIRMER: access.can_confirm, ACCEPTOR: access.can_accept, REOPENER: access.can_reopen},
    invalid_move=_approval_invalid_move,
    refusal=_approval_refusal,
    offered=_approval_offered,
)


# ---------------------------------------------------------------------------------------------------
# The period


def _period_invalid_move(period, action):
    if action == Action.CLOSE:
        return _("The period %(period)s is already closed.") % {"period": period.label}
    return _("The period %(period)s is open: there is nothing to reopen.") % {"period": period.label}


def _period_refusal(user, period, who):
    if not user.has_perm(access.CLOSE_PERMISSION):
        return _("You cannot close or reopen assessment periods.")
    return _("Only the province's administrators can close or reopen a period.")


def _period_offered(user, period, action):
    return action != Action.CLOSE or period.end < timezone.localdate()


PERIOD = Lifecycle(
    table=PERIOD_TABLE,
    predicates={CLOSER: access.can_close_period},
    invalid_move=_period_invalid_move,
    refusal=_period_refusal,
    offered=_period_offered,
)


# ---------------------------------------------------------------------------------------------------
# Schemes


def _scheme_invalid_move(scheme, action):
    return _(
        "The scheme “%(scheme)s” belongs to %(period)s, a closed period, and can no longer be changed: copy it to change it."
    ) % {
        "scheme": scheme.name,
        "period": scheme.period.label,
    }


def scheme_refusal(user, owner):
    """Why `user` may not set the schemes of `owner` (a region)."""
    if not user.has_perm(access.MANAGE_SCHEMES_PERMISSION):
        return _("You cannot set assessment schemes.")
    if owner.level == RegionLevel.PROVINCE:
        return _("Only the province's administrators can change the province's schemes.")
    if owner.level == RegionLevel.CITY:
        return _("Only the administrators of %(region)s can change its schemes.") % {"region": owner.name}
    return _("Counties do not set schemes: the province or their city does.")


SCHEME = Lifecycle(
    table=SCHEME_TABLE,
    predicates={SETTER: access.can_set_scheme},
    invalid_move=_scheme_invalid_move,
    refusal=lambda user, scheme, who: scheme_refusal(user, scheme.owner),
    state="is_locked",
)


def approval_offers(user, approval, period):
    """The buttons of a region's approval page, as a mapping for its template: the moves of its figures
    (`actions.confirm`, `actions.accept`, `actions.reopen`) and, on the province's page, of the period
    (`actions.close`, `actions.reopen_period`)."""
    offers = APPROVAL.offers(user, approval)
    if approval.region.level == RegionLevel.PROVINCE:
        offers.update(PERIOD.offers(user, period))
    return offers


def scheme_offers(user, scheme):
    """The scheme page's buttons: edit it (`actions.edit`) while its period is open, copy it (`actions.copy`)."""
    offers = SCHEME.offers(user, scheme)
    if access.sets_schemes(user):
        offers["copy"] = True
    return offers
