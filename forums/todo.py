"""What forums add to the home page: for staff who hold forums, their region's current period (core.registry)."""

from core.registry import Panel

from .compliance import current_status


def home_panels(user, *, today):
    if not user.region_id or not user.has_perm("forums.add_forum"):
        return []
    return [Panel("forums/includes/home_status.html", {"status": current_status(user.region, today=today)})]
