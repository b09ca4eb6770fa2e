"""Who may act on a visit or a policy. What a user may *see* is `Visit.objects.visible_to(user)` and, for
the library, `Policy.objects.applicable_to(user)`; these say what they may *do*, and visits.lifecycle
asks them before every move of a visit.

Each is a named predicate taking the user first:

- the lead cadre (`is_lead_cadre`): the official who logged the visit (its `cadre`). Companions find the
  visit among their own and staff of the region read it, but neither changes it.
- the writer (`may_change`): the lead cadre, still allowed to change visits. They complete their draft,
  submit it or delete it; nobody changes a submitted visit (the table of visits.lifecycle). A visit being
  logged is the logging official's own draft, theirs to save or submit if they may log visits.
- the raiser (`may_raise_problems`): an official who may raise problems and sees the visit (`sees`, the
  region fence), from a submitted visit's page.
- the voider (`may_void`): staff and administrators who may void visits (`visits.void_visits`) and see the
  visit (the region fence): they void a submitted visit found to be wrong, with a reason. Its cadre may not:
  the record of what a cadre did is not theirs to withdraw.
- the policy editor (`may_edit_policy`): staff who change policies, for a policy issued inside their own
  region (a provincial policy is read-only in a county).

Whether the visit's *state* allows the move is not asked here: that is the table of visits.lifecycle.
"""

from accounts.access import scope_prefix

from .models import Policy

ADD_PERMISSION = "visits.add_visit"
CHANGE_PERMISSION = "visits.change_visit"
RAISE_PROBLEM_PERMISSION = "problems.add_problem"
CHANGE_POLICY_PERMISSION = "visits.change_policy"
VOID_PERMISSION = "visits.void_visits"


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def is_lead_cadre(user, visit):
    """The official who logged the visit and leads it."""
    return _active(user) and visit.cadre_id is not None and visit.cadre_id == user.pk


def may_change(user, visit):
    """The writer: the lead cadre, with the permission to change visits (to log them, for a visit being
    logged: not saved yet, its lead cadre is the official logging it)."""
    if not is_lead_cadre(user, visit):
        return False
    return user.has_perm(CHANGE_PERMISSION if visit.pk is not None else ADD_PERMISSION)


def sees(user, visit):
    """The region fence, for one visit: an official of its region or of a region above it."""
    prefix = scope_prefix(user)
    return prefix is not None and visit.region_id is not None and visit.region_id.startswith(prefix)


def may_raise_problems(user, visit):
    """An official who may raise problems and sees the visit: they raise the problems found on it."""
    return user.has_perm(RAISE_PROBLEM_PERMISSION) and sees(user, visit)


def may_void(user, visit):
    """An official who may void visits and sees the visit."""
    return _active(user) and user.has_perm(VOID_PERMISSION) and sees(user, visit)


def may_edit_policy(user, policy):
    """Staff who change policies, for one issued inside their own region."""
    if not _active(user) or not user.has_perm(CHANGE_POLICY_PERMISSION):
        return False
    return Policy.objects.visible_to(user).filter(pk=policy.pk).exists()
