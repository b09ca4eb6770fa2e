"""What the assessment adds to the home page (core.registry): reviewers and administrators open on their
region's dashboard (its score, rank and the regions lagging behind), staff see their region's key figures,
liaison cadres their own scorecard. Officials of other roles get nothing.

To-do entries: once a period has ended and until it is closed, the staff who confirm figures see their
own region's figures to confirm and the confirmed figures of the regions directly below to accept.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Region
from accounts.roles import Role
from core.registry import Panel

from .access import APPROVE_PERMISSION, FOLLOW_PERMISSION
from .dashboards.selectors import home_summary
from .models import ApprovalStatus, AssessmentPeriod, RegionApproval
from .scorecards.selectors import own_scorecard_panels


def home_panels(user, *, today):
    if user.region_id is not None and user.is_liaison_cadre and not user.has_perm(FOLLOW_PERMISSION):
        return own_scorecard_panels(user, today=today)  # a liaison cadre sees their own scorecard
    if user.region_id is None or not user.has_perm(FOLLOW_PERMISSION):
        return []
    if user.has_role(Role.REVIEWER) or user.has_role(Role.ADMINISTRATOR):
        summary = home_summary(user.region, lagging=3)
        return [Panel("assessment/dashboards/_home_dashboard.html", {"assessment": summary})] if summary else []
    if user.has_role(Role.STAFF):
        summary = home_summary(user.region, lagging=0)
        return [Panel("assessment/dashboards/_home_figures.html", {"assessment": summary})] if summary else []
    return []


HOME_ITEMS_LIMIT = 10


def todo_items(user, *, today):
    """Figures waiting for the user: their region's to confirm, the regions below's to accept. Three
    queries whatever the number of periods and regions."""
    if user.region_id is None or not user.has_perm(APPROVE_PERMISSION):
        return []
    periods = list(AssessmentPeriod.objects.open().filter(end__lt=today).order_by("end"))
    if not periods:
        return []
    statuses = {
        (approval.period_id, approval.region_id): approval.status
        for approval in RegionApproval.objects.filter(period__in=periods, region__parent_id=user.region_id)
        | RegionApproval.objects.filter(period__in=periods, region_id=user.region_id)
    }
    below = list(Region.objects.filter(parent_id=user.region_id).order_by("code"))
    entries = []
    for period in periods:
        url = reverse("assessment:approval_detail", args=[period.label, user.region_id])
        if user.region.parent_id and statuses.get((period.pk, user.region_id), ApprovalStatus.OPEN) == ApprovalStatus.OPEN:
            entries.append({"title": _("Figures to confirm: %(period)s") % {"period": period.label}, "url": url, "due": None})
        for region in below:
            if statuses.get((period.pk, region.code)) == ApprovalStatus.CONFIRMED:
                values = {"region": region.name, "period": period.label}
                entries.append(
                    {
                        "title": _("Figures to accept: %(region)s, %(period)s") % values,
                        "url": reverse("assessment:approval_detail", args=[period.label, region.code]),
                        "due": None,
                    }
                )
    return entries[:HOME_ITEMS_LIMIT]
