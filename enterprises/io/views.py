"""Spreadsheet import (upload, preview, confirm), its templates, and the export of the enterprise list.

The work is done in `imports.py` (the workflow), `spreadsheets.py` (reading files) and `exports.py`
(writing them; the list's export goes through the exports app, declared in `enterprises/exports.py`);
these views only check permissions, fetch the user's own upload and turn the outcome into a page, a file
or a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from exports.views import export_response
from exports.writing import XLSX_CONTENT_TYPE

from ..models import ImportJob
from . import exports, imports, spreadsheets
from .forms import ImportUploadForm


@require_safe
@permission_required("enterprises.view_enterprise", raise_exception=True)
def export_enterprises(request):
    """The enterprise list as the list page shows it (same filters, same fence), as .xlsx: at once when
    small, else written in the background (enterprises/exports.py)."""
    return export_response(request, "enterprises")


@require_safe
@permission_required("enterprises.import_enterprises", raise_exception=True)
def import_template(request, kind):
    if kind not in imports.KINDS:
        raise Http404
    kind = imports.KINDS[kind]
    return FileResponse(
        exports.template_workbook(kind, user=request.user),
        as_attachment=True,
        filename=kind.template_name,
        content_type=XLSX_CONTENT_TYPE,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("enterprises.import_enterprises", raise_exception=True)
def import_upload(request):
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
    else:
        form = ImportUploadForm(initial={"kind": request.GET.get("kind") or "enterprises"})
    if form.is_bound and form.is_valid():
        uploaded_file = form.cleaned_data["file"]
        try:
            upload = imports.store_upload(uploaded_file=uploaded_file, kind=form.cleaned_data["kind"], user=request.user)
        except spreadsheets.ImportFileError as error:
            form.add_error("file", error.message)
        else:
            try:
                imports.start_preview(upload, user=request.user, file_name=uploaded_file.name)
            except imports.ImportQueueUnavailable:
                imports.discard_upload(upload)  # nothing is kept of a file that could not be checked
                form.add_error(None, _("The task queue is not available: the file was not checked. Try again in a few minutes."))
            else:
                return redirect("enterprises:import_preview", token=upload.token)
    context = {"form": form, "kinds": imports.KINDS.values(), "limits": spreadsheets.limits()}
    return render(request, "enterprises/import_upload.html", context)


def _asks_for_json(request):
    # The progress script (exports/static/exports/progress.js) asks the page itself for its progress.
    return request.headers.get("Accept", "").startswith("application/json")


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("enterprises.import_enterprises", raise_exception=True)
def import_preview(request, token):
    """The upload's preview: its progress while a worker checks the rows, then what importing would do.

    The preview is kept on the job, so reloading the page shows it again without checking the file again.
    """
    job = imports.find_job(token=token, user=request.user)
    if job is not None and job.is_confirmed:
        return redirect("enterprises:import_job", pk=job.pk)
    upload = imports.find_upload(token=token, user=request.user)
    if upload is None:
        raise Http404
    if job is None:  # an upload kept from before its preview was a job of its own
        try:
            job = imports.start_preview(upload, user=request.user)
        except imports.ImportQueueUnavailable:
            messages.error(request, _("The task queue is not available: the file was not checked. Try again in a few minutes."))
            return redirect("enterprises:import")
    if request.method == "POST":
        return _preview_action(request, job, upload)
    if _asks_for_json(request):
        response = JsonResponse(
            {
                "status": job.status,
                "finished": not job.is_previewing,
                "percent": job.percent,
                "text": imports.progress_text(job),
            }
        )
    elif job.is_previewing:
        context = {"job": job, "kind": imports.KINDS[job.kind], "progress_text": imports.progress_text(job)}
        response = render(request, "enterprises/import_preview.html", context)
    else:
        context = {"job": job, "kind": imports.KINDS[job.kind], "report": imports.preview_report(job)}
        response = render(request, "enterprises/import_preview.html", context)
    patch_vary_headers(response, ["Accept"])
    return response


def _preview_action(request, job, upload):
    if request.POST.get("action") == "discard":
        imports.discard_preview(job, upload)
        messages.info(request, _("The uploaded file was discarded; nothing was imported."))
        return redirect("enterprises:import")
    try:
        job = imports.queue_import(job)
    except imports.NothingToImport as refusal:
        messages.error(request, refusal.message)
        return redirect("enterprises:import_preview", token=job.token)
    except imports.ImportQueueUnavailable:
        messages.error(request, _("The task queue is not available: nothing was imported. Try again in a few minutes."))
        return redirect("enterprises:import_preview", token=job.token)
    return redirect("enterprises:import_job", pk=job.pk)


@require_safe
@permission_required("enterprises.import_enterprises", raise_exception=True)
def import_job(request, pk):
    """How a confirmed import went: waiting, importing, or its outcome with every error."""
    job = get_object_or_404(ImportJob.objects.of_owner(request.user), pk=pk)
    if not job.is_confirmed:
        return redirect("enterprises:import_preview", token=job.token)
    report = imports.report_from_json(imports.KINDS[job.kind], job.report) if job.is_finished else None
    return render(request, "enterprises/import_job.html", {"job": job, "report": report})
