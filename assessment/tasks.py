"""The assessment's Celery tasks: thin wrappers that load by id and call assessment.figures.

- `refresh_open_periods`, nightly (beat): recompute every open period's figures and scores.
- `refresh_period_now`, on demand ("refresh now"): one period, reporting its progress through
  `assessment.progress`, so the page can show how far it has got.
- `write_bulletins`, monthly (beat, ASSESSMENT_BULLETIN_DAY): the progress bulletins of the province and
  each city (assessment.bulletins.services).
"""

from celery import shared_task
from django.utils import timezone

from . import figures, progress
from .bulletins import services as bulletin_services
from .models import AssessmentPeriod


@shared_task(name="assessment.tasks.refresh_open_periods")
def refresh_open_periods():
    """Recompute the open periods; closed ones are frozen and left alone. Province-wide on purpose."""
    today = timezone.localdate()
    for period in AssessmentPeriod.objects.open().filter(start__lte=today):
        figures.refresh_period(period, today=today)


@shared_task(name="assessment.tasks.refresh_period_now")
def refresh_period_now(period_id):
    period = AssessmentPeriod.objects.filter(pk=period_id).first()
    if period is None:
        return
    try:
        figures.refresh_period(period, progress=lambda done, steps: progress.report(period_id, done, steps))
    finally:
        progress.finish(period_id)


@shared_task(name="assessment.tasks.write_bulletins")
def write_bulletins():
    """Monthly (beat, on ASSESSMENT_BULLETIN_DAY): the progress bulletins of the province and each city,
    their staff notified. A second run in the same month writes and sends nothing new."""
    return len(bulletin_services.write_bulletins(today=timezone.localdate()))
