"""The problem pages' badges: `{% load problem_badges %}`. Colours come from core.traffic, never from
comparing state strings in a template."""

from django import template
from django.utils.dateformat import format as format_date
from django.utils.translation import pgettext

from core.templatetags.components import light_badge
from core.traffic import Light

register = template.Library()

# The test id of each light's badge; a problem on track shows its deadline only.
TESTIDS = {Light.OVERDUE: "deadline-overdue", Light.DUE_SOON: "deadline-due-soon", Light.ON_TRACK: ""}


@register.simple_tag
def deadline_badge(state, deadline):
    """A problem's deadline as a traffic light (`state` from problems.deadlines.deadline_state): "Overdue ·
    2026-10-09", "Due soon · 2026-10-09" or "Deadline 2026-10-09"; nothing when no clock runs."""
    if state in (None, ""):
        return ""
    light = Light(state)
    day = format_date(deadline, "Y-m-d")
    if light == Light.ON_TRACK:
        text = f"{pgettext('problem', 'Deadline')} {day}"
    else:
        text = f"{light.label} · {day}"
    return light_badge(light, text, TESTIDS[light])
