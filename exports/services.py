"""Export jobs: asking for one (or joining the same one already being written), writing it in a worker,
and removing old files.

A job is claimed by a conditional update before it is written, so a task delivered twice writes once;
its progress is written down after every chunk by another conditional update, which also tells the
worker to stop when the job was given up meanwhile (see `remove_old_exports`). A file is only offered once
written in full: the job turns `done` in the same update that names its file.
"""

import hashlib
import json
import logging
import tempfile
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.replica import read_state, reading_from_replica
from notifications.services import notify
from notifications.texts import Text

from .kinds import find_export
from .models import ExportJob, ExportStatus
from .writing import write_workbook

logger = logging.getLogger(__name__)

# A job neither finished nor moving for this long was lost (a worker killed mid-way): it is given up, so
# that asking for the same export again starts a new one.
STALE_AFTER = timedelta(hours=6)
# Query-string keys that do not change what is exported (the list's page number).
IGNORED_PARAMS = frozenset({"page"})


class ExportRefused(Exception):
    """The export cannot be written; the message says why, in the reader's language."""


class ExportGivenUp(Exception):
    """The job was marked failed while the worker wrote it: stop, and offer nothing."""


def normalised_params(query):
    """The filters of a query string as a JSON-able dict: sorted, without empty values or the page number."""
    params = {}
    for key in sorted(query):
        values = sorted(value for value in query.getlist(key) if value != "")
        if values and key not in IGNORED_PARAMS:
            params[key] = values
    return params


def fingerprint(*, owner, kind, params, language):
    text = json.dumps([owner.pk, kind, language, params], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def request_export(*, owner, export, query, language):
    """The job writing `export` for `owner` with the filters of `query`: the one already queued or running
    for the same export (a second click, another tab), or a new one handed to a worker once committed.

    Returns (job, created).
    """
    params = normalised_params(query)
    key = fingerprint(owner=owner, kind=export.kind, params=params, language=language)
    _give_up_stale(ExportJob.objects.unfinished().filter(fingerprint=key))
    for _attempt in range(3):
        try:
            # Looked up inside the transaction, so on the primary database (never on a lagging replica).
            with transaction.atomic():
                existing = _unfinished_job(key)
                if existing is not None:
                    return existing, False
                job = ExportJob.objects.create(owner=owner, kind=export.kind, params=params, fingerprint=key, language=language)
        except IntegrityError:
            continue  # another request made the same job a moment ago: join that one
        transaction.on_commit(partial(_enqueue, job.pk, language))
        return job, True
    raise RuntimeError(f"could not create or join the export {key}")


def _unfinished_job(key):
    return ExportJob.objects.unfinished().filter(fingerprint=key).first()


def _enqueue(job_id, language):
    from .tasks import write_export

    try:
        write_export.delay(job_id)
    except Exception:
        # The broker is down: say so on the job's page rather than leave it waiting forever.
        logger.warning("Broker unavailable; export %s not queued", job_id, exc_info=True)
        with translation.override(language):
            message = _("The task queue is not available: nothing was exported. Try again in a few minutes.")
        _fail(job_id, message, statuses=[ExportStatus.QUEUED])


def _fail(job_id, message, *, statuses=(ExportStatus.RUNNING,)):
    return ExportJob.objects.filter(pk=job_id, status__in=statuses).update(
        status=ExportStatus.FAILED, error=message, finished_at=timezone.now()
    )


def run_export_job(job_id):
    """Write a queued export, once: the job is claimed first, so a second worker skips it.

    Works for the job's owner, inside their region: the export's `records` fence every row to that official.
    """
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            _write(job)
        except ExportGivenUp:
            return job
        except ExportRefused as refusal:
            _fail(job.pk, str(refusal))
        except Exception:
            logger.exception("Export %s failed", job.pk)
            _fail(job.pk, _("The export could not be written. Try again; if it fails again, tell the administrators."))
        job.refresh_from_db()
        _notify_owner(job)
    return job


def _write(job):
    export = find_export(job.kind)
    if export is None:
        raise ExportRefused(_("This kind of export no longer exists."))
    if not job.owner.is_active or not job.owner.has_perm(export.permission):
        raise ExportRefused(_("You may no longer export this list."))
    # The export's reads may go to the read replica (core.replica); the job's own writes go outside that
    # opt-in, so that they do not send the rest of the export's reads to the primary.
    try:
        with reading_from_replica():
            records = export.records(job.owner, job.query())
            total = records.order_by().count()
    except Http404:
        raise ExportRefused(
            _("The filters of this export no longer select anything you may see: export the list again.")
        ) from None
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

    def progress(rows_written):
        with read_state(allowed=False):
            if not ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(rows_done=rows_written):
                raise ExportGivenUp

    name = export.file_name()
    saved = ""
    try:
        with tempfile.TemporaryFile() as temporary:
            with reading_from_replica():
                written = write_workbook(export, records, temporary, user=job.owner, params=job.query(), on_chunk=progress)
            temporary.seek(0)
            job.file.save(name, File(temporary, name=name), save=False)
            saved = job.file.name
        finished = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.DONE,
            rows_done=written,
            rows_total=written,
            file=saved,
            file_name=name,
            finished_at=timezone.now(),
        )
        if not finished:
            raise ExportGivenUp
    except BaseException:
        if saved:
            job.file.storage.delete(saved)
        raise


def _notify_owner(job):
    export = find_export(job.kind)
    title = export.title if export else job.kind
    # A message, put into its reader's language when read (notifications.texts).
    if job.status == ExportStatus.DONE:
        text = Text(gettext_lazy("Your export is ready: %(title)s, %(rows)s rows."), title=title, rows=f"{job.rows_done:,}")
    else:
        text = Text(gettext_lazy("Your export could not be written: %(title)s."), title=title)
    notify(recipients=[job.owner], key=f"export-finished:{job.pk}", title=text, link=reverse("exports:job", args=[job.pk]))


def _give_up_stale(jobs, *, now=None):
    """Mark failed the unfinished jobs among `jobs` that started (or were queued) longer than STALE_AFTER ago."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = list(jobs.filter(created_at__lt=cutoff).filter(started_at__isnull=True).values_list("pk", "language"))
    stale += list(jobs.filter(started_at__lt=cutoff).values_list("pk", "language"))
    for pk, language in stale:
        with translation.override(language or settings.LANGUAGE_CODE):
            message = _("The export was interrupted. Export the list again.")
        _fail(pk, message, statuses=[ExportStatus.QUEUED, ExportStatus.RUNNING])
    return len(stale)


def remove_old_exports(*, now=None):
    """Delete the exports finished more than EXPORT_KEEP_DAYS days ago, with their files, and give up the jobs
    lost on the way. Returns how many were deleted."""
    now = now or timezone.now()
    _give_up_stale(ExportJob.objects.unfinished(), now=now)
    old = ExportJob.objects.exclude(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).filter(
        finished_at__lt=now - timedelta(days=settings.EXPORT_KEEP_DAYS)
    )
    deleted = 0
    for job in old.only("pk", "file").iterator(chunk_size=500):
        if job.file:
            job.file.delete(save=False)
        deleted += ExportJob.objects.filter(pk=job.pk).delete()[0]
    return deleted
