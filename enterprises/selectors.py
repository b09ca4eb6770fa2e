"""Reads the enterprise pages and the enterprise exports share."""

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Department, Region

from .forms import RosterChoicesForm
from .models import Enterprise, LiaisonAssignment


def enterprises_for_list(user):
    """Enterprises the user may see, with what a list row shows loaded in a fixed number of queries."""
    current = LiaisonAssignment.objects.current().select_related("official").order_by("level")
    return (
        Enterprise.objects.visible_to(user)
        .select_related("region__parent", "industry")
        .prefetch_related("tags", Prefetch("assignments", queryset=current, to_attr="current_liaisons"))
    )


def roster(user, params):
    """The liaison list a region or a department fixes, as of a date, read from the query string `params`.

    `region` (a code; the user's own region by default), `department` (an id, within the user's reach) and
    `on` (YYYY-MM-DD, today by default). A region or department the user may not see, or a malformed value,
    is ignored: the list stays inside the user's fence. Returns a dict: the choices, what was chosen, and
    `assignments`, ordered by liaison cadre.
    """
    choices = RosterChoicesForm(params)
    choices.is_valid()  # a malformed choice is left out of cleaned_data, and so ignored
    chosen = choices.cleaned_data
    regions = Region.objects.visible_to(user).select_related("parent")
    region = regions.filter(code=chosen.get("region") or user.region_id).first()
    departments = Department.objects.visible_to(user).select_related("region")
    department = departments.filter(pk=chosen["department"]).first() if chosen.get("department") else None
    on = chosen.get("on") or timezone.localdate()
    assignments = LiaisonAssignment.objects.visible_to(user).current(on=on)
    if department is not None:
        assignments = assignments.filter(department=department)
    elif region is not None:
        # The region's own liaisons: officials of that very region, for enterprises below it.
        assignments = assignments.filter(official__region=region)
    assignments = assignments.select_related(
        "official__region", "enterprise__region__parent", "enterprise__industry", "department"
    ).order_by("official__full_name", "official_id", "enterprise__name")
    return {
        "regions": regions,
        "region": region,
        "departments": departments.filter(region=region) if region else departments.none(),
        "department": department,
        "on": on,
        "assignments": assignments,
    }
