from django.contrib import admin

from .models import CadenceRule, Policy, PolicyDelivery, Visit, VisitAttachment


@admin.register(CadenceRule)
class CadenceRuleAdmin(admin.ModelAdmin):
    """The visit cadence per level, which administrators set for the whole province."""

    list_display = ["level", "interval_months", "due_soon_days"]
    list_editable = ["interval_months", "due_soon_days"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "document_number", "issuer", "level", "region", "issued_on", "valid_until"]
    list_filter = ["level", "issued_on"]
    search_fields = ["title", "document_number", "issuer"]
    filter_horizontal = ["industries", "tags"]
    raw_id_fields = ["created_by"]
    autocomplete_fields = ["region"]


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
class VisitAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "cadre", "visited_on", "mode", "status"]
    list_filter = ["status", "mode", "level"]
    search_fields = ["enterprise__name", "cadre__full_name"]
    raw_id_fields = ["enterprise", "cadre", "companions", "policies_explained", "created_by"]
    date_hierarchy = "visited_on"
    inlines = [PolicyDeliveryInline, VisitAttachmentInline]
