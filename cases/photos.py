"""Serving a case's photos. The caller has checked who may see the photo: the public only the photos
of a published case, officials those of the cases in their region."""

from core.attachments import attachment_response


def photo_response(photo, *, public=False):
    """The stored image, with the headers of every attachment. A public copy carries neither the
    uploader's file name nor a long cache life, so a withdrawn case's photos stop being served within
    minutes."""
    extension = photo.file.name.rsplit(".", 1)[-1].lower() if "." in photo.file.name else "jpg"
    file_name = f"case-{photo.case_id}-{photo.pk}.{extension}" if public else None
    response = attachment_response(photo, filename=file_name)
    response["Cache-Control"] = "public, max-age=300" if public else "private, max-age=300"
    return response
