"""How files leave the portal: a photo whose content is an image is shown in the browser, anything else is
downloaded, and every file is private to its reader and never sniffed (core.attachments.attachment_response,
core.downloads)."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from assessment.models import AssessmentPeriod, Bulletin
from enterprises.tests.factories import EnterpriseFactory
from visits.models import Visit, VisitAttachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
DOCX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff(cast):
    client = Client()
    client.force_login(cast["county_staff"])
    return client


def stored(cast, name, content, content_type):
    enterprise = EnterpriseFactory(region_id="370102")
    visit = Visit.objects.create(enterprise=enterprise, region_id="370102", cadre=cast["cadre"], level="county")
    return VisitAttachment.objects.create(
        visit=visit, file=ContentFile(content, name=name), original_name=name, content_type=content_type, size=len(content)
    )


def downloaded(client, attachment):
    response = client.get(reverse("visits:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    return response


def assert_private_and_never_sniffed(response):
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("name", "content", "content_type"), [("现场.png", PNG, "image/png"), ("现场.webp", WEBP, "image/webp")])
def test_a_photo_is_shown_in_the_browser(cast, staff, name, content, content_type):
    response = downloaded(staff, stored(cast, name, content, content_type))

    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == content_type
    assert_private_and_never_sniffed(response)
    assert b"".join(response.streaming_content) == content


def test_pdf_minutes_are_downloaded_not_opened_in_the_browser(cast, staff):
    response = downloaded(staff, stored(cast, "纪要.pdf", PDF, "application/pdf"))

    assert response["Content-Disposition"].startswith("attachment;") and "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert_private_and_never_sniffed(response)


def test_a_word_document_is_downloaded(cast):
    """A bulletin's report, served by the same response."""
    period = AssessmentPeriod.objects.create(label="2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
    bulletin = Bulletin.objects.create(
        period=period, region_id="370100", issue="2026-11", as_of=date(2026, 11, 30), report=ContentFile(DOCX, name="通报.docx")
    )
    client = Client()
    client.force_login(cast["city_staff"])

    response = client.get(reverse("assessment:bulletin_report", args=[bulletin.pk]))

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == DOCX_TYPE
    assert_private_and_never_sniffed(response)


def test_a_file_recorded_as_a_photo_whose_content_is_not_one_is_downloaded_as_bytes(cast, staff):
    """The record's type is not trusted: a page of script saved as a photo is neither shown nor typed an image."""
    response = downloaded(staff, stored(cast, "现场.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"))

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert_private_and_never_sniffed(response)


@pytest.mark.parametrize(
    "url",
    [reverse("enterprises:export"), reverse("enterprises:import_template", args=["enterprises"])],
    ids=["export", "import-template"],
)
def test_every_other_file_the_portal_hands_out_is_private_too(cast, url):
    client = Client()
    client.force_login(cast["county_staff"])
    response = client.get(url)

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert_private_and_never_sniffed(response)
