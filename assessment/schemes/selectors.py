"""Reads of the scheme pages.

A scheme is read inside the fence (its owner's region and the regions below: the province reads every
city's scheme) and, deliberately across it, by the regions it may assess: a county reads its city's scheme
and the province's, a city the province's. Changing one is for its owner's administrators alone
(assessment.access).
"""

from accounts.access import ancestor_codes

from ..models import AssessmentPeriod, Scheme


def readable_schemes(user):
    """The schemes `user` may read: inside their fence, and those of the regions above them."""
    fenced = Scheme.objects.visible_to(user)
    if user.is_authenticated and user.region_id:
        fenced = fenced | Scheme.objects.filter(owner_id__in=ancestor_codes(user.region_id))
    return fenced.select_related("owner", "period")


def open_periods():
    return AssessmentPeriod.objects.open().order_by("-start")
