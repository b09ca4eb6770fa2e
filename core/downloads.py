"""Every file the portal hands out is for its reader only.

A FileResponse (an attachment, an export, a ledger, an import template, a policy's text) that does not say
otherwise is marked `Cache-Control: private`, so that no shared cache between the portal and its reader
keeps a copy for the next one, and `X-Content-Type-Options: nosniff`, so that a browser takes it for what its
Content-Type says. A view that means a file for everyone says so with its own Cache-Control (the public
showcase's photos: cases/photos.py). Whether a file is shown in the browser or downloaded is its view's
choice (core.attachments.attachment_response: photos inline, anything else downloaded).
"""

from django.http import FileResponse
from django.utils.cache import patch_cache_control


class PrivateDownloadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, FileResponse):
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
