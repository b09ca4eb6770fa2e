"""The security log: one JSON object per line, naming who did what, from where.

`security_event(request, "login_failed", username=...)` writes one line to the logger `liaison.security`, which
settings.LOGGING sends to standard output, or to the file `SECURITY_LOG_FILE` (`security_log_handler`). Every
line has:

- `time` (ISO 8601, UTC), `event`, `request_id` (the `X-Request-ID` answered, core.request_id);
- `user_id` and `region` (the code of the acting official's region), `username` for the login events only;
- `address` (the client's, core.http.client_address: `AXES_PROXY_COUNT` proxies trusted), `method`, `path`
  and `query` (the query string as an object);

then the event's own fields (`kind`, `rows`, `official_id`, `changes`, ...). A value whose name looks like a
secret (a password, a token, a session key, a CSRF token, a signature) never reaches a line: in the query,
in the path (a URL parameter named `token`) and in the event's fields it is written as "[scrubbed]".

Who calls it: accounts.signals (logins, logouts, lockouts, roles, regions and passwords of officials),
accounts.access.get_visible_or_404 (`out_of_region`), liaison.errors (403 and the CSRF failure page),
exports.views (exports and their downloads) and core.attachments (attachment downloads). Code without the
request at hand passes None: the request being answered is found through core.request_id.
"""

import json
import logging
import logging.handlers
import re
import sys
from datetime import UTC, datetime
from urllib.parse import parse_qs

from django.urls import Resolver404, resolve

from .http import client_address
from .request_id import current_request, current_request_id

LOGGER_NAME = "liaison.security"
logger = logging.getLogger(LOGGER_NAME)

SCRUBBED = "[scrubbed]"
# A parameter or field named like a secret: its value is never written.
SECRET_NAME = re.compile(
    r"token|passw|pwd|secret|csrf|session|signature|nonce|otp|ticket|credential|api_?key|access_?key"
    r"|(^|[_.-])(key|sig|auth)$",
    re.IGNORECASE,
)
# A name=value pair of a secret inside free text (a Referer quoted in a CSRF failure's reason).
SECRET_PAIR = re.compile(r"([\w.-]*(?:token|passw|pwd|secret|csrf|session|signature|key|sig)[\w.-]*)=[^&\s#]*", re.IGNORECASE)
MAX_TEXT = 500
MAX_PARAMETERS = 50


def security_event(request, event, *, user=None, **fields):
    """Write one line of the security log for `event` in `request` (None: the request being answered, if any).

    `user` is the acting official when it is not the request's user (a login, a fenced lookup for someone);
    `username` is given by the login events only; the other `fields` are the event's own.
    """
    logger.info(event, extra={"security": security_entry(request, event, user=user, **fields)})


def security_entry(request, event, *, user=None, **fields):
    """The line `security_event` writes, as a dict."""
    request = request if request is not None else current_request()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    entry = {
        "time": _utc_now(),
        "event": event,
        "request_id": getattr(request, "request_id", None) or current_request_id(),
        "user_id": user.pk if signed_in else None,
    }
    if "username" in fields:
        entry["username"] = _text(fields.pop("username"))
    entry["region"] = getattr(user, "region_id", None) if signed_in else None
    entry.update(_request_fields(request))
    entry.update(_scrubbed(fields))
    return entry


def _request_fields(request):
    if request is None:
        return {"address": None, "method": None, "path": None}
    fields = {"address": client_address(request), "method": request.method, "path": scrubbed_path(request)}
    query = scrubbed_query(request.META.get("QUERY_STRING", ""))
    if query:
        fields["query"] = query
    return fields


def scrubbed_query(query_string):
    """The query string as {name: value or [values]}, the values of secret-like names scrubbed."""
    parameters = parse_qs(query_string, keep_blank_values=True)
    query = {}
    for name, values in list(parameters.items())[:MAX_PARAMETERS]:
        values = [SCRUBBED if SECRET_NAME.search(name) else _text(value) for value in values]
        query[_text(name)] = values[0] if len(values) == 1 else values
    return query


def scrubbed_path(request):
    """The request's path, a URL parameter of a secret-like name (`feedback/<str:token>/`) scrubbed."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    if match is not None:
        for name, value in match.kwargs.items():
            if SECRET_NAME.search(name) and isinstance(value, str) and value:
                path = path.replace(value, SCRUBBED)
    return _text(path)


def scrubbed_text(text):
    """Free text (a reason) with any name=value pair of a secret-like name scrubbed."""
    return _text(SECRET_PAIR.sub(lambda pair: f"{pair.group(1)}={SCRUBBED}", str(text)))


def _scrubbed(fields):
    clean = {}
    for name, value in fields.items():
        if SECRET_NAME.search(name):
            clean[name] = SCRUBBED
        elif isinstance(value, dict):
            clean[name] = _scrubbed(value)
        else:
            clean[name] = value
    return clean


def _text(value):
    return str(value)[:MAX_TEXT]


def _utc_now():
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: the entry of `security_event`, or for any other record its time, level,
    logger, message and the request id."""

    def format(self, record):
        entry = getattr(record, "security", None)
        if entry is None:
            entry = {
                "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "event": record.getMessage(),
                "level": record.levelname,
                "logger": record.name,
                "request_id": current_request_id(),
            }
        return json.dumps(entry, ensure_ascii=False, default=str)


def security_log_handler(path=""):
    """The handler of the security log (settings.LOGGING builds it with `SECURITY_LOG_FILE`): lines appended to
    the file `path` when it is set, a WatchedFileHandler, so logrotate may move the file away; standard output
    otherwise."""
    if path:
        return logging.handlers.WatchedFileHandler(path, encoding="utf-8")
    return logging.StreamHandler(sys.stdout)
