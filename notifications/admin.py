from django.contrib import admin

from .models import Delivery, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "status", "attempts", "claimed_at", "sent_at", "error"]
    can_delete = False  # how a notice was delivered (or why not) is part of the record


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "key", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["key", "title", "recipient__username"]
    raw_id_fields = ["recipient"]
    inlines = [DeliveryInline]

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was sent to whom; notify() also relies on its key to send once
