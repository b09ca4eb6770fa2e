"""Importing enterprises and liaison assignments from spreadsheets: upload, preview, confirm.

The workflow, as plain functions the views call:

1. `store_upload` reads the uploaded .xlsx or .csv once to refuse a bad file at once (wrong type,
   too large, empty, missing columns, too many rows: see `spreadsheets`), then keeps it under
   MEDIA_ROOT/imports/<user id>/ named by a random token and the kind of file.
2. `start_preview` records an ImportJob for the upload and hands its preview to a Celery worker:
   `run_preview_job` calls `preview_upload`, which runs the import as a dry run, in batches of rows
   whose lookups are loaded together (see `resources`), writing its progress on the job after each
   batch. What importing would do for every row (new, updated, unchanged, or its errors with the
   spreadsheet's row number and column header) is kept on the job: reloading the preview's page shows
   it without checking the file again. Nothing else is written.
3. `queue_import` hands the previewed job, once confirmed, to Celery; the worker's `run_import_job`
   calls `apply_upload`, which reads the stored file again and imports it inside ONE transaction: any
   error, and nothing is saved. The job keeps the outcome for its page.

Uploads live in a folder per official, so a token uploaded by someone else is simply not found.
"""

import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import RowResult

from ..models import PREVIEW_PHASE, ImportJob, ImportStatus
from .resources import AssignmentResource, EnterpriseResource
from .spreadsheets import EXTENSIONS, ImportFileError, check_upload, file_extension, read_table

logger = logging.getLogger(__name__)

# Stored uploads nobody confirmed are removed after this long.
UPLOAD_LIFETIME = timedelta(days=1)
# The preview lists every error, but only this many of the rows that would be saved.
PREVIEW_ROW_LIMIT = 1_000
UPLOAD_FOLDER = "imports"
TOKEN_PATTERN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    resource_class: type
    template_name: str


KINDS = {
    "enterprises": Kind("enterprises", gettext_lazy("Enterprises"), EnterpriseResource, "企业导入模板.xlsx"),
    "assignments": Kind("assignments", gettext_lazy("Liaison assignments"), AssignmentResource, "联系干部导入模板.xlsx"),
}


# Stored uploads


@dataclass(frozen=True)
class Upload:
    token: str
    kind: Kind
    extension: str
    path: str


def _folder(user):
    return f"{UPLOAD_FOLDER}/{user.pk}"


def store_upload(*, uploaded_file, kind, user):
    """Check the uploaded file and keep it for the preview; return the Upload. A file that cannot be
    imported at all raises ImportFileError and nothing is kept."""
    check_upload(uploaded_file.name, uploaded_file.size)
    content = uploaded_file.read()
    extension = file_extension(uploaded_file.name)
    read_table(content, extension, KINDS[kind].resource_class)
    remove_stale_uploads()
    token = secrets.token_hex(16)
    path = default_storage.save(f"{_folder(user)}/{token}-{kind}{extension}", ContentFile(content))
    return Upload(token=token, kind=KINDS[kind], extension=extension, path=path)


def find_upload(*, token, user):
    """The upload `user` made under `token`, or None (someone else's token is not found either)."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    try:
        _folders, names = default_storage.listdir(_folder(user))
    except FileNotFoundError:
        return None
    for name in names:
        stem, extension = os.path.splitext(name)
        name_token, _dash, kind = stem.partition("-")
        if name_token == token and kind in KINDS and extension in EXTENSIONS:
            return Upload(token=token, kind=KINDS[kind], extension=extension, path=f"{_folder(user)}/{name}")
    return None


def discard_upload(upload):
    default_storage.delete(upload.path)


def remove_stale_uploads(*, now=None):
    """Delete uploads nobody confirmed or discarded within UPLOAD_LIFETIME, whoever made them, with their previews."""
    cutoff = (now or timezone.now()) - UPLOAD_LIFETIME
    removed = []
    try:
        folders, _names = default_storage.listdir(UPLOAD_FOLDER)
    except FileNotFoundError:
        folders = []
    for folder in folders:
        _folders, names = default_storage.listdir(f"{UPLOAD_FOLDER}/{folder}")
        for name in names:
            path = f"{UPLOAD_FOLDER}/{folder}/{name}"
            try:
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
                    removed.append(name.partition("-")[0])
            except FileNotFoundError:
                continue  # removed meanwhile by its owner
    # Their previews go with them; a confirmed job keeps its outcome.
    stale = ImportJob.objects.filter(status__in=PREVIEW_PHASE)
    stale.filter(created_at__lt=cutoff).delete()
    if removed:
        stale.filter(token__in=removed).delete()


# Preview and apply


@dataclass
class RowError:
    column: str
    message: str


@dataclass
class RowReport:
    number: int
    action: str
    label: str
    detail: str = ""
    errors: list = field(default_factory=list)

    @property
    def is_new(self):
        """The row adds a record (the preview's green badge), rather than changing one."""
        return self.action == ImportReport.NEW


@dataclass
class ImportReport:
    kind: Kind
    rows: list = field(default_factory=list)
    # Problems with the file as a whole (it could not be read, or the import failed).
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # A report read back from a job keeps only some rows (not the unchanged ones, and at most
    # PREVIEW_ROW_LIMIT of those that change), and the counts of all.
    stored_counts: dict | None = None

    NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"

    def count(self, action):
        if self.stored_counts is not None:
            return self.stored_counts.get(action, 0)
        return sum(1 for row in self.rows if row.action == action)

    @property
    def total(self):
        """How many rows the file has (blank rows apart)."""
        return sum(self.counts.values())

    @property
    def counts(self):
        return {action: self.count(action) for action in (self.NEW, self.UPDATE, self.UNCHANGED, self.ERROR)}

    @property
    def error_rows(self):
        return [row for row in self.rows if row.action == self.ERROR]

    @property
    def change_rows(self):
        return [row for row in self.rows if row.action in (self.NEW, self.UPDATE)]

    @property
    def shown_change_rows(self):
        return self.change_rows[:PREVIEW_ROW_LIMIT]

    @property
    def hidden_change_count(self):
        return max(0, self.count(self.NEW) + self.count(self.UPDATE) - len(self.shown_change_rows))

    @property
    def has_errors(self):
        return bool(self.problems or self.error_rows)

    @property
    def can_confirm(self):
        return not self.has_errors and bool(self.change_rows)


ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: ImportReport.NEW,
    RowResult.IMPORT_TYPE_UPDATE: ImportReport.UPDATE,
    RowResult.IMPORT_TYPE_SKIP: ImportReport.UNCHANGED,
}


class _RolledBack(Exception):
    def __init__(self, report):
        super().__init__()
        self.report = report


def preview_upload(upload, *, user, progress=None):
    """What importing the upload would do, row by row; nothing is saved.

    `progress(rows_done, rows_total)`, when given, is called as each batch of rows starts."""
    return _run(upload, user=user, dry_run=True, progress=progress)


def apply_upload(upload, *, user):
    """Import the upload, all rows or none. The report says which; on success the upload is removed."""
    try:
        with transaction.atomic():
            report = _run(upload, user=user, dry_run=False)
            if report.has_errors:
                raise _RolledBack(report)
    except _RolledBack as rolled_back:
        return rolled_back.report
    discard_upload(upload)
    return report


def _run(upload, *, user, dry_run, progress=None):
    resource_class = upload.kind.resource_class
    report = ImportReport(kind=upload.kind)
    try:
        with default_storage.open(upload.path, "rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        report.problems.append(_("The uploaded file is no longer here: upload it again."))
        return report
    try:
        table = read_table(content, upload.extension, resource_class)
    except ImportFileError as error:
        report.problems.append(error.message)
        return report
    if table.ignored_columns:
        report.warnings.append(
            _("These columns are not part of the template and are ignored: %(columns)s.")
            % {"columns": "、".join(table.ignored_columns)}
        )
    total = len(table.rows)
    on_batch = (lambda done: progress(done, total)) if progress is not None else None
    resource = resource_class(actor=user, row_numbers=table.numbers, on_batch=on_batch)
    dataset = table.dataset()
    if dry_run:
        # A dry run writes nothing (FencedResource.save_instance), so it needs neither the transaction nor
        # the savepoint around every row that import_data would open: two queries a row saved.
        result = resource.import_data_inner(
            dataset, dry_run=True, raise_errors=False, using_transactions=False, collect_failed_rows=False
        )
    else:
        result = resource.import_data(dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True)
    for error in result.base_errors:
        logger.error("Import of %s failed: %r", upload.path, error.error)
        report.problems.append(_("The import failed: %(reason)s") % {"reason": error.error})
    for index, row_result in enumerate(result.rows):
        row = dict(zip(dataset.headers, dataset[index], strict=False))
        report.rows.append(_row_report(resource, row_result, row, table.numbers[index]))
    return report


def _row_report(resource, row_result, row, number):
    line = RowReport(number=number, action=ImportReport.ERROR, label=resource.label(row))
    if row_result.import_type in ACTIONS:
        line.action = ACTIONS[row_result.import_type]
        line.detail = resource.describe(row_result.instance, row_result)
    elif row_result.validation_error is not None:
        error = row_result.validation_error
        messages = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        for attribute, texts in messages.items():
            line.errors += [RowError(column=resource.column_of(attribute), message=text) for text in texts]
    else:
        for error in row_result.errors:
            logger.warning("Import row %d failed: %r", number, error.error)
            line.errors.append(
                RowError(column="", message=_("This row could not be saved: %(reason)s") % {"reason": error.error})
            )
    return line


# Reports kept on the job


def report_as_json(report, *, change_rows=0):
    """A report as the job keeps it: the counts, the problems, every row with errors and, for a preview,
    the first `change_rows` rows that would change something (unchanged rows are only counted)."""
    rows = sorted(report.error_rows + report.change_rows[:change_rows], key=lambda row: row.number)
    return {
        "counts": report.counts,
        "problems": [str(problem) for problem in report.problems],
        "warnings": [str(warning) for warning in report.warnings],
        "rows": [
            {
                "number": row.number,
                "action": row.action,
                "label": row.label,
                "detail": str(row.detail),
                "errors": [{"column": error.column, "message": str(error.message)} for error in row.errors],
            }
            for row in rows
        ],
    }


def report_from_json(kind, stored):
    report = ImportReport(
        kind=kind,
        problems=stored.get("problems", []),
        warnings=stored.get("warnings", []),
        stored_counts=stored.get("counts"),
    )
    # Reports of imports made before previews were kept have their error rows under "error_rows".
    for row in stored.get("rows", stored.get("error_rows", [])):
        errors = [RowError(column=error["column"], message=error["message"]) for error in row["errors"]]
        action = row.get("action", ImportReport.ERROR)
        detail = row.get("detail", "")
        report.rows.append(RowReport(number=row["number"], action=action, label=row["label"], detail=detail, errors=errors))
    return report


# The preview runs in a Celery worker


class ImportQueueUnavailable(Exception):
    """The task queue could not take the work; nothing was done."""


def find_job(*, token, user):
    """The job `user`'s upload `token` made, or None (someone else's is not found either)."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return ImportJob.objects.of_owner(user).filter(token=token).first()


def start_preview(upload, *, user, file_name=""):
    """Record the upload's job and hand its preview to a worker; return the job. Asked again for the same
    upload, return its job. When the queue cannot take it, raise ImportQueueUnavailable and keep no job."""
    from .tasks import preview_import

    job, created = ImportJob.objects.get_or_create(
        token=upload.token,
        defaults={
            "owner": user,
            "kind": upload.kind.key,
            "file_name": os.path.basename(file_name or "")[:200],
            # The worker writes the preview and the outcome in the language the official reads the portal in.
            "language": translation.get_language() or "zh-hans",
        },
    )
    if created:
        try:
            preview_import.delay(job.pk)
        except Exception as error:
            logger.warning("Broker unavailable; preview %s not queued", job.pk, exc_info=True)
            job.delete()
            raise ImportQueueUnavailable from error
        job.refresh_from_db()  # the task may already have run (CELERY_TASK_ALWAYS_EAGER)
    return job


def progress_text(job):
    if job.rows_total is None:
        return _("Reading the file…")
    return _("%(done)s of %(total)s rows checked") % {"done": f"{job.rows_done:,}", "total": f"{job.rows_total:,}"}


def run_preview_job(job_id):
    """Check the rows of a job's upload and keep the preview on the job. Nothing else is written.

    A job no longer previewing (already checked, or discarded) is left alone. Run twice (a worker lost
    and the task delivered again), it checks the file twice and keeps the one answer."""
    job = ImportJob.objects.select_related("owner").filter(pk=job_id, status=ImportStatus.PREVIEWING).first()
    if job is None:
        return None

    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWING).update(rows_done=done, rows_total=total)

    kind = KINDS[job.kind]
    with translation.override(job.language or "zh-hans"):
        upload = find_upload(token=job.token, user=job.owner)
        if upload is None:
            report = ImportReport(kind=kind, problems=[_("The uploaded file is no longer here: upload it again.")])
        else:
            try:
                report = preview_upload(upload, user=job.owner, progress=progress)
            except Exception:
                logger.exception("Preview of import %s failed", job.pk)
                report = ImportReport(
                    kind=kind,
                    problems=[
                        _(
                            "The file could not be checked because of an error on the server. Upload it again; "
                            "if this happens again, tell the administrators."
                        )
                    ],
                )
        preview = report_as_json(report, change_rows=PREVIEW_ROW_LIMIT)
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWING).update(
        status=ImportStatus.PREVIEWED, preview=preview, rows_total=report.total, rows_done=report.total
    )
    return job


def preview_report(job):
    """The preview kept on a checked job."""
    return report_from_json(KINDS[job.kind], job.preview)


def discard_preview(job, upload):
    """Remove an upload and its job, before it is confirmed."""
    discard_upload(upload)
    ImportJob.objects.filter(pk=job.pk, status__in=PREVIEW_PHASE).delete()


# Confirmed imports run in a Celery worker


class NothingToImport(Exception):
    """The preview has errors or nothing that would change; `message` says which."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def queue_import(job):
    """Hand a checked job to a worker to import. Confirming twice (a double click) queues it once; the
    job is returned either way. Refused with NothingToImport while the file is being checked, or when its
    preview has errors or nothing to change."""
    from .tasks import apply_import

    if job.is_previewing:
        raise NothingToImport(_("The file is still being checked: confirm once its preview is shown."))
    if not job.is_confirmed and not preview_report(job).can_confirm:
        raise NothingToImport(_("This file has errors or nothing to change: there is nothing to import."))
    if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED).update(status=ImportStatus.QUEUED):
        try:
            apply_import.delay(job.pk)
        except Exception as error:
            logger.warning("Broker unavailable; import %s not queued", job.pk, exc_info=True)
            ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED).update(status=ImportStatus.PREVIEWED)
            raise ImportQueueUnavailable from error
    job.refresh_from_db()
    return job


def run_import_job(job_id):
    """Apply a queued import, once: the job is claimed first, so a second worker skips it."""
    from notifications.services import notify
    from notifications.texts import Text

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    with translation.override(job.language or "zh-hans"):
        upload = find_upload(token=job.token, user=job.owner)
        if upload is None:
            report = ImportReport(kind=KINDS[job.kind], problems=[_("The uploaded file is no longer here: upload it again.")])
        else:
            report = apply_upload(upload, user=job.owner)
        job.status = ImportStatus.FAILED if report.has_errors else ImportStatus.DONE
        job.report = report_as_json(report)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "report", "finished_at"])
        counts = report.counts
        # A message, put into its reader's language when read (notifications.texts).
        if job.status == ImportStatus.DONE:
            title = Text(
                gettext_lazy("Import done: %(new)d new, %(updated)d updated, %(unchanged)d unchanged."),
                new=counts[ImportReport.NEW],
                updated=counts[ImportReport.UPDATE],
                unchanged=counts[ImportReport.UNCHANGED],
            )
        else:
            title = Text(gettext_lazy("Nothing was imported: the file has errors. Correct them and upload it again."))
        notify(
            recipients=[job.owner],
            key=f"import-finished:{job.pk}",
            title=title,
            link=reverse("enterprises:import_job", args=[job.pk]),
        )
    return job
