"""Writing the monthly progress bulletins (工作通报) and telling the staff of each region.

`write_bulletins(today=...)` is what the monthly task runs: for the open period that holds yesterday (the
last whole day a bulletin covers), it writes one bulletin for the province and one for each city, each
with its content (JSON), its .xlsx table and its .docx report, and notifies the region's united-front
staff under the key

    assessment-bulletin:<region>:<issue>     (issue: the month reported on, e.g. 2026-10)

A second run in the same month writes nothing new: a region's bulletin of an issue is written once (the
model's unique constraint, and a bulletin that exists is left as written) and the notification layer
sends each key once. Run on the 1st, a bulletin reports on the month just ended; on the 1st of January,
on the whole year just ended (while its period is still open for approval).
"""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, override

from accounts.models import Region, RegionLevel
from accounts.services import staff_by_region
from notifications.services import notify
from notifications.texts import Text

from ..figures import refresh_period
from ..models import AssessmentPeriod, Bulletin
from .exports import bulletin_heading, bulletin_report, bulletin_workbook
from .selectors import bulletin_content, bulletin_summary


def reported_day(today):
    """The last whole day a bulletin written `today` covers."""
    return today - timedelta(days=1)


def issue_of(day):
    return f"{day:%Y-%m}"


def period_to_report(day):
    """The open period that holds `day`: the longest one (a year before its halves), or None."""
    return AssessmentPeriod.objects.open().filter(start__lte=day, end__gte=day).order_by("start", "-end").first()


def bulletin_regions():
    """The regions that get a bulletin: the province and each city."""
    return list(Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY]).order_by("code"))


def _file_stem(region, issue):
    return f"bulletin-{region.code}-{issue}"


def write_bulletin(*, period, region, today):
    """The bulletin of `region` for the month before `today` in `period`: written now with its files, or the
    one already written for that month (left as it was). Returns (bulletin, written_now)."""
    day = reported_day(today)
    issue = issue_of(day)
    existing = Bulletin.objects.filter(region=region, issue=issue).first()
    if existing is not None:
        return existing, False
    as_of = period.as_of(day)
    content = {"issue": issue, **bulletin_content(period, region, as_of=as_of)}
    bulletin = Bulletin(period=period, region=region, issue=issue, as_of=as_of, content=content)
    stem = _file_stem(region, issue)
    try:
        with transaction.atomic():
            bulletin.workbook.save(f"{stem}.xlsx", ContentFile(bulletin_workbook(content)), save=False)
            bulletin.report.save(f"{stem}.docx", ContentFile(bulletin_report(content)), save=False)
            bulletin.save()
    except IntegrityError:
        # Written meanwhile by another run: that one stands; the files written here are dropped.
        bulletin.workbook.delete(save=False)
        bulletin.report.delete(save=False)
        return Bulletin.objects.get(region=region, issue=issue), False
    return bulletin, True


def notify_staff(bulletin, staff):
    """Tell the staff of the bulletin's region that it is out (once per region and issue)."""
    recipients = staff.get(bulletin.region_id) or []
    if not recipients:
        return []
    # The words are stored as messages, put into each reader's language when read (notifications.texts).
    return notify(
        recipients=recipients,
        key=f"assessment-bulletin:{bulletin.region_id}:{bulletin.issue}",
        title=bulletin_heading(bulletin.content),
        body=Text(
            gettext_lazy("Figures of the assessment period %(period)s as of %(as_of)s. %(summary)s"),
            period=bulletin.period.label,
            as_of=bulletin.as_of.isoformat(),
            summary=bulletin_summary(bulletin.content),
        ),
        link=reverse("assessment:bulletin_detail", args=[bulletin.pk]),
    )


def write_bulletins(*, today=None):
    """Write this month's bulletins of the province and every city and notify their staff. Returns the
    bulletins written now (none on a second run of the same month, or without an open period)."""
    today = today or timezone.localdate()
    period = period_to_report(reported_day(today))
    if period is None:
        return []
    if period.refreshed_at is None or timezone.localdate(period.refreshed_at) < today:
        refresh_period(period, today=reported_day(today))
        period.refresh_from_db()
    staff = staff_by_region()
    written = []
    for region in bulletin_regions():
        with override(settings.LANGUAGE_CODE):
            bulletin, now = write_bulletin(period=period, region=region, today=today)
        if now:
            written.append(bulletin)
        notify_staff(bulletin, staff)
    return written
