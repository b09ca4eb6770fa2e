from django.contrib import admin

from accounts.admin_filters import RegionTreeFilter
from core.admin import HistoryAdmin

from . import services
from .models import Enterprise, ImportJob, Industry, LiaisonAssignment, Tag


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]

    def has_add_permission(self, request):
        return False  # the sections of GB/T 4754-2017 arrive by data migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags are data: administrators add, rename, order and retire them."""

    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a tag instead, so enterprises keep their history


# Deleting an enterprise is left as in the portal (enterprises.services.delete_enterprise): only one entered by
# mistake goes, since every record of its history (a liaison, a visit, a problem) protects it.
@admin.register(Enterprise)
class EnterpriseAdmin(HistoryAdmin):
    list_display = ["name", "credit_code", "region", "industry", "size", "status"]
    list_select_related = ["region", "industry"]
    list_filter = [RegionTreeFilter, "status", "size", "industry"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["tags"]


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(HistoryAdmin):
    list_display = ["enterprise", "official", "level", "started_on", "ended_on"]
    list_select_related = ["enterprise", "official"]
    list_filter = ["level", "ended_on"]
    search_fields = ["enterprise__name", "official__full_name", "official__username"]
    raw_id_fields = ["enterprise", "official", "assigned_by", "ended_by", "department"]

    def has_delete_permission(self, request, obj=None):
        return False  # liaisons are ended, never deleted: the list of a past date must stay true

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.liaison_saved(obj)  # its cadre's last visit and next due date (kept by the visits app)


# An import job is a working file, not a record: its enterprises and liaisons carry their own history, and stale
# previews are removed by enterprises.io.imports anyway.
@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["token", "kind", "owner", "status", "created_at", "finished_at"]
    list_select_related = ["owner"]
    list_filter = ["status", "kind"]
    readonly_fields = [
        "owner",
        "token",
        "kind",
        "language",
        "status",
        "file_name",
        "rows_total",
        "rows_done",
        "preview",
        "report",
        "created_at",
        "finished_at",
    ]
