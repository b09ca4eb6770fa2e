"""Checking uploaded visit attachments: photos and PDF minutes only, size-limited, and the content must
be what the extension says (a renamed file is refused); a PDF that would act when opened is refused too
(core.pdf_guard). Serving them: a photo is shown in the browser, anything else is downloaded."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .pdf_guard import check_pdf
from .request_id import current_request
from .security_log import security_event

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 9

# extension: (content type, the bytes such a file starts with)
KINDS = {
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "webp": ("image/webp", (b"RIFF",)),
    "pdf": ("application/pdf", (b"%PDF-",)),
}
ACCEPT = ",".join(f".{extension}" for extension in KINDS)
# Shown in the browser rather than downloaded, when the file's content says it is one of these (never an
# SVG, which may hold scripts).
INLINE_IMAGES = {"image/jpeg", "image/png", "image/webp"}


def _starts_as(extension, head):
    """Whether a file's first 16 bytes are those of a file of `extension`."""
    _content_type, signatures = KINDS[extension]
    return head.startswith(signatures) and (extension != "webp" or head[8:12] == b"WEBP")


def inline_image_type(head):
    """The content type of the image whose first 16 bytes are `head`, if it is one shown inline; else None."""
    for extension, (content_type, _signatures) in KINDS.items():
        if content_type in INLINE_IMAGES and _starts_as(extension, head):
            return content_type
    return None


def check_attachment(uploaded_file):
    """The content type of an acceptable attachment; a ValidationError naming the file otherwise."""
    name = uploaded_file.name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise ValidationError(_("%(name)s: only photos (JPG, PNG, WebP) and PDF files can be attached.") % {"name": name})
    if uploaded_file.size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; an attachment may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(uploaded_file.size), "limit": filesizeformat(MAX_BYTES)}
        )
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    if not _starts_as(extension, head):
        raise ValidationError(
            _("%(name)s is not really a %(kind)s file: its content does not match its name.")
            % {"name": name, "kind": extension.upper()}
        )
    if extension == "pdf":
        check_pdf(uploaded_file.read(), name)
        uploaded_file.seek(0)
    return KINDS[extension][0]


def checked_uploads(files):
    """Each uploaded file with its checked content type, in order; the first unacceptable file's
    ValidationError otherwise (before anything is written)."""
    return [(uploaded, check_attachment(uploaded)) for uploaded in files]


def random_file_name(folder, filename):
    """Where an attachment is stored: a random name under `folder`/year/month. The original name is kept
    in the database, never trusted on disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def attachment_response(attachment, *, filename=None):
    """The stored file under its original name (or `filename`), with headers that stop a browser from
    running it; 404 when the file is gone from disk. The caller has checked the user may see it.

    A photo whose content is a JPG, PNG or WebP is shown in the browser; anything else (PDF minutes, a
    bulletin's workbook or report, a file whose content is not the image it claims) is downloaded. Every
    file is for its reader only (Cache-Control: private), never sniffed into another type."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    image_type = inline_image_type(handle.read(16))
    handle.seek(0)
    stored_type = attachment.content_type
    response = FileResponse(
        handle,
        as_attachment=image_type is None,
        content_type=image_type or ("application/octet-stream" if stored_type.startswith("image/") else stored_type),
        filename=filename or attachment.original_name,
    )
    _log_download(attachment.file)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    patch_cache_control(response, private=True)
    return response


def _log_download(file):
    """A line in the security log naming the file's record (`visits.visitattachment.file`, id); the public
    showcase's photos, read by anyone, are not worth a line each."""
    request = current_request()
    user = getattr(request, "user", None)
    if request is not None and (user is None or not user.is_authenticated):
        return
    record = file.instance
    security_event(request, "attachment_download", kind=f"{record._meta.label_lower}.{file.field.name}", record_id=record.pk)


class StoredAttachment(models.Model):
    """What every attachment of the portal records beside its file (which a subclass declares, with its
    own folder) and the record it belongs to. Files are served only through fenced views."""

    original_name = models.CharField(gettext_lazy("file name"), max_length=200)
    content_type = models.CharField(gettext_lazy("type"), max_length=50)
    size = models.PositiveIntegerField(gettext_lazy("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]
        verbose_name = gettext_lazy("attachment")
        verbose_name_plural = gettext_lazy("attachments")

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")
