"""PDFs that would act when opened are refused on upload (core.pdf_guard), with small handcrafted PDFs."""

import base64
import os
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core import pdf_guard
from core.attachments import check_attachment
from core.pdf_guard import check_pdf
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from visits.models import Visit, VisitAttachment
from visits.policies.forms import check_pdf as check_policy_document

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
OPENING_CATALOG = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>"
SCRIPT = b"<< /S /JavaScript /JS (app.alert('opened')) >>"


def stream(dictionary, data):
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


CONTENT = stream(b"", b"BT /F1 12 Tf 20 100 Td (Minutes of the visit) Tj ET")


def pdf(*objects, trailer=b""):
    """A PDF of `objects` (numbered from 1), with its cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def object_stream(objects, filters=b"/Filter /FlateDecode", encode=zlib.compress):
    """An object stream holding `objects` ({number: body}), as PDF 1.5 compresses objects together."""
    offsets, bodies = [], b""
    for number, body in objects.items():
        offsets.append(b"%d %d" % (number, len(bodies)))
        bodies += body + b" "
    header = b" ".join(offsets) + b" "
    dictionary = b"/Type /ObjStm /N %d /First %d %s" % (len(objects), len(header), filters)
    return stream(dictionary, encode(header + bodies))


PLAIN = pdf(CATALOG, PAGES, PAGE, CONTENT)


def code_of(content):
    try:
        check_pdf(content, "纪要.pdf")
    except ValidationError as error:
        return error.code
    return None


def test_a_plain_pdf_is_accepted():
    assert code_of(PLAIN) is None


def test_a_pdf_whose_objects_are_compressed_harmlessly_is_accepted():
    assert code_of(pdf(CATALOG, PAGES, PAGE, CONTENT, object_stream({6: b"<< /Title (Minutes) /Author (Li Si) >>"}))) is None


def test_opening_at_a_page_is_accepted():
    """/OpenAction alone is what most PDFs do: open at the first page, fit to the window."""
    assert code_of(pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>", PAGES, PAGE, CONTENT)) is None


def test_binary_image_data_that_happens_to_hold_a_short_name_is_accepted():
    image = stream(b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter /DCTDecode", b"\xff\xd8 /JS (x) \xff\xd9")
    assert code_of(pdf(CATALOG, PAGES, PAGE, CONTENT, image)) is None


@pytest.mark.parametrize(
    "content",
    [
        pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, SCRIPT),
        pdf(b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 5 0 R >> >>", PAGES, PAGE, CONTENT, b"<< /Names [] >>"),
        pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, b"<< /S /Launch /F (cmd.exe) >>"),
        pdf(CATALOG, PAGES, b"<< /Type /Page /Parent 2 0 R /AA << /O 5 0 R >> >>", CONTENT, b"<< /S /SubmitForm /F (x) >>"),
        pdf(b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 5 0 R >> >>", PAGES, PAGE, CONTENT, b"<< >>"),
        pdf(b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /XFA 5 0 R >> >>", PAGES, PAGE, CONTENT, b"<< >>"),
        pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    ],
    ids=["open-action-script", "document-scripts", "launch", "submit-form", "embedded-files", "xfa", "escaped-names"],
)
def test_a_pdf_that_acts_when_opened_is_refused(content):
    assert code_of(content) == "active_pdf"


@pytest.mark.parametrize(
    "content",
    [
        pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, object_stream({5: SCRIPT})),
        pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, object_stream({5: b"<< /S /JavaScript /J#53 (x) >>"})),
        pdf(
            OPENING_CATALOG,
            PAGES,
            PAGE,
            CONTENT,
            object_stream(
                {5: SCRIPT},
                filters=b"/Filter [/ASCII85Decode /FlateDecode]",
                encode=lambda data: base64.a85encode(zlib.compress(data)) + b"~>",
            ),
        ),
        pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, object_stream({5: SCRIPT}).replace(b"/Type /ObjStm", b"/Type /Obj#53tm")),
    ],
    ids=["javascript", "escaped-js", "ascii85-then-flate", "escaped-type"],
)
def test_a_script_hidden_in_a_compressed_object_stream_is_refused(content):
    assert b"JavaScript" not in content, "hidden from a plain search"
    assert code_of(content) == "active_pdf"


@pytest.mark.parametrize(
    "content",
    [
        pdf(CATALOG, PAGES, PAGE, CONTENT, object_stream({5: SCRIPT}, filters=b"/Filter /LZWDecode", encode=lambda data: data)),
        pdf(CATALOG, PAGES, PAGE, CONTENT, object_stream({5: SCRIPT}, filters=b"/Filter /Fl /DecodeParms << /Predictor 12 >>")),
        pdf(CATALOG, PAGES, PAGE, CONTENT, object_stream({5: SCRIPT}), trailer=b"/Encrypt 9 0 R "),
    ],
    ids=["unknown-filter", "predictor", "encrypted-object-streams"],
)
def test_an_object_stream_that_cannot_be_read_here_is_refused(content):
    assert code_of(content) == "uncheckable_pdf"


def test_a_flate_bomb_in_an_object_stream_is_refused_without_inflating_it_all(monkeypatch):
    monkeypatch.setattr(pdf_guard, "MAX_DECODED", 1024 * 1024)
    bomb = object_stream({5: b"<< >>" + b" " * (8 * 1024 * 1024)})
    assert len(bomb) < 20_000
    assert code_of(pdf(CATALOG, PAGES, PAGE, CONTENT, bomb)) == "uncheckable_pdf"


def test_an_encrypted_pdf_without_object_streams_is_read_as_usual():
    assert code_of(pdf(CATALOG, PAGES, PAGE, CONTENT, trailer=b"/Encrypt 9 0 R ")) is None
    assert code_of(pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, SCRIPT, trailer=b"/Encrypt 9 0 R ")) == "active_pdf"


def test_ten_megabytes_of_images_are_checked_in_a_moment():
    """Image data is not searched for short names, and long ones are found by one pass of a regular expression."""
    images = [stream(b"/Subtype /Image /Filter /DCTDecode", os.urandom(1024 * 1024)) for _ in range(10)]
    assert code_of(pdf(CATALOG, PAGES, PAGE, CONTENT, *images)) is None


def test_the_attachment_check_refuses_an_active_pdf_and_rewinds_an_accepted_one():
    with pytest.raises(ValidationError) as refused:
        check_attachment(SimpleUploadedFile("纪要.pdf", pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, SCRIPT)))
    assert refused.value.code == "active_pdf" and "纪要.pdf" in refused.value.messages[0]
    accepted = SimpleUploadedFile("纪要.pdf", PLAIN)
    assert check_attachment(accepted) == "application/pdf" and accepted.read() == PLAIN


@pytest.mark.django_db
def test_a_visit_with_a_scripted_pdf_is_refused_in_the_readers_language_and_nothing_is_saved(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise = AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory()).enterprise
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(cast["cadre"])
    scripted = pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, object_stream({5: SCRIPT}))
    data = {
        "enterprise": enterprise.pk,
        "visited_on": timezone.localdate().isoformat(),
        "mode": "on_site",
        "purpose": "了解企业生产经营情况",
        "action": "submit",
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
        "attachments": [SimpleUploadedFile("纪要.pdf", scripted)],
    }

    response = client.post(reverse("visits:create"), data)

    with translation.override("zh-hans"), pytest.raises(ValidationError) as refusal:
        check_pdf(scripted, "纪要.pdf")
    expected = refusal.value.messages[0]
    assert response.status_code == 200 and '<html lang="zh-hans">' in response.content.decode()
    assert response.context["form"].errors["attachments"] == [expected]
    assert expected in response.content.decode()
    assert not Visit.objects.exists() and not VisitAttachment.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_a_policy_document_that_acts_when_opened_is_refused_too():
    """The policy library's PDFs are read by every cadre: the same check as attachments."""
    with pytest.raises(ValidationError) as refused:
        check_policy_document(
            SimpleUploadedFile("政策原文.pdf", pdf(OPENING_CATALOG, PAGES, PAGE, CONTENT, object_stream({5: SCRIPT})))
        )
    assert refused.value.code == "active_pdf"
    accepted = SimpleUploadedFile("政策原文.pdf", PLAIN)
    check_policy_document(accepted)
    assert accepted.read() == PLAIN
