"""The weekly digest: each cadre hears, once per ISO week, which of their enterprises are overdue or due soon."""

from collections import defaultdict

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.roles import Role
from core.traffic import Light
from enterprises.models import LiaisonAssignment
from notifications.services import Message, notify_many
from notifications.texts import Lines, Text

from .cadence import Plan

DIGEST_ENTERPRISES_LIMIT = 5


def digest_key(official, *, today):
    iso_year, iso_week, _weekday = today.isocalendar()
    return f"visit-digest:{official.pk}:{iso_year}-W{iso_week:02d}"


def digest_text(items, *, overdue, due_soon):
    """The title and body of one cadre's digest: their counts, and their first items (most urgent first)."""
    title = Text(_("Visits to make: %(overdue)d overdue, %(due_soon)d due soon"), overdue=overdue, due_soon=due_soon)
    lines = []
    for item in items[:DIGEST_ENTERPRISES_LIMIT]:
        values = {"enterprise": item.enterprise.name, "due": item.due_on.isoformat()}
        if item.state == Light.OVERDUE:
            lines.append(Text(_("%(enterprise)s: overdue since %(due)s"), **values))
        else:
            lines.append(Text(_("%(enterprise)s: due by %(due)s"), **values))
    more = overdue + due_soon - DIGEST_ENTERPRISES_LIMIT
    if more > 0:
        lines.append(Text(ngettext_lazy("and %(count)d more enterprise", "and %(count)d more enterprises", "count"), count=more))
    return title, Lines(*lines)


def send_weekly_digests(*, today):
    """Tell each active cadre with overdue or due-soon visits which ones, once per ISO week.

    The notification key names the cadre and the week, so a second run in the same week (a retried
    task, a beat that fired twice) creates nothing new. Returns the notifications created.
    """
    # Every region at once: the digest goes to each cadre about their own enterprises only.
    assignments = LiaisonAssignment.objects.filter(official__is_active=True, official__groups__name=Role.CADRE)
    plan = Plan(assignments, today=today)
    pending = plan.pending()
    # Two queries for every cadre at once: the counts per cadre, and each cadre's first few items.
    counts = {
        row["official_id"]: row
        for row in pending.order_by()
        .values("official_id")
        .annotate(
            overdue=Count("pk", filter=plan.state_filter(Light.OVERDUE)),
            due_soon=Count("pk", filter=plan.state_filter(Light.DUE_SOON)),
        )
    }
    first = pending.annotate(rank=Window(RowNumber(), partition_by=F("official_id"), order_by=plan.order())).filter(
        rank__lte=DIGEST_ENTERPRISES_LIMIT
    )
    by_official = defaultdict(list)
    for item in plan.items(first.select_related("enterprise", "official")):
        by_official[item.assignment.official].append(item)
    link = reverse("visits:due") + "?mine=1"
    messages = []
    # The words are stored as messages, put into each reader's language when read (notifications.texts).
    for official, items in sorted(by_official.items(), key=lambda pair: pair[0].pk):
        total = counts[official.pk]
        title, body = digest_text(items, overdue=total["overdue"], due_soon=total["due_soon"])
        messages.append(Message(official, digest_key(official, today=today), title, body, link))
    # Every cadre's digest in one bulk write: a fixed number of queries however many cadres.
    return notify_many(messages)
