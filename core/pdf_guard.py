"""Refusing a PDF that would act when opened, before it is kept as an attachment.

A PDF is refused when its PDF syntax names any of these (written plainly or with #xx escapes, /J#61vaScript):

- /JavaScript, /JS: scripts, whether the document's own or those an action runs (/OpenAction on opening,
  /AA on a page, a field or a link);
- /Launch: an action that runs a program or opens another file;
- /SubmitForm, /ImportData: actions that send the form's fields to an address or read data into it;
- /EmbeddedFile, /EmbeddedFiles: files carried inside the PDF, which no check of the attachment's type saw;
- /RichMedia: Flash and other embedded media, with scripts of their own;
- /XFA: XML forms, whose scripts live in XML this scan does not read.

/OpenAction and /AA themselves are allowed: most PDFs use them harmlessly (open at page 1, fit the page), and
what they would run is refused by the names above. Links (/URI) are allowed.

Where the names are looked for: the PDF syntax outside streams, and inside object streams (/ObjStm, PDF 1.5:
objects compressed together, where a script's dictionary hides from a plain search) once decoded. Other
streams (page drawings, images, fonts) hold no dictionary a viewer acts on, and their binary content would
match a short name such as /JS by chance; the long names are looked for in them too, so that a stream whose
end is disguised hides nothing. An object stream is decoded through FlateDecode, ASCIIHexDecode and
ASCII85Decode, at most MAX_DECODED bytes in all; another filter, a predictor, more bytes (a flate bomb), or
object streams in an encrypted PDF cannot be checked here, and such a PDF is refused too: printing it to a
new PDF gives one that can.
"""

import base64
import binascii
import re
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACTIVE_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"SubmitForm", b"ImportData", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"}
)
# Looked for in the binary content of streams too: long enough not to occur there by chance.
LONG_NAMES = ACTIVE_NAMES - {b"JS"}
# What the object streams of one PDF may decode to, in all.
MAX_DECODED = 64 * 1024 * 1024
# Compressed input fed to zlib at a time, so that a damaged stream yields what came before the damage.
INFLATE_STEP = 64 * 1024

_DELIMITERS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
_NAME = re.compile(rb"/([^" + _DELIMITERS + rb"]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_ESCAPED_NAME = re.compile(rb"/([^" + _DELIMITERS + rb"]*#[0-9A-Fa-f]{2}[^" + _DELIMITERS + rb"]*)")
_LONG_NAME = re.compile(rb"/(" + b"|".join(sorted(LONG_NAMES)) + rb")(?=[" + _DELIMITERS + rb"]|$)")
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_END = re.compile(rb"\s*endstream")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^" + _DELIMITERS + rb"]+)")
_PREDICTOR = re.compile(rb"/Predictor\s+(\d+)")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


class _Uncheckable(Exception):
    pass


def check_pdf(content, name):
    """Refuse (ValidationError naming the file `name`) the PDF bytes `content` if they carry what may act when
    the file is opened, or hide part of themselves where this scan cannot read."""
    try:
        active = _active_names(content)
    except _Uncheckable:
        raise ValidationError(
            _(
                "%(name)s is encrypted or packed in a way that cannot be checked for scripts. Print it to a new PDF "
                "(Print, then Save as PDF) and attach that."
            )
            % {"name": name},
            code="uncheckable_pdf",
        ) from None
    if active:
        raise ValidationError(
            _(
                "%(name)s contains scripts or actions that run when it is opened (JavaScript, launching a program, "
                "sending form data or files embedded in it), which an attachment may not. Print it to a new PDF "
                "(Print, then Save as PDF) and attach that."
            )
            % {"name": name},
            code="active_pdf",
        )


def _active_names(content):
    """The active names the PDF holds (an empty set for a passive PDF); _Uncheckable if part cannot be read."""
    syntax, streams = _split(content)
    names = _names(syntax)
    found = names & ACTIVE_NAMES
    found |= set(_LONG_NAME.findall(content))
    found |= {_unescape(match) for match in _ESCAPED_NAME.findall(content)} & LONG_NAMES
    encrypted = b"Encrypt" in names
    room = MAX_DECODED
    for before, data in streams:
        if not _is_object_stream(before):
            continue
        if encrypted:
            raise _Uncheckable
        decoded = _decode(data, _normalise(before), room)
        room -= len(decoded)
        found |= _names(decoded) & ACTIVE_NAMES
    return found


def _split(content):
    """The PDF's syntax outside stream data, and each stream as (the syntax since the previous stream, which ends
    with the stream's dictionary; its raw data). Only streams carry /Filter, /DecodeParms and /Length, so the last
    of each before a stream is its own."""
    syntax, streams, position = [], [], 0
    while (match := _STREAM.search(content, position)) is not None:
        start = match.end()
        before = content[position : match.start() + 2]
        end = None
        lengths = _LENGTH.findall(_normalise(before))
        if lengths and _END.match(content, start + int(lengths[-1])):
            end = start + int(lengths[-1])
        if end is None:
            found = content.find(b"endstream", start)
            end = found if found >= 0 else len(content)
        syntax.append(content[position:start])
        streams.append((before, content[start:end]))
        position = end
    syntax.append(content[position:])
    return b"\n".join(syntax), streams


def _is_object_stream(before):
    """Whether the stream after `before` holds objects: its dictionary says /Type /ObjStm (a name nothing else
    uses), or has the /First and /N an object stream needs (/First alone is also an outline's)."""
    if b"ObjStm" in _names(before):
        return True
    headers = list(_OBJECT.finditer(before))
    own = before[headers[-1].end() :] if headers else before
    return {b"First", b"N"} <= _names(own)


def _unescape(name):
    return _ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), name)


def _normalise(text):
    """`text` with every escaped name written plainly."""
    return _ESCAPED_NAME.sub(lambda match: b"/" + _unescape(match.group(1)), text)


def _names(text):
    return {_unescape(name) for name in _NAME.findall(text)}


def _decode(data, before, room):
    """An object stream's decoded content, at most `room` bytes; _Uncheckable if it cannot be decoded here."""
    predictors = _PREDICTOR.findall(before)
    if predictors and int(predictors[-1]) > 1:
        raise _Uncheckable
    chains = _FILTER.findall(before)
    filters = [_unescape(name) for name in _NAME.findall(chains[-1])] if chains else []
    for name in filters:
        if name in (b"FlateDecode", b"Fl"):
            data = _inflate(data, room)
        elif name in (b"ASCIIHexDecode", b"AHx"):
            digits = re.sub(rb"\s", b"", data.split(b">", 1)[0])
            try:
                data = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
            except binascii.Error:
                raise _Uncheckable from None
        elif name in (b"ASCII85Decode", b"A85"):
            try:
                data = base64.a85decode(data.split(b"~>", 1)[0].lstrip().removeprefix(b"<~"), ignorechars=b" \t\n\r\x0b\x0c")
            except ValueError:
                raise _Uncheckable from None
        else:
            raise _Uncheckable
        if len(data) > room:
            raise _Uncheckable
    return data


def _inflate(data, room):
    """The inflated `data`, _Uncheckable beyond `room` bytes. A damaged stream gives what came out before the
    damage, which is what a viewer would read."""
    decompressor = zlib.decompressobj()
    output = bytearray()
    for start in range(0, len(data), INFLATE_STEP):
        feed = data[start : start + INFLATE_STEP]
        try:
            while feed:
                output += decompressor.decompress(feed, room + 1 - len(output))
                if len(output) > room:
                    raise _Uncheckable
                feed = decompressor.unconsumed_tail
        except zlib.error:
            break
        if decompressor.eof:
            break
    return bytes(output)
