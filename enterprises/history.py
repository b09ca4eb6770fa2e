"""What changed, when and by whom: the enterprise page's change log and its timeline."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Enterprise, LiaisonAssignment, Tag


@dataclass
class Change:
    when: datetime
    who: object
    action: str
    fields: list  # of (label, old, new)


def _display(field, value, tag_names):
    if field.many_to_many:
        names = [tag_names.get(link["tag"], "?") for link in value or []]
        return "、".join(names) if names else "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if value in (None, ""):
        return "—"
    return value


def change_log(enterprise, *, limit=30):
    """The enterprise's recorded changes, newest first, each with the fields it changed and who made it."""
    records = list(enterprise.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    tag_names = dict(Tag.objects.values_list("pk", "name"))
    changes = []
    for index, newer in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        if newer.history_type == "+" or older is None:
            changes.append(Change(newer.history_date, newer.history_user, _("Created"), []))
            continue
        fields = []
        for delta in newer.diff_against(older, foreign_keys_are_objs=True).changes:
            field = Enterprise._meta.get_field(delta.field)
            fields.append((field.verbose_name, _display(field, delta.old, tag_names), _display(field, delta.new, tag_names)))
        if fields:
            changes.append(Change(newer.history_date, newer.history_user, _("Changed"), fields))
    return changes


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


# Later features (visits, problems, forums, cases) add their event sources here.
TIMELINE_SOURCES = [register_events, liaison_events]


def timeline(enterprise, *, limit=50):
    events = [event for source in TIMELINE_SOURCES for event in source(enterprise)]
    return sorted(events, key=lambda event: event.on, reverse=True)[:limit]
