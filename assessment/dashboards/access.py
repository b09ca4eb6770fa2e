"""Who may act on the dashboards: seeing them is `assessment.follow_assessment` and the fence; refreshing a
period's figures now is for the staff and administrators of the province or of a city."""

from accounts.models import RegionLevel

FOLLOW_PERMISSION = "assessment.follow_assessment"
REFRESH_PERMISSION = "assessment.approve_figures"


def may_follow(user):
    return user.has_perm(FOLLOW_PERMISSION)


def may_refresh(user):
    """The staff (and administrators) of the province or of a city may recompute an open period's figures."""
    if not user.has_perm(REFRESH_PERMISSION) or user.region_id is None:
        return False
    return user.is_superuser or user.region.level in (RegionLevel.PROVINCE, RegionLevel.CITY)
