from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApprovalEvent, AssessmentPeriod, IndicatorValue, RegionApproval, RegionScore, Scheme, SchemeItem


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 0


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["label", "kind", "start", "end", "status", "refreshed_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["status", "closed_at", "closed_by", "close_note", "refreshed_at"]


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "period", "owner", "assessed_level"]
    list_filter = ["period", "assessed_level"]
    inlines = [SchemeItemInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    """Read only: figures are computed from the records (assessment.figures), never typed in."""

    list_display = ["period", "region", "indicator", "numerator", "denominator", "value", "computed_at"]
    list_filter = ["period", "indicator"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RegionScore)
class RegionScoreAdmin(IndicatorValueAdmin):
    list_display = ["period", "region", "score", "rank_among_peers", "rank_in_province"]
    list_filter = ["period"]


@admin.register(RegionApproval)
class RegionApprovalAdmin(admin.ModelAdmin):
    list_display = ["period", "region", "status", "confirmed_at", "accepted_at"]
    list_filter = ["period", "status"]
    readonly_fields = ["status", "confirmed_by", "confirmed_at", "accepted_by", "accepted_at"]


@admin.register(ApprovalEvent)
class ApprovalEventAdmin(IndicatorValueAdmin):
    list_display = ["period", "region", "kind", "actor", "at"]
    list_filter = ["period", "kind"]
