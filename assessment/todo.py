"""What the assessment adds to the home page (core.registry): reviewers and administrators open on their
region's dashboard (its score, rank and the regions lagging behind), staff see their region's key figures,
liaison cadres their own scorecard. Officials of other roles get nothing."""

from accounts.roles import Role
from core.registry import Panel

from .dashboards.selectors import home_summary
from .scorecards.selectors import own_scorecard_panels


def home_panels(user, *, today):
    if user.region_id is not None and user.is_liaison_cadre and not user.has_perm("assessment.follow_assessment"):
        return own_scorecard_panels(user, today=today)  # a liaison cadre sees their own scorecard
    if user.region_id is None or not user.has_perm("assessment.follow_assessment"):
        return []
    if user.has_role(Role.REVIEWER) or user.has_role(Role.ADMINISTRATOR):
        summary = home_summary(user.region, lagging=3)
        return [Panel("assessment/dashboards/_home_dashboard.html", {"assessment": summary})] if summary else []
    if user.has_role(Role.STAFF):
        summary = home_summary(user.region, lagging=0)
        return [Panel("assessment/dashboards/_home_figures.html", {"assessment": summary})] if summary else []
    return []
