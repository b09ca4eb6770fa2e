from django.contrib import admin

from core.admin import DeletableWhile, HistoryAdmin

from .models import OPEN_STATES, Practice, Recommendation, Review, ReviewCadence, ReviewEvent, ReviewStatus


@admin.register(ReviewCadence)
class ReviewCadenceAdmin(HistoryAdmin):
    list_display = ["__str__", "months", "due_days", "lead_days", "defer_to_longer", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a cadence instead (is_active): the reviews written under it keep it


class PracticeInline(DeletableWhile, admin.StackedInline):
    model = Practice
    extra = 0
    fields = ["title", "topic", "description"]

    def may_delete(self, review):
        return review.status in OPEN_STATES  # as the portal: a submitted review's practices are on the record


class EventInline(admin.TabularInline):
    """A review's timeline, as its moves wrote it (reviews.services): read, never changed or deleted."""

    model = ReviewEvent
    extra = 0
    fields = ["kind", "actor", "comment", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(DeletableWhile, HistoryAdmin):
    list_display = ["region", "cadence", "period_label", "status", "submitted_at", "acknowledged_at"]
    list_filter = ["status", "cadence", "period_label"]
    search_fields = ["region__name", "period_label"]
    raw_id_fields = ["region", "created_by", "acknowledged_by"]
    inlines = [PracticeInline, EventInline]

    def may_delete(self, review):
        # A draft only, one at a time: a review once submitted (returned ones too) stays on the record.
        return review.status == ReviewStatus.DRAFT

    def save_formset(self, request, form, formset, change):
        # A practice carries its review's region, for the library's region filter.
        for practice in formset.save(commit=False):
            if isinstance(practice, Practice):
                practice.region_id = form.instance.region_id
            practice.save()
        for deleted in formset.deleted_objects:
            deleted.delete()


# A recommendation may be withdrawn, here as in the portal (reviews.services.unrecommend_practice).
@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["practice", "region", "recommended_by", "recommended_at"]
    raw_id_fields = ["practice", "region", "recommended_by"]
