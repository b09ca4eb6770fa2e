from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Practice, Recommendation, Review, ReviewCadence, ReviewEvent


@admin.register(ReviewCadence)
class ReviewCadenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "months", "due_days", "lead_days", "defer_to_longer", "is_active"]


class PracticeInline(admin.StackedInline):
    model = Practice
    extra = 0
    fields = ["title", "topic", "description"]


class EventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    fields = ["kind", "actor", "comment", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["actor"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["region", "cadence", "period_label", "status", "submitted_at", "acknowledged_at"]
    list_filter = ["status", "cadence", "period_label"]
    search_fields = ["region__name", "period_label"]
    raw_id_fields = ["region", "created_by", "acknowledged_by"]
    inlines = [PracticeInline, EventInline]

    def save_formset(self, request, form, formset, change):
        # A practice carries its review's region, for the library's region filter.
        for practice in formset.save(commit=False):
            if isinstance(practice, Practice):
                practice.region_id = form.instance.region_id
            practice.save()
        for deleted in formset.deleted_objects:
            deleted.delete()


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["practice", "region", "recommended_by", "recommended_at"]
    raw_id_fields = ["practice", "region", "recommended_by"]
