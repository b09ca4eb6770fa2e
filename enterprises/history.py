"""What changed, when and by whom: the enterprise page's change log (its timeline is enterprises.timeline)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from .models import Enterprise, Tag


@dataclass
class Change:
    when: datetime
    who: object
    action: str
    fields: list  # of (label, old, new)


# One save writes several history records: the enterprise's row, then its tags (a many-to-many is written
# after the row, and replacing tags removes the old ones before adding the new). The tags' records that
# follow a save this closely, by the same official, are part of it: the log shows the state before the
# save and after it, so a new enterprise is "created" with its tags, and a change of tags reads "A → B"
# rather than "A → —" then "— → B".
ONE_SAVE = timedelta(seconds=10)


def _tag_name(tag, tag_names):
    """A link's tag: an object when the diff resolves foreign keys, its key otherwise; "—" when deleted since."""
    if isinstance(tag, Tag):
        return tag.name
    return tag_names.get(getattr(tag, "pk", tag), "—")


def _display(field, value, tag_names):
    if field.many_to_many:
        names = sorted(_tag_name(link["tag"], tag_names) for link in value or [])
        return "、".join(names) if names else "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if value in (None, ""):
        return "—"
    return value


def _deltas(newer, older):
    diff = newer.diff_against(older, foreign_keys_are_objs=True)
    return [(Enterprise._meta.get_field(delta.field), delta) for delta in diff.changes]


def _saves(records):
    """The records grouped by save, oldest first: a record that changes many-to-many fields only (the tags)
    right after the previous one, by the same official, belongs to that one's save (a save of the row
    itself is recorded even when nothing changed, so it starts a group of its own)."""
    groups = []
    for record in records:
        if groups:
            last = groups[-1][-1]
            deltas = _deltas(record, last)
            if (
                record.history_user_id == last.history_user_id
                and record.history_date - last.history_date <= ONE_SAVE
                and deltas
                and all(field.many_to_many for field, _delta in deltas)
            ):
                groups[-1].append(record)
                continue
        groups.append([record])
    return groups


def change_log(enterprise, *, limit=30):
    """The enterprise's recorded changes, newest first, each with the fields it changed and who made it."""
    newest_first = enterprise.history.select_related("history_user").order_by("-history_date", "-history_id")
    window = limit * 2 + 1  # a save is one record, or a few with its tags
    records = list(reversed(newest_first[:window]))
    # With more history than the window, its oldest save is only what the next one is compared with.
    complete = len(records) < window
    tag_names = dict(Tag.objects.values_list("pk", "name"))
    changes = []
    groups = _saves(records)
    for index, group in enumerate(groups):
        first, last = group[0], group[-1]
        if first.history_type == "+" or index == 0:
            if complete or first.history_type == "+":
                changes.append(Change(last.history_date, last.history_user, _("Created"), []))
            continue
        fields = [
            (field.verbose_name, _display(field, delta.old, tag_names), _display(field, delta.new, tag_names))
            for field, delta in _deltas(last, groups[index - 1][-1])
        ]
        if fields:
            changes.append(Change(last.history_date, last.history_user, _("Changed"), fields))
    return list(reversed(changes))[:limit]
