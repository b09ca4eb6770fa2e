"""The daily forum reminders, every one through the notification layer under a unique key:

    forum-due:<region>:<period>:<N>d   the region's united-front staff, N days before a period with no
                                       forum held or planned ends (N from ForumCadence.lead_days)
    forum-missed:<region>:<period>     the staff of the region above, when a period ended with none held
    forum-eve:<forum>:<date>           the creator, the invited officials and the officials of the organising
                                       departments, the day before a planned forum
    forum-minutes:<forum>              the creator and the host's staff, 3 days after a forum still planned

The key makes a second run (a retried task, a beat that fired twice) send nothing new. A run is a fixed
number of queries whatever the number of regions, plus the notification layer's own per notification.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Region, User
from accounts.services import staff_by_region
from core.periods import period_containing, previous_period
from notifications.services import notify

from .cadence import cadences
from .compliance import ComplianceState, day_range, forums_by_region, period_state
from .models import Forum, ForumStatus

MINUTES_AFTER_DAYS = 3
# Reminders a run missed (a worker down for a few days) are still sent within these windows, while a
# first deployment does not escalate periods that ended long ago.
ESCALATION_WINDOW_DAYS = 7
MINUTES_WINDOW_DAYS = 30


def send_forum_reminders(*, today):
    """Send the day's forum reminders; returns the notifications created now."""
    # Works across every region at once: each reminder goes to the staff of the region concerned.
    rules = cadences()
    regions = list(Region.objects.order_by("code"))
    staff = staff_by_region()
    current = {region.code: period_containing(today, rules[region.level].months) for region in regions}
    previous = {code: previous_period(period) for code, period in current.items()}
    found = forums_by_region(
        current, min(period.start for period in previous.values()), max(period.end for period in current.values())
    )
    created = []
    # A notification's text is stored, not translated when read: write it in the portal's language.
    with override(settings.LANGUAGE_CODE):
        for region in regions:
            created += _period_due(region, current[region.code], found[region.code], rules, staff, today=today)
            created += _period_missed(region, previous[region.code], found[region.code], staff, today=today)
        created += _forum_eve(today=today)
        created += _minutes_missing(staff, today=today)
    return created


def _period_due(region, period, forums, rules, staff, *, today):
    recipients = staff.get(region.code)
    if not recipients:
        return []
    if period_state(period, forums, today=today).state != ComplianceState.MISSING:
        return []
    days_left = period.days_left(today=today)
    # Only the nearest lead time passed: a run that missed the 30-day day still sends one reminder.
    passed = [lead for lead in rules[region.level].lead_days_list if days_left <= lead]
    if not passed:
        return []
    lead = min(passed)
    values = {"region": region.full_name, "period": period.label, "end": period.end.isoformat(), "days": days_left}
    return notify(
        recipients=recipients,
        key=f"forum-due:{region.code}:{period.label}:{lead}d",
        title=_("%(region)s has no forum held or planned for %(period)s") % values,
        body=_("The period ends on %(end)s, in %(days)d days. Plan the forum and record it once held.") % values,
        link=reverse("forums:create"),
    )


def _period_missed(region, period, forums, staff, *, today):
    if region.parent_id is None or not staff.get(region.parent_id):
        return []
    if not period.has_ended(today=today) or (today - period.end).days > ESCALATION_WINDOW_DAYS:
        return []
    if period_state(period, forums, today=today).state == ComplianceState.HELD:
        return []
    values = {"region": region.full_name, "period": period.label, "end": period.end.isoformat()}
    return notify(
        recipients=staff[region.parent_id],
        key=f"forum-missed:{region.code}:{period.label}",
        title=_("%(region)s held no forum in %(period)s") % values,
        body=_("The period ended on %(end)s without a forum recorded as held, with minutes and attendance.") % values,
        link=f"{reverse('forums:compliance')}?region={region.parent_id}",
    )


def _forum_eve(*, today):
    tomorrow = today + timedelta(days=1)
    forums = (
        Forum.objects.filter(status=ForumStatus.PLANNED, starts_at__range=_range(tomorrow, tomorrow))
        .select_related("created_by", "region")
        .prefetch_related(
            "invited_officials",
            Prefetch("organisers__officials", queryset=User.objects.filter(is_active=True), to_attr="active_officials"),
        )
        .order_by("pk")
    )
    created = []
    for forum in forums:
        recipients = {official for official in forum.invited_officials.all() if official.is_active}
        recipients.update(official for department in forum.organisers.all() for official in department.active_officials)
        if forum.created_by and forum.created_by.is_active:
            recipients.add(forum.created_by)
        values = {"theme": forum.theme, "venue": forum.venue, "region": forum.region.full_name}
        created += notify(
            recipients=sorted(recipients, key=lambda official: official.pk),
            # The date in the key: a forum moved to another day is announced again the day before.
            key=f"forum-eve:{forum.pk}:{tomorrow.isoformat()}",
            title=_("Forum tomorrow: %(theme)s") % values,
            body=_("%(region)s's forum takes place tomorrow at %(venue)s.") % values,
            link=reverse("forums:detail", args=[forum.pk]),
        )
    return created


def _minutes_missing(staff, *, today):
    last = today - timedelta(days=MINUTES_AFTER_DAYS)
    forums = (
        Forum.objects.filter(
            status=ForumStatus.PLANNED, starts_at__range=_range(last - timedelta(days=MINUTES_WINDOW_DAYS), last)
        )
        .select_related("created_by", "region")
        .order_by("pk")
    )
    created = []
    for forum in forums:
        recipients = set(staff.get(forum.region_id, []))
        if forum.created_by and forum.created_by.is_active:
            recipients.add(forum.created_by)
        values = {"theme": forum.theme, "date": forum.starts_date.isoformat()}
        created += notify(
            recipients=sorted(recipients, key=lambda official: official.pk),
            key=f"forum-minutes:{forum.pk}",
            title=_("Minutes missing: %(theme)s") % values,
            body=_("The forum of %(date)s is not yet recorded as held. Record its minutes and attendance, or cancel it.")
            % values,
            link=reverse("forums:detail", args=[forum.pk]),
        )
    return created


def _range(start, end):
    lower, upper = day_range(start, end)
    return (lower, upper - timedelta(microseconds=1))
