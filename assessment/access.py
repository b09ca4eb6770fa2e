"""Who may act in the assessment. What a user may *see* is the fence (`visible_to(user)`: their region and
the regions below); these named predicates, user first, say what they may *do* there, and
assessment.lifecycle asks them before every move.

- Schemes: the province's administrators set the province's schemes (for cities, and the default for
  counties); a city's administrators set the scheme of its own counties (`may_set_schemes_of`,
  `can_set_scheme`). Counties set none.
- A region's figures of a period (`RegionApproval`): its own staff confirm them (`can_confirm`), the staff
  of the region directly above accept them (`can_accept`); reopening confirmed figures is for either of
  them, reopening accepted ones only for the region above (`can_reopen`): an accepted county can only be
  reopened by its city.
- The period: the province's administrators close and reopen it (`can_close_period`).
- The dashboards: following them is `assessment.follow_assessment` inside the fence (`may_follow`);
  recomputing an open period's figures now is for the staff and administrators of the province or of a
  city (`may_refresh`).

Whether the record's *state* allows the move is not asked here: that is the table of assessment.lifecycle.
"""

from accounts.access import PROVINCE_CODE
from accounts.models import RegionLevel

from .models import ApprovalStatus

FOLLOW_PERMISSION = "assessment.follow_assessment"
MANAGE_SCHEMES_PERMISSION = "assessment.manage_schemes"
APPROVE_PERMISSION = "assessment.approve_figures"
CLOSE_PERMISSION = "assessment.close_periods"


def is_own_region(user, region_code):
    """An official of the region itself (not of a region above it)."""
    return user.region_id is not None and user.region_id == region_code


def is_directly_above(user, region):
    """An official of the region directly above `region` (nobody for the province)."""
    return region.parent_id is not None and user.region_id == region.parent_id


def may_set_schemes_of(user, owner):
    """Whether `user` may set the schemes `owner` (a region) sets: the province's or a city's own administrators."""
    if owner.level not in (RegionLevel.PROVINCE, RegionLevel.CITY):
        return False
    return is_own_region(user, owner.code) and user.has_perm(MANAGE_SCHEMES_PERMISSION)


def can_set_scheme(user, scheme):
    """Whether `user` may change `scheme` (its items, its copies into its owner's name)."""
    return may_set_schemes_of(user, scheme.owner)


def sets_schemes(user):
    """Whether `user` sets any scheme at all: an administrator of the province or of a city."""
    if not user.has_perm(MANAGE_SCHEMES_PERMISSION) or user.region_id is None:
        return False
    return user.region_id == PROVINCE_CODE or user.region_id.endswith("00")


def can_confirm(user, approval):
    """The region's own staff confirm its figures."""
    return is_own_region(user, approval.region_id) and user.has_perm(APPROVE_PERMISSION)


def can_accept(user, approval):
    """The staff of the region directly above accept them."""
    return is_directly_above(user, approval.region) and user.has_perm(APPROVE_PERMISSION)


def can_reopen(user, approval):
    """Confirmed figures are reopened by the region itself or by the region above; accepted ones only by
    the region above (an accepted county only by its city)."""
    if approval.status == ApprovalStatus.ACCEPTED:
        return can_accept(user, approval)
    return can_confirm(user, approval) or can_accept(user, approval)


def can_close_period(user, period=None):
    """The province's administrators close and reopen a period."""
    return is_own_region(user, PROVINCE_CODE) and user.has_perm(CLOSE_PERMISSION)


def may_follow(user):
    return user.has_perm(FOLLOW_PERMISSION)


def may_refresh(user):
    """The staff (and administrators) of the province or of a city may recompute an open period's figures."""
    if not user.has_perm(APPROVE_PERMISSION) or user.region_id is None:
        return False
    return user.is_superuser or user.region.level in (RegionLevel.PROVINCE, RegionLevel.CITY)
