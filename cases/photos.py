"""Serving a case's photos. The caller has checked who may see the photo: the public only the photos
of a published case, officials those of the cases in their region."""

from django.http import FileResponse, Http404


def photo_response(photo, *, public=False):
    """The stored image, shown inline, with headers that stop a browser from running it; 404 when the
    file is gone from disk. A public copy carries neither the uploader's file name nor a long cache
    life, so a withdrawn case's photos stop being served within minutes."""
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = photo.file.name.rsplit(".", 1)[-1].lower() if "." in photo.file.name else "jpg"
    file_name = f"case-{photo.case_id}-{photo.pk}.{extension}" if public else photo.original_name
    response = FileResponse(handle, content_type=photo.content_type, filename=file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "public, max-age=300" if public else "private, max-age=300"
    return response
