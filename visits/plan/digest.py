"""The weekly digest: each cadre hears, once per ISO week, which of their enterprises are overdue or due soon."""

from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from accounts.roles import Role
from core.traffic import Light
from enterprises.models import LiaisonAssignment
from notifications.services import notify

from .cadence import visit_plan

DIGEST_ENTERPRISES_LIMIT = 5


def digest_key(official, *, today):
    iso_year, iso_week, _weekday = today.isocalendar()
    return f"visit-digest:{official.pk}:{iso_year}-W{iso_week:02d}"


def digest_text(items):
    """The title and body of one cadre's digest."""
    overdue = sum(item.state == Light.OVERDUE for item in items)
    due_soon = len(items) - overdue
    title = _("Visits to make: %(overdue)d overdue, %(due_soon)d due soon") % {"overdue": overdue, "due_soon": due_soon}
    lines = []
    for item in items[:DIGEST_ENTERPRISES_LIMIT]:
        values = {"enterprise": item.enterprise.name, "due": item.due_on.isoformat()}
        if item.state == Light.OVERDUE:
            lines.append(_("%(enterprise)s: overdue since %(due)s") % values)
        else:
            lines.append(_("%(enterprise)s: due by %(due)s") % values)
    more = len(items) - DIGEST_ENTERPRISES_LIMIT
    if more > 0:
        lines.append(ngettext("and %(count)d more enterprise", "and %(count)d more enterprises", more) % {"count": more})
    return title, "\n".join(lines)


def send_weekly_digests(*, today):
    """Tell each active cadre with overdue or due-soon visits which ones, once per ISO week.

    The notification key names the cadre and the week, so a second run in the same week (a retried
    task, a beat that fired twice) creates nothing new. Returns the notifications created.
    """
    # Every region at once: the digest goes to each cadre about their own enterprises only.
    assignments = LiaisonAssignment.objects.current(on=today).filter(official__is_active=True, official__groups__name=Role.CADRE)
    by_official = defaultdict(list)
    for item in visit_plan(assignments.select_related("official"), today=today):
        if item.is_pending:
            by_official[item.assignment.official].append(item)
    link = reverse("visits:due") + "?mine=1"
    created = []
    # A notification's text is stored, not translated when read: write it in the portal's language.
    with override(settings.LANGUAGE_CODE):
        for official, items in sorted(by_official.items(), key=lambda pair: pair[0].pk):
            title, body = digest_text(items)
            created += notify(recipients=[official], key=digest_key(official, today=today), title=title, body=body, link=link)
    return created
