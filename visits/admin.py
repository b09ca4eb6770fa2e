from django.contrib import admin

from accounts.admin_filters import RegionTreeFilter

from .models import CadenceRule, Policy, PolicyDelivery, Visit, VisitAttachment
from .plan import services as plan_services


@admin.register(CadenceRule)
class CadenceRuleAdmin(admin.ModelAdmin):
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
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "document_number", "issuer", "level", "region", "issued_on", "valid_until"]
    list_select_related = ["region"]
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
    list_select_related = ["enterprise", "cadre"]
    list_filter = [RegionTreeFilter, "status", "mode", "level"]
    search_fields = ["enterprise__name", "cadre__full_name"]
    raw_id_fields = ["enterprise", "cadre", "companions", "policies_explained", "created_by"]
    date_hierarchy = "visited_on"
    inlines = [PolicyDeliveryInline, VisitAttachmentInline]

    # A visit corrected here (its date, status, enterprise, cadre or companions) keeps the due dates of
    # everyone it names, before and after, true (visits.plan.services).
    def save_model(self, request, obj, form, change):
        before = Visit.objects.filter(pk=obj.pk).first() if change else None
        obj.named_before = (before.enterprise_id, plan_services.officials_on(before)) if before else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        visit = form.instance
        if visit.named_before is not None:
            plan_services.refresh_visited(enterprise_id=visit.named_before[0], official_ids=visit.named_before[1])
        plan_services.refresh_visit(visit)

    def delete_model(self, request, obj):
        enterprise_id, official_ids = obj.enterprise_id, plan_services.officials_on(obj)
        super().delete_model(request, obj)
        plan_services.refresh_visited(enterprise_id=enterprise_id, official_ids=official_ids)

    def delete_queryset(self, request, queryset):
        named = [(visit.enterprise_id, plan_services.officials_on(visit)) for visit in queryset]
        super().delete_queryset(request, queryset)
        for enterprise_id, official_ids in named:
            plan_services.refresh_visited(enterprise_id=enterprise_id, official_ids=official_ids)
