"""Reads the plan pages and their exports share: whose due list or plan a page shows, from the query string.

A liaison cadre reads their own. Officials who read the visits of their region (staff, administrators,
reviewers) read those of its cadres, fenced to their region.
"""

from dataclasses import dataclass

from accounts.roles import Role
from enterprises.models import LiaisonAssignment

from ..models import Visit
from .cadence import Plan, current_assignments_of
from .filters import CadreForm, DueVisitFilter


def oversees_cadres(user):
    """Whether `user` follows the plans of their region's cadres rather than only their own.

    Cadres may read visits too, but a user whose only role is liaison cadre follows their own plan.
    """
    return user.has_perm("visits.view_visit") and (user.is_superuser or bool(user.role_names - {Role.CADRE.value}))


@dataclass
class DueList:
    """The due visits a page or an export shows: the plan, the state chosen (empty: every state), the
    region's filters (None for one's own list), and whether it is one's own."""

    plan: Plan
    state: str
    filter: DueVisitFilter | None
    mine: bool


def due_list(user, params, *, today):
    """One's own due visits (a cadre, or anyone asking `?mine=1`), or those of every cadre of one's region,
    narrowed by the region's filters. A filter the user may not use (a region outside theirs) matches nothing."""
    if not oversees_cadres(user) or params.get("mine"):
        return DueList(Plan(current_assignments_of(user, today=today), today=today), "", None, True)
    assignments = LiaisonAssignment.objects.visible_to(user)
    due_filter = DueVisitFilter(params, queryset=assignments, actor=user)
    plan = Plan(due_filter.qs if due_filter.is_valid() else assignments.none(), today=today)
    return DueList(plan, due_filter.chosen_state, due_filter, False)


def plan_subject(user, params):
    """The official whose plan or calendar is asked for, and the form to choose one (staff only).

    Returns (official, form); the official is None when the chosen one is outside the user's region,
    and the form says so, as every list filter does.
    """
    if not oversees_cadres(user):
        return user, None
    form = CadreForm(params, actor=user)
    if not form.is_valid():
        return None, form
    return form.cleaned_data["cadre"] or user, form


def records_of(user, subject, *, today):
    """The subject's current assignments and submitted visits (led or accompanied), as `user` may see them."""
    assignments = current_assignments_of(subject, today=today)
    visits = Visit.objects.submitted().by_cadre(subject)
    if subject != user:
        # Reading another official's plan goes through the fence, like every list of the region.
        assignments, visits = assignments.visible_to(user), visits.visible_to(user)
    return assignments, visits
