"""Every request's id, and the request being answered, for the logs.

`RequestIdMiddleware` (first in MIDDLEWARE) takes the id the proxy sends in `X-Request-ID` when it is a sane
token (nginx's `$request_id`, a UUID), or makes one, so a line of the proxy's log and the portal's lines of
one request share it. The id is kept on the request (`request.request_id`), in a context variable for code
that has no request at hand, and in the response's `X-Request-ID` header, which a user can read out to the
help desk.

`current_request()` is the request this thread (or task) is answering, None outside a request: the fence and
the file responses log through it without a request argument of their own.
"""

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# Letters, digits and . _ : - only, 8 to 128 of them: an id that cannot break a log line or hide another.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

_request_id = ContextVar("request_id", default=None)
_request = ContextVar("request", default=None)


def current_request_id():
    """The id of the request being answered, None outside a request."""
    return _request_id.get()


def current_request():
    """The request being answered, None outside a request (a Celery task, a management command)."""
    return _request.get()


def request_id_of(request):
    """The id the proxy sent when it is sane, else a new one."""
    offered = request.headers.get(HEADER, "")
    if SANE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        id_token = _request_id.set(request.request_id)
        request_token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(request_token)
            _request_id.reset(id_token)
        response[HEADER] = request.request_id
        return response
