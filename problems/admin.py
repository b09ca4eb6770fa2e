from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_filters import RegionTreeFilter
from core.admin import HistoryAdmin

from . import holidays
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


# Time limits and calendar days are settings, not records: a problem's deadline is computed once and kept on it.
@admin.register(TimeLimit)
class TimeLimitAdmin(HistoryAdmin):
    list_display = ["category", "urgency", "working_days"]
    list_select_related = ["category"]
    list_editable = ["working_days"]
    list_filter = ["urgency", "category"]


class HolidayScheduleForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Schedule file"),
        help_text=gettext_lazy(
            "A CSV with the columns date, is_working_day, name (or 日期, 是否上班, 名称), or a JSON list of such days: "
            "every holiday and every make-up working day of one year, as the State Council publishes them."
        ),
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(HistoryAdmin):
    """Holidays and make-up working days the library does not know yet: they win over it. A year's whole
    schedule is loaded from a small file (problems.holidays) on the page `load/`."""

    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    change_list_template = "admin/problems/calendarday/change_list.html"

    def get_urls(self):
        load = path("load/", self.admin_site.admin_view(self.load_view), name="problems_calendarday_load")
        return [load, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"unknown_years": holidays.unknown_years(today=timezone.localdate()), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def load_view(self, request):
        """Load a year's official schedule from a file: every problem in it is listed, nothing half-written."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = HolidayScheduleForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = upload.read(holidays.MAX_FILE_BYTES + 1)
                days = holidays.read_schedule(data, filename=upload.name)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                added, changed, unchanged = holidays.load_schedule(days)
                messages.success(
                    request,
                    _("The holidays of %(year)s are loaded: %(added)d days added, %(changed)d changed, %(unchanged)d unchanged.")
                    % {"year": days[0].date.year, "added": added, "changed": changed, "unchanged": unchanged},
                )
                return redirect("admin:problems_calendarday_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Load a year's holiday schedule"),
            "form": form,
            "unknown_years": holidays.unknown_years(today=timezone.localdate()),
        }
        return TemplateResponse(request, "admin/problems/calendarday/load.html", context)


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
