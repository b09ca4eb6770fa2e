from django.contrib import admin

from core.admin import DeletableWhile, HistoryAdmin

from .models import Forum, ForumAttendance, ForumCadence, ForumReply, Opinion


# A setting, not a record: like the visit cadence, administrators may change or remove it.
@admin.register(ForumCadence)
class ForumCadenceAdmin(HistoryAdmin):
    list_display = ["level", "months", "lead_days"]


class AttendanceInline(DeletableWhile, admin.TabularInline):
    model = ForumAttendance
    extra = 0
    raw_id_fields = ["enterprise"]

    def may_delete(self, forum):
        return not forum.is_held  # who came to a held forum is its record


@admin.register(Forum)
class ForumAdmin(HistoryAdmin):
    list_display = ["theme", "region", "starts_at", "status"]
    list_select_related = ["region"]
    list_filter = ["status", "level"]
    raw_id_fields = ["region", "organisers", "invited_enterprises", "invited_officials", "attending_officials", "created_by"]
    inlines = [AttendanceInline]

    def has_delete_permission(self, request, obj=None):
        # A forum is cancelled (with a reason), never deleted: its invitations went out, a held one has its
        # attendance and opinions, and those opinions may have become problems.
        return False


@admin.register(Opinion)
class OpinionAdmin(HistoryAdmin):
    list_display = ["forum", "enterprise", "problem"]
    list_select_related = ["forum", "enterprise", "problem__enterprise"]
    raw_id_fields = ["forum", "enterprise", "problem", "recorded_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # what an enterprise said at a forum stays, and a problem may say it came from it


@admin.register(ForumReply)
class ForumReplyAdmin(HistoryAdmin):
    list_display = ["forum", "enterprise", "attending", "replied_at", "replied_via"]
    list_select_related = ["forum", "enterprise"]
    list_filter = ["attending", "replied_via"]
    search_fields = ["enterprise__name", "forum__theme"]

    # The enterprise's own answer, changed only by the enterprise (forums.services.reply_to_invitation) until
    # the forum begins; its history keeps every earlier answer. Read here, never written nor deleted.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
