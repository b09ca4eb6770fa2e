from axes import admin as axes_admin  # registers axes' own admins first, which this module replaces below
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin

from .models import Department, Region, UnitType, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return False  # regions come from the national division codes, by data migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitType)
class UnitTypeAdmin(admin.ModelAdmin):
    list_display = ["key", "province_name", "local_suffix", "order", "is_active"]
    list_editable = ["order", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a unit type instead: its departments keep it, and the history names it


@admin.register(Department)
class DepartmentAdmin(HistoryAdmin):
    list_display = ["name", "region", "unit_type", "is_active", "merged_into"]
    list_filter = ["is_active", "unit_type", "region__level"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "merged_into"]

    def has_delete_permission(self, request, obj=None):
        return False  # departments are deactivated or merged, so their history stays


@admin.register(User)
class OfficialAdmin(HistoryAdmin, UserAdmin):
    list_display = ["username", "full_name", "region", "department", "is_active"]
    list_filter = ["is_active", "groups", "region__level"]
    search_fields = ["username", "full_name", "mobile"]
    autocomplete_fields = ["region", "department"]

    def has_delete_permission(self, request, obj=None):
        return False  # officials are deactivated, never deleted: their history stays

    fieldsets = UserAdmin.fieldsets + (
        (_("Official"), {"fields": ["full_name", "title", "mobile", "office_phone", "region", "department"]}),
    )


class RoleGroupAdmin(GroupAdmin):
    def has_delete_permission(self, request, obj=None):
        # A role's group is kept by accounts.roles after every migrate: deleting it would strip its officials of
        # the role, and the history of who held which role with it.
        return False


admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)


class LoginRecordAdmin:
    """Login records (django-axes) are read, never changed or deleted by hand: they are kept
    LOGIN_RECORDS_RETENTION_DAYS days (at least 180) and then pruned by accounts.tasks.prune_login_records.
    The lockout of a username (an AccessAttempt) ends by itself after AXES_COOLOFF_TIME; there is no
    "clean up" action here either."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccessAttemptAdmin(LoginRecordAdmin, axes_admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(LoginRecordAdmin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(LoginRecordAdmin, axes_admin.AccessFailureLogAdmin):
    pass


for model, model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
