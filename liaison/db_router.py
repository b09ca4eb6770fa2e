"""The read replica: which reads may leave the primary, and when.

With `DATABASE_REPLICA_URL` set, settings add the `replica` alias (a PostgreSQL streaming standby) and
`ReplicaRouter` sends a read there only when all of these hold; otherwise to the primary (`default`):

- the running request or block has opted in and has not written (`core.replica`): a GET or HEAD to a view
  named in `REPLICA_READ_VIEWS`, or code inside `reading_from_replica()` (a Celery task's export);
- its user has not written in the last `REPLICA_PIN_SECONDS`: every request with an unsafe method, and
  every GET that wrote (a notification marked read), leaves a signed cookie with the time, and while it
  is younger than the pin the user's pages read the primary, so one sees one's own change at once
  whatever the replica's lag;
- no `transaction.atomic` block is open on the primary (a read there belongs to its transaction);
- the model is not a session or django-axes' login record: a fresh login and a lockout must be seen by
  the next request on any machine.

Writes always go to the primary, a relation between rows read from either alias is allowed (they are
the same rows), and migrations run on the primary only (the standby replicates them). Without
`DATABASE_REPLICA_URL` there is no `replica` alias and the router answers None everywhere: Django's
single database, as before.

Which pages: the issue asks that lists, exports and dashboards read from the replica, and they are what
it is for: many rows, read often, where a second of lag is harmless and one's own changes are covered by
the pin. Detail and form pages stay on the primary: a form shown from a lagging copy would be posted back
against the primary. The pages are named by URL name in `REPLICA_READ_VIEWS` (settings) rather than by a
decorator on each view: the view modules live in lower layers that may not import `liaison`, and one list
in settings is where the choice is read and reviewed (`liaison/tests/test_db_router.py` checks that every
name in it is a URL). Replacing the list by "every safe request" would be a one-line change to
`ReplicaReadsMiddleware.process_view`.

Bodies that are produced after the view returns (a streaming response reading the database while it
streams) read the primary: the opt-in ends with the middleware. No page streams from a query today.
"""

import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from core.replica import REPLICA, current_state, read_state

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
REPLICA_METHODS = ("GET", "HEAD")
PIN_COOKIE = "liaison_primary_pin"
PIN_SALT = "liaison.db_router.pin"

# Read from the primary whatever the request: sessions and the login lockout (django-axes).
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes"})


def replica_configured():
    return REPLICA in connections.settings


def _in_transaction():
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        state = current_state()
        if state is None or not state.may_read_replica or model._meta.app_label in PRIMARY_ONLY_APPS or _in_transaction():
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        if not replica_configured():
            return None
        state = current_state()
        if state is not None:
            # From now on this request or block reads what it wrote: the primary.
            state.wrote = True
        # Explicitly the primary, also for a row that was read from the replica (Django would otherwise
        # write it back where it came from).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _clock():
    return time.time()


def pinned(request):
    """True while the user's last write (the pin cookie's time) is younger than REPLICA_PIN_SECONDS."""
    written_at = request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT)
    try:
        age = _clock() - float(written_at)
    except (TypeError, ValueError):
        return False
    return age < settings.REPLICA_PIN_SECONDS


class ReplicaReadsMiddleware:
    """Opens each request's read state, opts lists, exports and dashboards in, and pins a user who wrote.

    The state opens closed; `process_view` opens it for a GET or HEAD to a view of `REPLICA_READ_VIEWS`
    by a user who is not pinned. It sits after the authentication middleware, so the session and the user
    are read before any opt-in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        with read_state(allowed=False) as state:
            response = self.get_response(request)
        if request.method not in SAFE_METHODS or state.wrote:
            response.set_signed_cookie(
                PIN_COOKIE,
                str(_clock()),
                salt=PIN_SALT,
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = current_state()
        if replica_configured() and state is not None and request.method in REPLICA_METHODS:
            match = request.resolver_match
            state.allowed = match.view_name in settings.REPLICA_READ_VIEWS and not pinned(request)
        return None
