"""Spreadsheet import (upload, preview, confirm), its templates, and the export of the enterprise list.

The work is done in `imports.py` (the workflow), `spreadsheets.py` (reading files) and `exports.py`
(writing them; the list's export goes through the exports app, declared in `enterprises/exports.py`);
these views only check permissions, fetch the user's own upload and turn the outcome into a page, a file
or a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
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
        try:
            token = imports.store_upload(
                uploaded_file=form.cleaned_data["file"], kind=form.cleaned_data["kind"], user=request.user
            )
        except spreadsheets.ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("enterprises:import_preview", token=token)
    context = {"form": form, "kinds": imports.KINDS.values(), "limits": spreadsheets.limits()}
    return render(request, "enterprises/import_upload.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("enterprises.import_enterprises", raise_exception=True)
def import_preview(request, token):
    upload = imports.find_upload(token=token, user=request.user)
    if upload is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "discard":
        imports.discard_upload(upload)
        messages.info(request, _("The uploaded file was discarded; nothing was imported."))
        return redirect("enterprises:import")
    if request.method == "POST":
        try:
            job = imports.queue_import(upload, user=request.user)
        except imports.ImportQueueUnavailable:
            messages.error(request, _("The task queue is not available: nothing was imported. Try again in a few minutes."))
            return redirect("enterprises:import_preview", token=token)
        return redirect("enterprises:import_job", pk=job.pk)
    report = imports.preview_upload(upload, user=request.user)
    return render(request, "enterprises/import_preview.html", {"upload": upload, "report": report})


@require_safe
@permission_required("enterprises.import_enterprises", raise_exception=True)
def import_job(request, pk):
    """How a confirmed import went: waiting, importing, or its outcome with every error."""
    job = get_object_or_404(ImportJob.objects.of_owner(request.user), pk=pk)
    report = imports.report_from_json(imports.KINDS[job.kind], job.report) if job.is_finished else None
    return render(request, "enterprises/import_job.html", {"job": job, "report": report})
