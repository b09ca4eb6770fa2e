"""A request's body bounded before anything reads it.

The proxy refuses a body over its `client_max_body_size`; the portal refuses one over MAX_REQUEST_BYTES
itself too (README, Production: the two are set equal), so that a web worker reached another way, or a
proxy set too generously, is not kept reading and spooling a body no form needs. The refusal is the page
413.html in the reader's language, with nothing read and no view run.

- A request that declares its Content-Length is judged by it, before a byte of the body is read.
- A request sent in chunks (Transfer-Encoding: chunked, no Content-Length), which a server such as gunicorn
  passes on decoded, is read here, at most MAX_REQUEST_BYTES + 1 bytes, into a temporary file (in memory up
  to FILE_UPLOAD_MAX_MEMORY_SIZE): over the limit it is refused; within it, Django reads it from that file
  with its length known, as if the client had declared it. A server that does not pass such a body on
  (`wsgi.input_terminated` unset, as Django's development server) gives Django an empty body, which costs
  nothing.

The middleware comes last in MIDDLEWARE, so that the 413 page has its reader, language and headers; no
middleware before it reads the body, and the views (and the CSRF check, which reads the form) run after it.
"""

import tempfile

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

from .attachments import MAX_BYTES

CHUNK = 64 * 1024


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BYTES
        length = declared_length(request.META)
        if length is not None:
            if length > limit:
                return request_too_large(request, limit)
        elif sent_in_chunks(request) and not read_chunked_body(request, limit):
            return request_too_large(request, limit)
        return self.get_response(request)


def declared_length(meta):
    """The body's declared length; None when the request declares none (or nonsense)."""
    try:
        length = int(meta.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def sent_in_chunks(request):
    """Whether the body comes without a declared length, and the server hands it over whole."""
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and bool(request.META.get("wsgi.input_terminated"))


def read_chunked_body(request, limit):
    """Read a body of undeclared length, at most `limit` bytes, for Django to read again; False when it is longer."""
    body = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, dir=settings.FILE_UPLOAD_TEMP_DIR)
    source, size = request.META["wsgi.input"], 0
    while chunk := source.read(min(CHUNK, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            body.close()
            return False
        body.write(chunk)
    body.seek(0)
    request.META["CONTENT_LENGTH"] = str(size)
    # Django's WSGIRequest reads its body from `_stream`, bounded by the length it was created with (0 here).
    request._stream = LimitedStream(body, size)
    return True


def request_too_large(request, limit):
    context = {"limit": filesizeformat(limit), "file_limit": filesizeformat(MAX_BYTES)}
    return render(request, "413.html", context, status=413)
