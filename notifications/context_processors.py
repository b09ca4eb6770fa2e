from .models import Notification


def unread_notifications(request):
    """The unread count in the navigation; one indexed COUNT, only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": Notification.objects.for_recipient(user).unread().count()}
