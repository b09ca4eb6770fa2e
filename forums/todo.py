"""What forums add to the home page: for staff who hold forums, their region's current period (core.registry)."""

from core.registry import Panel

from .access import plans_forums
from .compliance import current_status


def home_panels(user, *, today):
    if not user.region_id or not plans_forums(user):
        return []
    return [Panel("forums/includes/home_status.html", {"status": current_status(user.region, today=today)})]
