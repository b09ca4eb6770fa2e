"""Reads the forum pages and the forum exports share."""

from accounts.access import get_visible_or_404
from accounts.models import Region
from core.forms import FilterDateField, valid_choice

from .compliance import day_range
from .models import Forum, ForumStatus


def parse_date(value):
    """The day of a filter, or None when there is none or it is malformed (no such day, past the year 2999)."""
    return valid_choice(FilterDateField(required=False), value)


def visible_region(user, code):
    """The region of `code` if the user may see it; 404 otherwise."""
    return get_visible_or_404(Region.objects.select_related("parent"), user, code=code)


def filtered_forums(user, params):
    """The forums `user` may see, narrowed by the query string `params`: region (and below), dates, status.

    Returns (forums, criteria). A region the user may not see is a 404, as on the list page."""
    forums = Forum.objects.visible_to(user)
    criteria = {"region": None, "start": None, "end": None, "status": None}
    if params.get("region"):
        criteria["region"] = visible_region(user, params["region"])
        forums = forums.in_region(criteria["region"])
    criteria["start"], criteria["end"] = parse_date(params.get("start")), parse_date(params.get("end"))
    if criteria["start"]:
        forums = forums.filter(starts_at__gte=day_range(criteria["start"], criteria["start"])[0])
    if criteria["end"]:
        forums = forums.filter(starts_at__lt=day_range(criteria["end"], criteria["end"])[1])
    if params.get("status") in ForumStatus.values:
        criteria["status"] = ForumStatus(params["status"])
        forums = forums.filter(status=criteria["status"])
    return forums, criteria
