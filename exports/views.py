"""The answer of every export URL (`export_response`), and the pages of export jobs: one job's progress,
its download, and the official's own list of exports. A job is its owner's alone: anyone else gets 404,
as for a job that does not exist."""

import tempfile
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.listing import paginate
from core.security_log import security_event

from . import services
from .kinds import find_export
from .models import ExportJob
from .writing import XLSX_CONTENT_TYPE, write_workbook


def export_response(request, kind):
    """The export `kind` of what the list page shows for the request's filters (same filters, same fence).

    A small one (at most EXPORT_INLINE_ROWS rows) is the file itself, at once; a larger one becomes a job
    written by a worker, and the answer is its page. The rows are counted only up to the threshold.
    """
    export = find_export(kind)
    if export is None:
        raise Http404
    if not request.user.has_perm(export.permission):
        raise PermissionDenied
    records = export.records(request.user, request.GET)
    limit = settings.EXPORT_INLINE_ROWS
    if records.order_by()[: limit + 1].count() <= limit:
        stream = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
        rows = write_workbook(export, records, stream, user=request.user, params=request.GET)
        stream.seek(0)
        security_event(request, "export", kind=export.kind, rows=rows)
        return FileResponse(stream, as_attachment=True, filename=export.file_name(), content_type=XLSX_CONTENT_TYPE)
    if request.method == "HEAD":
        # A HEAD (a link checker, a browser's prefetch) asks about the answer, not for the work: no job.
        return HttpResponse(status=200)
    job, created = services.request_export(
        owner=request.user, export=export, query=request.GET, language=translation.get_language() or settings.LANGUAGE_CODE
    )
    if not created:
        messages.info(request, _("This export is already being written: here is its progress."))
    return redirect("exports:job", pk=job.pk)


def _own_job(request, pk):
    return get_object_or_404(ExportJob.objects.of_owner(request.user), pk=pk)


def _links(job, export):
    """The list the export came from and the export's URL, with the job's filters, when they still exist."""
    if export is None:
        return "", ""
    query = f"?{urlencode(job.params, doseq=True)}" if job.params else ""
    try:
        return reverse(export.list_url_name) + query, reverse(export.url_name) + query
    except NoReverseMatch:
        return "", ""


def _kept_until(job):
    return job.finished_at + timedelta(days=settings.EXPORT_KEEP_DAYS) if job.finished_at else None


@require_safe
def export_job(request, pk):
    """How an export is going: its progress while it is written, then its file or why it failed."""
    job = _own_job(request, pk)
    export = find_export(job.kind)
    list_url, again_url = _links(job, export)
    context = {
        "job": job,
        "title": export.title if export else job.kind,
        "list_url": list_url,
        "again_url": again_url,
        "kept_until": _kept_until(job),
        "progress_text": progress_text(job),
    }
    return render(request, "exports/job.html", context)


@require_safe
def export_job_progress(request, pk):
    """The job's progress, for the page's script that moves the bar."""
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "finished": job.is_finished,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "text": progress_text(job),
        }
    )


def progress_text(job):
    if job.rows_total is None:
        return _("Counting the rows…")
    return _("%(done)s of %(total)s rows written") % {"done": f"{job.rows_done:,}", "total": f"{job.rows_total:,}"}


@require_safe
def download_export(request, pk):
    """The written file, to its owner, while it is kept."""
    job = _own_job(request, pk)
    export = find_export(job.kind)
    if not job.succeeded or export is None or not request.user.has_perm(export.permission):
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    security_event(request, "export_download", kind=job.kind, rows=job.rows_done, job_id=job.pk)
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=XLSX_CONTENT_TYPE)


@require_safe
def export_list(request):
    """The official's own exports, newest first."""
    page = paginate(request, ExportJob.objects.of_owner(request.user))
    for job in page:
        export = find_export(job.kind)
        job.title = export.title if export else job.kind
        job.kept_until = _kept_until(job)
    return render(request, "exports/job_list.html", {"page": page, "keep_days": settings.EXPORT_KEEP_DAYS})
