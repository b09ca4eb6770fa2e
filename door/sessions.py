"""The enterprise's session: who came through the door, checked again on every request.

A contact who opens a link (or signs in with a code) gets a session holding the access's id
(`enter`); every page behind the door reads it back through `door_access(request)`, one query by key
(the access with its enterprise), and refuses it once the access has ended or expired, so revoking a
link shuts its sessions out at their next request. Views behind the door are wrapped in `door_required`,
which sets `request.door_access` and `request.door_enterprise` and otherwise sends the reader to
`door:start` ("open the link your liaison cadre gave you").

An official's sign-in and an enterprise's session never share a browser session: `door_access` is None
for a signed-in official, and `door.views.open_link` asks an official to sign out before opening a link.

Every door page (`door_page`) is open without a login (the portal's LoginRequiredMiddleware otherwise
asks for one), never cached, and sends `Referrer-Policy: same-origin`, so no address of the door, a
link's token least of all, leaves the portal in a Referer header. Not `no-referrer`: under it a browser
sends `Origin: null` with a form's POST, which Django's CSRF check refuses, so no form of the door (a forum
reply, signing out, the language switch) would work in a real browser.
"""

import time
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .models import EnterpriseAccess

ACCESS_KEY = "door_access"
SINCE_KEY = "door_since"
# When the access's last_used_at was last written from this session (seconds since the epoch).
SEEN_KEY = "door_seen"
# Set when the access of the session ended, until the start page has said so.
ENDED_KEY = "door_ended"
# last_used_at follows a session's requests to the hour, at one write an hour at most.
TOUCH_EVERY = 3600
_UNREAD = object()


def enter(request, access):
    """Open the door to `access` in this browser: a new session key (no session fixation), the access
    and the time. The session ends DOOR_SESSION_HOURS later whatever happens in it."""
    request.session.cycle_key()
    request.session.pop(ENDED_KEY, None)
    request.session[ACCESS_KEY] = access.pk
    request.session[SINCE_KEY] = request.session[SEEN_KEY] = int(time.time())
    request.session.set_expiry(timezone.now() + timedelta(hours=settings.DOOR_SESSION_HOURS))
    request._door_access = access


def leave(request):
    """Close the door in this browser: the session is emptied and its key changed."""
    request.session.flush()
    request._door_access = None


def door_access(request):
    """The live access this browser came in with, or None (no door session, an official signed in, or the
    access ended or expired since). Read once per request."""
    cached = getattr(request, "_door_access", _UNREAD)
    if cached is not _UNREAD:
        return cached
    access = None
    access_id = request.session.get(ACCESS_KEY) if not request.user.is_authenticated else None
    if access_id is not None:
        access = EnterpriseAccess.objects.select_related("enterprise").filter(pk=access_id).first()
        if access is None or not access.is_live():
            access = None
            # Said once on the start page; later requests cost no query.
            request.session.pop(ACCESS_KEY, None)
            request.session[ENDED_KEY] = True
    request._door_access = access
    return access


def _touch(request, access):
    """Keep the access's last use to the hour while its session is used."""
    now = time.time()
    if now - request.session.get(SEEN_KEY, 0) > TOUCH_EVERY:
        request.session[SEEN_KEY] = int(now)
        EnterpriseAccess.objects.filter(pk=access.pk).update(last_used_at=timezone.now())


def door_page(view):
    """A page of the door: no login, never cached, no Referer sent from it to another site."""

    @login_not_required
    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def door_required(view):
    """A page behind the door: `request.door_access` and `request.door_enterprise` are set, or the reader
    is sent to `door:start`, told so when the access they came in with has ended."""

    @door_page
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access = door_access(request)
        if access is None:
            if request.session.pop(ENDED_KEY, False):
                messages.warning(
                    request, _("Your access has ended. Ask your liaison cadre for a new link to your enterprise's pages.")
                )
            return redirect("door:start")
        _touch(request, access)
        request.door_access = access
        request.door_enterprise = access.enterprise
        return view(request, *args, **kwargs)

    return wrapped
