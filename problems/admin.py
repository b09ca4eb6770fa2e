from django.contrib import admin

from accounts.admin_filters import RegionTreeFilter

from .models import CalendarDay, Category, Problem, ProblemEvent, TimeLimit, Verdict


class TimeLimitInline(admin.TabularInline):
    model = TimeLimit
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Categories are data: administrators add, rename, order and retire them."""

    list_display = ["name", "name_en", "key", "order", "is_active"]
    list_editable = ["order", "is_active"]
    inlines = [TimeLimitInline]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a category instead, so problems keep theirs


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ["category", "urgency", "working_days"]
    list_select_related = ["category"]
    list_editable = ["working_days"]
    list_filter = ["urgency", "category"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and make-up working days the library does not know yet: they win over it."""

    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


class ProblemEventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    fields = ["at", "kind", "actor", "status", "note", "from_department", "to_department"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Read only: a problem moves only through problems.services, which keeps its timeline."""

    list_display = ["enterprise", "category", "status", "handling_department", "deadline", "raised_on"]
    list_select_related = ["enterprise", "category", "handling_department"]
    list_filter = [RegionTreeFilter, "status", "disposition", "category", "urgency"]
    search_fields = ["enterprise__name", "description"]
    date_hierarchy = "raised_on"
    inlines = [ProblemEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["problem", "round", "outcome", "verdict", "channel", "at"]
    list_select_related = ["problem__enterprise"]
    list_filter = ["outcome", "verdict", "channel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
