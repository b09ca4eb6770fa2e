"""The daily review reminders, every one through the notification layer under a unique key:

    review-due:<region>:<period>:<N>d   the region's united-front staff, N days before the due date of a
                                        review not yet handed in (N from ReviewCadence.lead_days)
    review-overdue:<office>:<period>    the region's staff and the staff of the region above, once the
                                        due date has passed without the review handed in: one reminder
                                        per office and period, naming its own review and those below it

A period label names its cadence too (2026H1 is half-yearly, 2026 yearly). "Handed in" means submitted
or acknowledged: a draft, or a review returned for revision, still needs the region's work.

The key makes a second run (a retried task, a beat that fired twice, two workers racing) send nothing
new: the notification layer's unique (recipient, key) claims each reminder before it is sent. A run is a
fixed number of queries whatever the number of regions or officials: every reminder is written by one call
of notifications.services.notify_many, so an office hears of all its late reviews of a period at once.
"""

from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import Region
from accounts.services import staff_by_region
from notifications.services import Message, notify_many
from notifications.texts import Lines, Text

from .models import Review
from .periods import active_cadences, periods_due_between

# Overdue reminders a run missed (a worker down for a few days) are still sent within this window, while
# a first deployment does not remind regions of periods that fell due long ago.
OVERDUE_WINDOW_DAYS = 14


def send_review_reminders(*, today):
    """Send the day's review reminders; returns the notifications created now."""
    # Works across every region at once: each reminder goes to the staff of the region concerned.
    cadences = active_cadences()
    due = []  # (cadence, period) whose due date is near or just past
    for cadence in cadences:
        lead = max(cadence.lead_days_list, default=0)
        first, last = today - timedelta(days=OVERDUE_WINDOW_DAYS), today + timedelta(days=lead)
        due += [(cadence, period) for period in periods_due_between(cadence, cadences, first=first, last=last)]
    if not due:
        return []
    regions = list(Region.objects.select_related("parent").order_by("code"))
    staff = staff_by_region()
    handed_in = set(
        Review.objects.handed_in()
        .filter(period_label__in={period.label for _cadence, period in due}, cadence__in=cadences)
        .values_list("region_id", "period_label")
    )
    messages, overdue = [], defaultdict(list)  # (recipient region, period) -> [(region, cadence)] overdue
    # The words are stored as messages, put into each reader's language when read (notifications.texts).
    for cadence, period in due:
        due_on = cadence.due_on(period)
        for region in regions:
            if (region.code, period.label) in handed_in:
                continue
            if due_on >= today:
                messages += _due(region, cadence, period, staff, today=today)
            else:
                # The region's own staff and the staff of the region above hear of it.
                for office in (region.code, region.parent_id):
                    if office and staff.get(office):
                        overdue[(office, period)].append((region, cadence))
    for (office, period), late in overdue.items():
        messages += _overdue(office, period, late, staff)
    return notify_many(messages)


def _due(region, cadence, period, staff, *, today):
    due_on = cadence.due_on(period)
    values = {"region": region.full_name, "kind": cadence.name, "period": period.label, "due": due_on.isoformat()}
    recipients = staff.get(region.code)
    days_left = (due_on - today).days
    # Only the nearest lead time passed: a run that missed the 14-day day still sends one reminder.
    passed = [lead for lead in cadence.lead_days_list if days_left <= lead]
    if not recipients or not passed:
        return []
    key = f"review-due:{region.code}:{period.label}:{min(passed)}d"
    title = Text(_("The %(kind)s review of %(region)s for %(period)s is due on %(due)s"), **values)
    body = Text(_("Write the review, with its good practices, and submit it to the region above by %(due)s."), **values)
    return [Message(official, key, title, body, reverse("reviews:create")) for official in recipients]


def _overdue(office, period, late, staff):
    """One reminder per office and period, naming its own review and those of the regions below it that are late."""
    lines = []
    for region, cadence in late:
        due_on = cadence.due_on(period)
        values = {"region": region.full_name, "kind": cadence.name, "period": period.label, "due": due_on.isoformat()}
        lines.append((Text(_("The %(kind)s review of %(region)s for %(period)s is overdue"), **values), values))
    if len(late) == 1:
        title, values = lines[0]
        body = Text(_("It was due on %(due)s and has not been submitted."), **values)
        region_code = late[0][0].code
    else:
        title = Text(
            ngettext_lazy("%(count)d review for %(period)s is overdue", "%(count)d reviews for %(period)s are overdue", "count"),
            count=len(late),
            period=period.label,
        )
        body = Lines(
            *(
                Text("%(line)s (%(note)s)", line=line, note=Text(_("It was due on %(due)s and has not been submitted."), **due))
                for line, due in lines
            )
        )
        region_code = office
    link = f"{reverse('reviews:list')}?{urlencode({'region': region_code})}"
    return [Message(official, f"review-overdue:{office}:{period.label}", title, body, link) for official in staff[office]]
