"""Problems on an enterprise's timeline: raised, and the milestones of their handling."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.timeline import TimelineEvent

from .models import EventKind, ProblemEvent

# Progress notes and corrections stay on the problem's own page; the enterprise's timeline shows steps.
MILESTONES = [
    EventKind.RAISED,
    EventKind.ASSIGNED,
    EventKind.REFERRED,
    EventKind.ESCALATED,
    EventKind.DECIDED,
    EventKind.EXPLAINED,
    EventKind.SOLVED,
    EventKind.VERDICT,
    EventKind.CLOSED,
    EventKind.REOPENED,
]


def enterprise_events(enterprise):
    events = (
        ProblemEvent.objects.filter(problem__enterprise=enterprise, kind__in=MILESTONES)
        .select_related("problem__category")
        .order_by("at", "id")
    )
    for event in events:
        problem = event.problem
        yield TimelineEvent(
            timezone.localdate(event.at),
            f"problem-{event.kind}",
            _("Problem (%(category)s): %(step)s") % {"category": problem.category, "step": event.get_kind_display()},
            event.note or (problem.description if event.kind == EventKind.RAISED else ""),
            reverse("problems:detail", args=[problem.pk]),
        )
