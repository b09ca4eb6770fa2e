from django.contrib import admin

from accounts.admin_filters import RegionTreeFilter
from core.admin import DeletableWhile, HistoryAdmin

from .models import CadenceRule, Policy, PolicyDelivery, Visit, VisitAttachment
from .plan import services as plan_services


@admin.register(CadenceRule)
class CadenceRuleAdmin(HistoryAdmin):
    """The visit cadence per level, which administrators set for the whole province.

    Saving or deleting a rule moves every current liaison's next due date (one UPDATE, visits.plan.services).
    """

    list_display = ["level", "interval_months", "due_soon_days"]
    list_editable = ["interval_months", "due_soon_days"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A rule moved to another level changes two levels' liaisons: recompute them all.
        plan_services.cadence_changed(levels=None if "level" in form.changed_data else [obj.level])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        plan_services.cadence_changed(levels=[obj.level])

    def delete_queryset(self, request, queryset):
        levels = list(queryset.values_list("level", flat=True))
        super().delete_queryset(request, queryset)
        plan_services.cadence_changed(levels=levels)


@admin.register(Policy)
class PolicyAdmin(HistoryAdmin):
    list_display = ["title", "document_number", "issuer", "level", "region", "issued_on", "valid_until"]
    list_select_related = ["region"]
    list_filter = ["level", "issued_on"]
    search_fields = ["title", "document_number", "issuer"]
    filter_horizontal = ["industries", "tags"]
    raw_id_fields = ["created_by"]
    autocomplete_fields = ["region"]

    def has_delete_permission(self, request, obj=None):
        return False  # a policy expires (valid until), never goes: the visits that explained it still name it


class PolicyDeliveryInline(admin.TabularInline):
    model = PolicyDelivery
    extra = 0
    raw_id_fields = ["policy", "enterprise"]


class VisitAttachmentInline(admin.TabularInline):
    model = VisitAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]  # files are served only through the portal's fenced view


@admin.register(Visit)
class VisitAdmin(DeletableWhile, HistoryAdmin):
    """A submitted visit is on the record: read-only here, voided (with a reason) only from its page in the
    portal (visits.services.void_visit), never deleted. A draft may still be corrected or deleted, one at a
    time."""

    list_display = ["enterprise", "cadre", "visited_on", "mode", "status"]
    list_select_related = ["enterprise", "cadre"]
    list_filter = [RegionTreeFilter, "status", "mode", "level"]
    search_fields = ["enterprise__name", "cadre__full_name"]
    raw_id_fields = ["enterprise", "cadre", "companions", "policies_explained", "created_by"]
    readonly_fields = ["status", "submitted_at", "voided_at", "voided_by", "void_reason"]
    date_hierarchy = "visited_on"
    inlines = [PolicyDeliveryInline, VisitAttachmentInline]

    def may_delete(self, visit):
        return visit.is_draft

    def has_change_permission(self, request, obj=None):
        # A draft counts for no due date, so correcting one here moves none.
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)
