"""The daily forum reminders, every one through the notification layer under a unique key per official:

    forum-due:<region>:<period>:<N>d   the region's united-front staff, N days before a period with no
                                       forum held or planned ends (N from ForumCadence.lead_days)
    forum-missed:<above>:<period>      the staff of the region above, when a period ended with none held:
                                       one reminder naming every region below that held none
    forum-eve:<date>                   the creator, the invited officials and the officials of the organising
                                       departments, the day before planned forums: one naming them all
    forum-minutes:<date>               the creator and the host's staff, 3 days after forums of that date
                                       still planned: one naming them all

So an official gets at most one reminder of a kind a day (two only when a run catches up on missed days
of minutes). The key makes a second run (a retried task, a beat that fired twice, two at once) send
nothing new. A run is a fixed number of queries whatever the number of regions, forums or officials:
every reminder is written by one call of notifications.services.notify_many.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import Region, User
from accounts.services import staff_by_region
from core.periods import period_containing, previous_period
from notifications.channels import absolute_url
from notifications.services import Message, notify_many
from notifications.texts import Lines, Text

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
    regions = list(Region.objects.select_related("parent").order_by("code"))
    staff = staff_by_region()
    current = {region.code: period_containing(today, rules[region.level].months) for region in regions}
    previous = {code: previous_period(period) for code, period in current.items()}
    found = forums_by_region(
        current, min(period.start for period in previous.values()), max(period.end for period in current.values())
    )
    messages = []
    # The words are stored as messages, put into each reader's language when read (notifications.texts).
    missed = defaultdict(list)  # (region above, period) -> the regions below it that held none
    for region in regions:
        messages += _period_due(region, current[region.code], found[region.code], rules, staff, today=today)
        if _period_missed(region, previous[region.code], found[region.code], staff, today=today):
            missed[(region.parent_id, previous[region.code])].append(region)
    messages += _missed_messages(missed, staff)
    messages += _forum_eve(today=today)
    messages += _minutes_missing(staff, today=today)
    return notify_many(messages)


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
    title = Text(_("%(region)s has no forum held or planned for %(period)s"), **values)
    body = Text(_("The period ends on %(end)s, in %(days)d days. Plan the forum and record it once held."), **values)
    key = f"forum-due:{region.code}:{period.label}:{lead}d"
    return [Message(official, key, title, body, reverse("forums:create")) for official in recipients]


def _period_missed(region, period, forums, staff, *, today):
    """Whether the region above hears that `region` held no forum in the period just ended."""
    if region.parent_id is None or not staff.get(region.parent_id):
        return False
    if not period.has_ended(today=today) or (today - period.end).days > ESCALATION_WINDOW_DAYS:
        return False
    return period_state(period, forums, today=today).state != ComplianceState.HELD


def _missed_messages(missed, staff):
    """One reminder per office above and period, naming every region below it that held no forum."""
    messages = []
    for (parent_id, period), regions in missed.items():
        values = {"region": regions[0].full_name, "period": period.label, "end": period.end.isoformat(), "count": len(regions)}
        if len(regions) == 1:
            title = Text(_("%(region)s held no forum in %(period)s"), **values)
        else:
            title = Text(
                ngettext_lazy(
                    "%(count)d region held no forum in %(period)s", "%(count)d regions held no forum in %(period)s", "count"
                ),
                **values,
            )
        body = Text(_("The period ended on %(end)s without a forum recorded as held, with minutes and attendance."), **values)
        body = Lines(body, *(region.full_name for region in regions))
        key = f"forum-missed:{parent_id}:{period.label}"
        link = f"{reverse('forums:compliance')}?region={parent_id}"
        messages += [Message(official, key, title, body, link) for official in staff[parent_id]]
    return messages


def _forum_eve(*, today):
    """One reminder per official the day before their forums (usually one)."""
    tomorrow = today + timedelta(days=1)
    forums = (
        Forum.objects.filter(status=ForumStatus.PLANNED, starts_at__range=_range(tomorrow, tomorrow))
        .select_related("created_by", "region__parent")
        .prefetch_related(
            "invited_officials",
            Prefetch("organisers__officials", queryset=User.objects.filter(is_active=True), to_attr="active_officials"),
        )
        .order_by("starts_at", "pk")
    )
    by_official, officials = defaultdict(list), {}
    for forum in forums:
        recipients = {official for official in forum.invited_officials.all() if official.is_active}
        recipients.update(official for department in forum.organisers.all() for official in department.active_officials)
        if forum.created_by and forum.created_by.is_active:
            recipients.add(forum.created_by)
        for official in recipients:
            officials[official.pk] = official
            by_official[official.pk].append(forum)
    # The date in the key: a forum moved to another day is announced again the day before.
    key = f"forum-eve:{tomorrow.isoformat()}"
    messages = []
    for official_pk in sorted(by_official):
        held = by_official[official_pk]
        lines = [
            Text(
                _("%(region)s's forum takes place tomorrow at %(venue)s."),
                theme=forum.theme,
                venue=forum.venue,
                region=forum.region.full_name,
            )
            for forum in held
        ]
        if len(held) == 1:
            title = Text(_("Forum tomorrow: %(theme)s"), theme=held[0].theme)
            body, link = lines[0], reverse("forums:detail", args=[held[0].pk])
        else:
            title = Text(ngettext_lazy("%(count)d forum tomorrow", "%(count)d forums tomorrow", "count"), count=len(held))
            body = Lines(
                *(
                    Text("%(theme)s: %(line)s %(link)s", theme=forum.theme, line=line, link=_site_url(forum))
                    for forum, line in zip(held, lines, strict=True)
                )
            )
            link = reverse("forums:list")
        messages.append(Message(officials[official_pk], key, title, body, link))
    return messages


def _minutes_missing(staff, *, today):
    """One reminder per official and day the forums were planned for, naming those still not recorded as held."""
    last = today - timedelta(days=MINUTES_AFTER_DAYS)
    forums = (
        Forum.objects.filter(
            status=ForumStatus.PLANNED, starts_at__range=_range(last - timedelta(days=MINUTES_WINDOW_DAYS), last)
        )
        .select_related("created_by", "region")
        .order_by("starts_at", "pk")
    )
    by_official, officials = defaultdict(list), {}
    for forum in forums:
        recipients = set(staff.get(forum.region_id, []))
        if forum.created_by and forum.created_by.is_active:
            recipients.add(forum.created_by)
        for official in recipients:
            officials[official.pk] = official
            by_official[(official.pk, forum.starts_date)].append(forum)
    messages = []
    for (official_pk, day), missing in sorted(by_official.items(), key=lambda pair: pair[0]):
        values = {"theme": missing[0].theme, "date": day.isoformat(), "count": len(missing)}
        body = Text(
            _("The forum of %(date)s is not yet recorded as held. Record its minutes and attendance, or cancel it."), **values
        )
        if len(missing) == 1:
            title, link = Text(_("Minutes missing: %(theme)s"), **values), reverse("forums:detail", args=[missing[0].pk])
        else:
            title = Text(
                ngettext_lazy("Minutes missing for %(count)d forum", "Minutes missing for %(count)d forums", "count"), **values
            )
            body = Lines(body, *(f"{forum.theme} {_site_url(forum)}" for forum in missing))
            link = reverse("forums:list")
        # The day in the key: each forum is reminded once, with the others its official had planned that day.
        messages.append(Message(officials[official_pk], f"forum-minutes:{day.isoformat()}", title, body, link))
    return messages


def _site_url(forum):
    return absolute_url(reverse("forums:detail", args=[forum.pk]))


def _range(start, end):
    lower, upper = day_range(start, end)
    return (lower, upper - timedelta(microseconds=1))
