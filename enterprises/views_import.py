"""Spreadsheet import (upload, preview, confirm), its templates, and the export of the enterprise list.

The work is done in `imports.py` (the workflow), `spreadsheets.py` (reading files) and `exports.py`
(writing them); these views only check permissions, fetch the user's own upload
and turn the outcome into a page, a file or a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import exports, imports, spreadsheets
from .filters import EnterpriseFilter
from .forms_import import ImportUploadForm
from .views import enterprises_for_list


@require_safe
@permission_required("enterprises.view_enterprise", raise_exception=True)
def export_enterprises(request):
    """The enterprise list as the list page shows it (same filters, same fence), as .xlsx."""
    enterprise_filter = EnterpriseFilter(request.GET, queryset=enterprises_for_list(request.user), actor=request.user)
    enterprises = enterprise_filter.qs if enterprise_filter.is_valid() else enterprise_filter.queryset.none()
    return FileResponse(
        exports.export_workbook(enterprises),
        as_attachment=True,
        filename=exports.export_file_name(),
        content_type=exports.XLSX_CONTENT_TYPE,
    )


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
        content_type=exports.XLSX_CONTENT_TYPE,
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
        report = imports.apply_upload(upload, user=request.user)
        if not report.has_errors:
            messages.success(
                request,
                _("Import done: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "new": report.count(report.NEW),
                    "updated": report.count(report.UPDATE),
                    "unchanged": report.count(report.UNCHANGED),
                },
            )
            return redirect("enterprises:list")
        messages.error(request, _("Nothing was imported: the file has errors. Correct them and upload it again."))
    else:
        report = imports.preview_upload(upload, user=request.user)
    return render(request, "enterprises/import_preview.html", {"upload": upload, "report": report})
