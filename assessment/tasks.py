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


# Safe to run again after its worker died: a refresh computes first, then replaces a period's stored figures
# in one transaction, so a run cut short leaves the previous figures and a second one writes the same.
@shared_task(name="assessment.tasks.refresh_open_periods", acks_late=True, reject_on_worker_lost=True)
def refresh_open_periods():
    """Recompute the open periods; closed ones are frozen and left alone. Province-wide on purpose."""
    today = timezone.localdate()
    for period in AssessmentPeriod.objects.open().filter(start__lte=today):
        figures.refresh_period(period, today=today)


# Safe to run again, as the nightly refresh.
@shared_task(name="assessment.tasks.refresh_period_now", acks_late=True, reject_on_worker_lost=True)
def refresh_period_now(period_id):
    period = AssessmentPeriod.objects.filter(pk=period_id).first()
    if period is None:
        return
    try:
        figures.refresh_period(period, progress=lambda done, steps: progress.report(period_id, done, steps))
    finally:
        progress.finish(period_id)


# Safe to run again after its worker died: a region's bulletin is written once per issue (unique), and its
# staff are told once (the key names the region and issue); a second run writes the regions the first missed.
@shared_task(name="assessment.tasks.write_bulletins", acks_late=True, reject_on_worker_lost=True)
def write_bulletins():
    """Monthly (beat, on ASSESSMENT_BULLETIN_DAY): the progress bulletins of the province and each city,
    their staff notified. A second run in the same month writes and sends nothing new."""
    return len(bulletin_services.write_bulletins(today=timezone.localdate()))
