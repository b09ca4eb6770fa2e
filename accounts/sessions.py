"""Signed-in sessions end after SESSION_IDLE_MINUTES without activity, and SESSION_COOKIE_AGE after sign-in.

The session keeps the time of the reader's last request (`LAST_ACTIVITY`, seconds since the epoch), written
only when more than `WRITE_EVERY` seconds have passed since the stored one, so an active reader's session
row is written about once a minute rather than on every request (an idle limit is thus kept to the minute).
A page's own background polling (an export's or an import's progress, a refresh under way) sends the
`X-Background-Poll` header (static/js) and is not activity: a page left open does not keep its reader
signed in. A request after the limit signs the reader out; the login page then says why.

The cap since sign-in is the session's own expiry, fixed at sign-in (`signed_in`, connected by the app's
`ready()`) to a date rather than an age: Django would otherwise push an age forward at every write of the
session, and the activity written each minute would keep an active session open for ever.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import ngettext

LAST_ACTIVITY = "last_activity"
# Left in the fresh session of a reader signed out for inactivity, until a page can say so.
SIGNED_OUT_IDLE = "signed_out_idle_minutes"
WRITE_EVERY = 60
POLL_HEADER = "X-Background-Poll"


def is_background_poll(request):
    return bool(request.headers.get(POLL_HEADER))


class IdleTimeoutMiddleware:
    """Signs out a reader idle for more than SESSION_IDLE_MINUTES, with a message on the login page.

    It sits after the authentication and message middleware (it reads the user and leaves a message);
    `LoginRequiredMiddleware` then sends the signed-out reader to the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.end_if_idle(request)
        # Only a reader with a session cookie can have one to look into (no query for the others).
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        if has_session and SIGNED_OUT_IDLE in request.session and not is_background_poll(request):
            minutes = request.session.pop(SIGNED_OUT_IDLE)
            messages.warning(request, signed_out_message(minutes))
        response = self.get_response(request)
        if request.user.is_authenticated and not is_background_poll(request):
            self.note_activity(request)
        return response

    def end_if_idle(self, request):
        last = request.session.get(LAST_ACTIVITY)
        minutes = settings.SESSION_IDLE_MINUTES
        if last is not None and time.time() - last > minutes * 60:
            logout(request)
            request.session[SIGNED_OUT_IDLE] = minutes

    def note_activity(self, request):
        last = request.session.get(LAST_ACTIVITY)
        if last is None:
            # A session signed in before this middleware was deployed.
            start(request.session)
        elif time.time() - last > WRITE_EVERY:
            request.session[LAST_ACTIVITY] = int(time.time())


def start(session):
    """Sign-in: the activity starts now, and the session's end is fixed SESSION_COOKIE_AGE from now."""
    session[LAST_ACTIVITY] = int(time.time())
    session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))


@receiver(user_logged_in, dispatch_uid="accounts.sessions.signed_in")
def signed_in(sender, request, user, **kwargs):
    # Written with the login's own save of the session, so the pages that follow write nothing.
    if request is not None and hasattr(request, "session"):
        start(request.session)


def signed_out_message(minutes):
    return ngettext(
        "You were signed out after %(minutes)d minute of inactivity. Please log in again.",
        "You were signed out after %(minutes)d minutes of inactivity. Please log in again.",
        minutes,
    ) % {"minutes": minutes}
