"""The enterprise's door: the pages an enterprise's contact reaches without an account.

`open_link` is the address of an access link: it opens the door and sends the reader on to `door:home`,
so the token leaves the address bar and the history. `start` is where a reader without a session lands
("open the link your liaison cadre gave you"). Pages behind the door are wrapped in
`door.sessions.door_required`; the staff's pages of the door are in door/staff.py.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.http import client_address

from . import selectors, services
from .models import EventKind
from .sessions import door_access, door_page, door_required, enter, leave

# Refusals of a link, by their HTTP status: a link nobody issued is missing; an ended one is gone for good.
REFUSAL_STATUS = {"invalid": 404, "expired": 410, "revoked": 410, "suspended": 410, "throttled": 429}


def _seen(request):
    return {"address": client_address(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")}


@require_safe
@door_required
def home(request):
    context = {**selectors.home_context(request.door_enterprise), "access": request.door_access}
    return render(request, "door/home.html", context)


@require_safe
@door_page
def start(request):
    if door_access(request) is not None:
        return redirect("door:home")
    return render(request, "door/start.html", {"official": request.user.is_authenticated})


@require_safe
@door_page
def open_link(request, token):
    if request.user.is_authenticated:
        # An official's session and an enterprise's are never one: the official signs out first.
        return render(request, "door/start.html", {"official": True})
    if request.method == "HEAD":
        return HttpResponse()  # a link preview's probe opens nothing
    opening = services.open_link(token=token, **_seen(request))
    if opening.access is None:
        context = {"message": services.REFUSALS[opening.refusal], "refusal": opening.refusal}
        return render(request, "door/refused.html", context, status=REFUSAL_STATUS[opening.refusal])
    enter(request, opening.access)
    return redirect("door:home")


@require_POST
@door_page
def sign_out(request):
    access = door_access(request)
    if access is not None:
        services.record(EventKind.SIGNED_OUT, access=access, **_seen(request))
    leave(request)
    messages.success(request, _("You have signed out. Open your link again to come back."))
    return redirect("door:start")
