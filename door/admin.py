"""The door's records in the admin, read-only: an access is issued and revoked through the portal (door.services,
which records who did it and tells the enterprise's contact), an attempt at the door is the security log's.

No digest of a token or a code is shown, listed or searched: a digest would let whoever reads it test guesses
offline. `SignInCode` is not registered at all: a code lives ten minutes, its row is only a digest, a number and
a count of tries, and a wrong hand on it (closing or reopening a code) would bypass the throttle; its attempts
are in the door's events.
"""

from django.contrib import admin

from .models import DoorEvent, EnterpriseAccess


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EnterpriseAccess)
class EnterpriseAccessAdmin(ReadOnlyAdmin):
    # A record: revoked (with its reason) through the portal, never deleted, since its events and the
    # enterprise's replies and demands point to who held it.
    list_display = ["enterprise", "contact_name", "channel", "issued_at", "expires_at", "revoked_at", "last_used_at"]
    list_select_related = ["enterprise"]
    list_filter = ["channel", "ended_how"]
    search_fields = ["enterprise__name", "contact_name"]
    exclude = ["token_digest"]
    date_hierarchy = "issued_at"


@admin.register(DoorEvent)
class DoorEventAdmin(ReadOnlyAdmin):
    # A record of the security log: never changed, never deleted.
    list_display = ["at", "kind", "enterprise", "address", "mobile"]
    list_select_related = ["enterprise"]
    list_filter = ["kind"]
    search_fields = ["enterprise__name", "address"]
    date_hierarchy = "at"
