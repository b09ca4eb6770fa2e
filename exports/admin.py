from django.contrib import admin

from .models import ExportJob


# An export is a copy of a list, not a record: it may be deleted, as exports.services does after EXPORT_KEEP_DAYS.
@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "owner", "status", "rows_done", "rows_total", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    # The file is read through the owner's download page only.
    exclude = ["file"]
    readonly_fields = [
        "owner",
        "kind",
        "params",
        "fingerprint",
        "language",
        "status",
        "rows_total",
        "rows_done",
        "file_name",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    ]
