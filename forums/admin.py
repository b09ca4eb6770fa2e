from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Forum, ForumAttendance, ForumCadence, Opinion


@admin.register(ForumCadence)
class ForumCadenceAdmin(SimpleHistoryAdmin):
    list_display = ["level", "months", "lead_days"]


class AttendanceInline(admin.TabularInline):
    model = ForumAttendance
    extra = 0
    raw_id_fields = ["enterprise"]


@admin.register(Forum)
class ForumAdmin(SimpleHistoryAdmin):
    list_display = ["theme", "region", "starts_at", "status"]
    list_select_related = ["region"]
    list_filter = ["status", "level"]
    raw_id_fields = ["region", "organisers", "invited_enterprises", "invited_officials", "attending_officials", "created_by"]
    inlines = [AttendanceInline]


@admin.register(Opinion)
class OpinionAdmin(SimpleHistoryAdmin):
    list_display = ["forum", "enterprise", "problem"]
    list_select_related = ["forum", "enterprise", "problem__enterprise"]
    raw_id_fields = ["forum", "enterprise", "problem", "recorded_by"]
