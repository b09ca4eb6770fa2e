from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.listing import paginate

from .models import Notification


@require_safe
def notification_list(request):
    notifications = Notification.objects.for_recipient(request.user)
    if request.GET.get("unread") == "1":
        notifications = notifications.unread()
    page = paginate(request, notifications)
    return render(request, "notifications/list.html", {"page": page, "only_unread": request.GET.get("unread") == "1"})


def notification_open(request, pk):
    """Open the record a notification points to. Reading marks it read; a GET changes nothing else."""
    notification = get_object_or_404(Notification.objects.for_recipient(request.user), pk=pk)
    if request.method == "POST":
        Notification.objects.filter(pk=notification.pk).mark_read()
        target = notification.link
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("notifications:list")
    return render(request, "notifications/detail.html", {"notification": notification})


@require_POST
def notification_mark_all_read(request):
    count = Notification.objects.for_recipient(request.user).mark_read()
    message = ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
    messages.success(request, message % {"count": count})
    return redirect("notifications:list")
