"""The enterprise's timeline: what happened to it, gathered from every app's `timeline.py`.

Each app that has events about an enterprise defines `enterprise_events(enterprise)` in its own
`timeline.py` (core.registry finds them); this module contributes the register's own events and merges
them all, newest first.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import contributions

from .models import LiaisonAssignment


@dataclass
class TimelineEvent:
    on: date
    kind: str
    title: str
    detail: str = ""
    url: str = ""


def liaison_events(enterprise):
    assignments = LiaisonAssignment.objects.filter(enterprise=enterprise).select_related("official")
    for assignment in assignments:
        yield TimelineEvent(
            assignment.started_on,
            "liaison",
            _("%(name)s became the %(level)s liaison") % {"name": assignment.official, "level": assignment.get_level_display()},
            assignment.reason,
        )
        if assignment.ended_on:
            yield TimelineEvent(
                assignment.ended_on,
                "liaison-ended",
                _("%(name)s stopped liaising") % {"name": assignment.official},
                assignment.end_reason,
            )


def register_events(enterprise):
    yield TimelineEvent(timezone.localdate(enterprise.created_at), "registered", _("Entered in the register"))


def enterprise_events(enterprise):
    yield from register_events(enterprise)
    yield from liaison_events(enterprise)


def timeline(enterprise, *, limit=50):
    events = [event for source in contributions("timeline", "enterprise_events") for event in source(enterprise)]
    return sorted(events, key=lambda event: event.on, reverse=True)[:limit]
