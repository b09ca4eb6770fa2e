from django.contrib import admin

from core.admin import DeletableWhile, HistoryAdmin

from .models import ApprovalEvent, AssessmentPeriod, IndicatorValue, RegionApproval, RegionScore, Scheme, SchemeItem


class SchemeItemInline(DeletableWhile, admin.TabularInline):
    model = SchemeItem
    extra = 0

    def may_delete(self, scheme):
        return not scheme.period.is_closed  # a closed period's scheme is what its scores were computed by


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(HistoryAdmin):
    list_display = ["label", "kind", "start", "end", "status", "refreshed_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["status", "closed_at", "closed_by", "close_note", "refreshed_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # its figures, scores, approvals and their events would go with it: close it instead


@admin.register(Scheme)
class SchemeAdmin(DeletableWhile, HistoryAdmin):
    list_display = ["name", "period", "owner", "assessed_level"]
    list_filter = ["period", "assessed_level"]
    inlines = [SchemeItemInline]

    def may_delete(self, scheme):
        return not scheme.period.is_closed  # as the portal: a scheme changes only while its period is open


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    """Read only: figures are computed from the records (assessment.figures), never typed in."""

    list_display = ["period", "region", "indicator", "numerator", "denominator", "value", "computed_at"]
    list_filter = ["period", "indicator"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Nor removed by hand: an open period's are computed again, a closed period's are what was approved.
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

    def has_delete_permission(self, request, obj=None):
        return False  # who confirmed and accepted a region's figures stays on the record


@admin.register(ApprovalEvent)
class ApprovalEventAdmin(IndicatorValueAdmin):
    """Read only and kept, as the figures: the steps of an approval are its history."""

    list_display = ["period", "region", "kind", "actor", "at"]
    list_filter = ["period", "kind"]
