"""The daily review reminders, every one through the notification layer under a unique key:

    review-due:<region>:<period>:<N>d   the region's united-front staff, N days before the due date of a
                                        review not yet handed in (N from ReviewCadence.lead_days)
    review-overdue:<region>:<period>    the region's staff and the staff of the region above, once the
                                        due date has passed without the review handed in

A period label names its cadence too (2026H1 is half-yearly, 2026 yearly). "Handed in" means submitted
or acknowledged: a draft, or a review returned for revision, still needs the region's work.

The key makes a second run (a retried task, a beat that fired twice, two workers racing) send nothing
new: the notification layer's unique (recipient, key) claims each reminder before it is sent. A run is a
fixed number of queries whatever the number of regions, plus the notification layer's own per notification.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Region
from accounts.services import staff_by_region
from notifications.services import notify

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
    created = []
    # A notification's text is stored, not translated when read: write it in the portal's language.
    with override(settings.LANGUAGE_CODE):
        for cadence, period in due:
            for region in regions:
                if (region.code, period.label) in handed_in:
                    continue
                created += _remind(region, cadence, period, staff, today=today)
    return created


def _remind(region, cadence, period, staff, *, today):
    due_on = cadence.due_on(period)
    values = {"region": region.full_name, "kind": cadence.name, "period": period.label, "due": due_on.isoformat()}
    if due_on >= today:
        recipients = staff.get(region.code)
        days_left = (due_on - today).days
        # Only the nearest lead time passed: a run that missed the 14-day day still sends one reminder.
        passed = [lead for lead in cadence.lead_days_list if days_left <= lead]
        if not recipients or not passed:
            return []
        return notify(
            recipients=recipients,
            key=f"review-due:{region.code}:{period.label}:{min(passed)}d",
            title=_("The %(kind)s review of %(region)s for %(period)s is due on %(due)s") % values,
            body=_("Write the review, with its good practices, and submit it to the region above by %(due)s.") % values,
            link=reverse("reviews:create"),
        )
    recipients = staff.get(region.code, []) + (staff.get(region.parent_id, []) if region.parent_id else [])
    return notify(
        recipients=recipients,
        key=f"review-overdue:{region.code}:{period.label}",
        title=_("The %(kind)s review of %(region)s for %(period)s is overdue") % values,
        body=_("It was due on %(due)s and has not been submitted.") % values,
        link=f"{reverse('reviews:list')}?{urlencode({'region': region.code})}",
    )
