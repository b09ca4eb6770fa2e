"""What changed, when and by whom: the enterprise page's change log (its timeline is enterprises.timeline)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from .models import Enterprise, Tag


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
