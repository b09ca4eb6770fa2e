"""Checking uploaded visit attachments: photos and PDF minutes only, size-limited, and the content must
be what the extension says (a renamed file is refused)."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
    content_type, signatures = KINDS[extension]
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    if not any(head.startswith(signature) for signature in signatures) or (extension == "webp" and head[8:12] != b"WEBP"):
        raise ValidationError(
            _("%(name)s is not really a %(kind)s file: its content does not match its name.")
            % {"name": name, "kind": extension.upper()}
        )
    return content_type
