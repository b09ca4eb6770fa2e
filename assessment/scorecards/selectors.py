"""Reads of the scorecards that pages outside this package show: a cadre's own card on the home page."""

from core.registry import Panel

from ..models import AssessmentPeriod
from . import cards


def current_period(*, today):
    """The period under way today, or else the latest that has started; None before the first."""
    return AssessmentPeriod.objects.filter(start__lte=today).order_by("-start", "label").first()


def own_scorecard_panels(user, *, today):
    """A liaison cadre's home-page card: their own scorecard of the current period, with a link to it."""
    if not user.is_liaison_cadre or user.region_id is None:
        return []
    period = current_period(today=today)
    if period is None:
        return []
    card = cards.scorecard_of(period, user, today=today)
    return [Panel("assessment/scorecards/_home_scorecard.html", {"period": period, "card": card})]
