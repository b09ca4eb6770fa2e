from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.registry import contributions
from notifications.models import Notification


@require_safe
def home(request):
    """What needs my attention: each app's `todo.py` adds its entries and cards (core.registry)."""
    user = request.user
    today = timezone.localdate()
    todo = [item for items in contributions("todo", "todo_items") for item in items(user, today=today)]
    panels = [panel for panels in contributions("todo", "home_panels") for panel in panels(user, today=today)]
    context = {
        "todo": todo,
        "panels_before": [panel for panel in panels if not panel.after_todo],
        "panels_after": [panel for panel in panels if panel.after_todo],
        "latest_unread": Notification.objects.for_recipient(user).unread()[:5],
    }
    return render(request, "portal/home.html", context)
