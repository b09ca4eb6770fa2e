from django.contrib import admin

from core.admin import HistoryAdmin

from .models import Case, CaseEvent, CasePhoto, CaseQuality, Publicity


class QualityInline(admin.TabularInline):
    model = CaseQuality
    extra = 0


class PhotoInline(admin.TabularInline):
    model = CasePhoto
    extra = 0
    can_delete = False  # removed in the portal (cases.services.remove_photo), which records it and deletes the file
    fields = ["original_name", "caption", "order", "content_type", "size"]
    readonly_fields = ["original_name", "content_type", "size"]


class PublicityInline(admin.TabularInline):
    model = Publicity
    extra = 0
    can_delete = False  # where and when a case was publicised is its history
    raw_id_fields = ["recorded_by"]


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "at", "status", "note"]


@admin.register(Case)
class CaseAdmin(HistoryAdmin):
    list_display = ["title", "enterprise", "region", "status", "nominated_at", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "enterprise__name", "entrepreneur_name"]
    raw_id_fields = [
        "enterprise",
        "region",
        "nominating_region",
        "nominated_by",
        "reviewed_by",
        "published_by",
        "source_problem",
        "evidence_visits",
        "evidence_forums",
        "evidence_problems",
    ]
    inlines = [QualityInline, PhotoInline, PublicityInline, EventInline]

    def has_delete_permission(self, request, obj=None):
        # A case is on the record from its nomination (it has no draft): rejected or withdrawn, never deleted.
        return False
