"""`{% plan_mark mark %}`: one date of a cadre's plan for the year, as a badge.

Written in Python rather than with an included template: a plan holds hundreds of marks, each shown twice
(the table on a desk, the list on a phone), and an include per mark cost a plan page 70 ms.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def plan_mark(mark, short=False):
    """The mark's badge: its colour and icon from `mark.look`, its date as the day of the month (`short`, in
    the table's month columns) or as month-day."""
    look = mark.look
    icon = format_html('<i class="bi bi-{}"></i> ', look.icon) if look.icon else ""
    return format_html(
        '<span class="badge text-bg-{}{}" data-mark="{}" title="{} {}">{}{}</span>',
        look.colour,
        " border" if look.outlined else "",
        look.name,
        look.title,
        mark.iso,
        icon,
        mark.day.day if short else mark.month_day,
    )
