from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.roles import Role
from core.registry import contributions
from notifications.models import Notification

# The home page lists this many to-do entries, then says how many more there are and where.
TODO_LIMIT = 10


@require_safe
def home(request):
    """What needs my attention: each app's `todo.py` adds its entries and cards (core.registry)."""
    user = request.user
    today = timezone.localdate()
    todo, more = gather_todo(user, today=today)
    panels = [panel for panels in contributions("todo", "home_panels") for panel in panels(user, today=today)]
    context = {
        "todo": todo,
        "todo_more": more,
        "todo_more_count": sum(count for _label, _url, count in more),
        "panels_before": [panel for panel in panels if not panel.after_todo],
        "panels_after": [panel for panel in panels if panel.after_todo],
        "latest_unread": Notification.objects.for_recipient(user).unread()[:5],
        "site_url_mismatch": site_url_mismatch(request) if user.has_role(Role.ADMINISTRATOR) else None,
    }
    return render(request, "portal/home.html", context)


def gather_todo(user, *, today, limit=TODO_LIMIT):
    """The first `limit` to-do entries of every app, in the apps' order, and what is left out: for each app
    with more entries than shown, (the page that lists them, its address, how many more)."""
    totals = {total.__module__: total for total in contributions("todo", "todo_total")}
    shown, more = [], []
    for items in contributions("todo", "todo_items"):
        entries = list(items(user, today=today))
        room = max(limit - len(shown), 0)
        shown += entries[:room]
        total = totals[items.__module__](user, today=today) if items.__module__ in totals else None
        count = total.count if total is not None else len(entries)
        left_out = count - min(len(entries), room)
        if left_out > 0:
            more.append((total.label if total else "", total.url if total else "", left_out))
    return shown, more


def site_url_mismatch(request):
    """SITE_URL's host when it is set and differs from the host this request came to: links that leave the
    portal (e-mails, the enterprise's verdict link) would point elsewhere than where officials work."""
    configured = settings.SITE_URL.strip()
    if not configured:
        return None  # links are built from the request's own host
    parts = urlsplit(configured if "//" in configured else f"//{configured}")
    scheme = parts.scheme or request.scheme
    if _host(parts.netloc, scheme) == _host(request.get_host(), request.scheme):
        return None
    return {"configured": configured, "used": f"{request.scheme}://{request.get_host()}"}


def _host(netloc, scheme):
    netloc = netloc.lower().rsplit("@", 1)[-1]
    default = {"http": ":80", "https": ":443"}.get(scheme, "")
    return netloc[: -len(default)] if default and netloc.endswith(default) else netloc
