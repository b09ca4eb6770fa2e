from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "unit_type", "is_active", "merged_into"]
    list_filter = ["is_active", "unit_type", "region__level"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "merged_into"]

    def has_delete_permission(self, request, obj=None):
        return False  # departments are deactivated or merged, so their history stays


@admin.register(User)
class OfficialAdmin(SimpleHistoryAdmin, UserAdmin):
    list_display = ["username", "full_name", "region", "department", "is_active"]
    list_filter = ["is_active", "groups", "region__level"]
    search_fields = ["username", "full_name", "mobile"]
    autocomplete_fields = ["region", "department"]

    def has_delete_permission(self, request, obj=None):
        return False  # officials are deactivated, never deleted: their history stays

    fieldsets = UserAdmin.fieldsets + ((_("Official"), {"fields": ["full_name", "title", "mobile", "region", "department"]}),)
