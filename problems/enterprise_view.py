"""A problem as the enterprise that raised it sees it, behind its door: its state and its timeline in
words written for the enterprise.

The timeline is built from the problem's own events (ProblemEvent), each kind mapped to what the
enterprise may know: when its demand was received and by which office, which department deals with it
(the department's name only) and by when, what more information it was asked for and what it answered,
the result or the explanation it is asked to judge, its verdict and the closing. Nothing else is read:
never an event's actor, an internal progress note, a return's reason or basis, an escalation's
justification, the province's decision or an edit (EventKind.NOTE, RETURNED, ESCALATED, DECIDED and
EDITED show their step without their text).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import EventKind, ProblemStatus, VerdictChoice

# What the enterprise reads as the state of its demand.
ENTERPRISE_STATES = {
    ProblemStatus.NEW: gettext_lazy("Received"),
    ProblemStatus.RETURNED: gettext_lazy("Being handled"),
    ProblemStatus.REOPENED: gettext_lazy("Being looked at again"),
    ProblemStatus.IN_PROGRESS: gettext_lazy("Being handled"),
    ProblemStatus.WAITING: gettext_lazy("Waiting for your information"),
    ProblemStatus.REFERRED: gettext_lazy("Being handled"),
    ProblemStatus.ESCALATED: gettext_lazy("With the province"),
    ProblemStatus.SOLVED: gettext_lazy("Solved: awaiting your verdict"),
    ProblemStatus.EXPLAINED: gettext_lazy("Explained: awaiting your verdict"),
    ProblemStatus.CLOSED: gettext_lazy("Closed"),
}


def enterprise_state(problem):
    return ENTERPRISE_STATES[problem.status]


@dataclass(frozen=True)
class EnterpriseStep:
    """One step of the timeline as the enterprise reads it: `text` is the enterprise's own words or
    what was written for it (the information asked for, the result, the explanation), never a note."""

    at: datetime
    title: str
    text: str = ""
    deadline: date | None = None
    files: tuple = ()


def _department(event):
    return event.to_department.name if event.to_department_id else ""


def _step(event):
    kind = event.kind
    department = _department(event)
    if kind == EventKind.RAISED:
        office = event.to_region.united_front_office if event.to_region_id else ""
        # The photos and documents the enterprise sent with its demand (raised by no official: it acted).
        files = _files(event) if event.actor_id is None else ()
        return EnterpriseStep(
            event.at, _("Received by %(office)s") % {"office": office} if office else _("Received"), files=files
        )
    if kind == EventKind.ASSIGNED:
        return EnterpriseStep(
            event.at, _("Being handled by %(department)s") % {"department": department}, deadline=event.deadline
        )
    if kind == EventKind.REFERRED:
        return EnterpriseStep(event.at, _("Passed to %(department)s") % {"department": department}, deadline=event.deadline)
    if kind == EventKind.SIGNED:
        return EnterpriseStep(event.at, _("Accepted by %(department)s") % {"department": department})
    if kind == EventKind.RETURNED:
        return EnterpriseStep(event.at, _("Being passed to the department in charge"))
    if kind == EventKind.ESCALATED:
        return EnterpriseStep(event.at, _("Reported to the province to coordinate"))
    if kind == EventKind.DECIDED:
        return EnterpriseStep(
            event.at,
            _("The province decided: being handled by %(department)s") % {"department": department},
            deadline=event.deadline,
        )
    if kind == EventKind.PAUSED:
        return EnterpriseStep(event.at, _("More information asked of you"), text=event.note)
    if kind == EventKind.RESUMED:
        if event.actor_id is None:
            return EnterpriseStep(event.at, _("Your answer"), text=event.note, deadline=event.deadline, files=_files(event))
        return EnterpriseStep(event.at, _("Work resumed"), deadline=event.deadline)
    if kind == EventKind.SOLVED:
        return EnterpriseStep(event.at, _("Solved: the result"), text=event.note)
    if kind == EventKind.EXPLAINED:
        return EnterpriseStep(event.at, _("Cannot be done: the explanation"), text=event.note)
    if kind == EventKind.VERDICT:
        return EnterpriseStep(event.at, _("Your verdict: %(verdict)s") % {"verdict": VerdictChoice(event.verdict).label})
    if kind == EventKind.CLOSED:
        return EnterpriseStep(event.at, _("Closed"))
    if kind == EventKind.REOPENED:
        return EnterpriseStep(event.at, _("Reopened, to be looked at again"))
    return None  # EDITED, NOTE: internal


def _files(event):
    return tuple(attachment.original_name for attachment in event.attachments.all())


def timeline_for_enterprise(problem):
    """The problem's steps as the enterprise reads them, oldest first, in a fixed number of queries (the
    events with their regions and departments, and the attachments' names)."""
    events = (
        problem.events.select_related("to_region__parent", "to_department").prefetch_related("attachments").order_by("at", "pk")
    )
    return [step for step in (_step(event) for event in events) if step is not None]
