"""Request bodies bounded before they cost anything (core.limits), and the upload settings that bound the rest."""

import io
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import translation

from cases.services import MAX_PHOTOS
from core.attachments import MAX_BYTES, MAX_FILES
from enterprises.io.spreadsheets import MAX_UPLOAD_BYTES
from enterprises.models import ImportJob
from enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("enterprises:import")
MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def signed_in(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def import_form(content=b"\xe4\xbc\x81\xe4\xb8\x9a\xe5\x90\x8d\xe7\xa7\xb0\n"):
    return encode_multipart(BOUNDARY, {"kind": "enterprises", "file": SimpleUploadedFile("企业.csv", content)})


def too_large_title(language):
    with translation.override(language):
        return translation.gettext("Too large to send")


def test_a_post_declaring_more_than_the_limit_is_refused_before_its_body_is_read_or_the_view_runs(cast, media_root):
    response = signed_in(cast["county_staff"], "zh-hans").generic(
        "POST",
        IMPORT_URL,
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page and too_large_title("zh-hans") in page
    assert [template.name for template in response.templates][:2] == ["413.html", "base.html"]
    assert not ImportJob.objects.exists() and not (media_root / "imports").exists()


def test_the_413_page_says_the_limits_in_the_readers_language(cast):
    response = signed_in(cast["county_staff"], "en").generic(
        "POST", IMPORT_URL, CONTENT_TYPE=MULTIPART_CONTENT, CONTENT_LENGTH=str(10**12), **{"wsgi.input": UnreadableBody()}
    )

    page = response.content.decode()
    assert response.status_code == 413 and '<html lang="en">' in page
    assert "Too large to send" in page and "121.0" in page and "10.0" in page


def test_a_post_within_the_limit_reaches_its_view(cast, settings):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    body = import_form()
    response = signed_in(cast["county_staff"]).generic("POST", IMPORT_URL, body, content_type=MULTIPART_CONTENT)

    assert len(body) < settings.MAX_REQUEST_BYTES and response.status_code == 200
    assert response.context["form"].errors["file"], "the view read the form and refused the file on its merits"


def chunked(client, body):
    """POST `body` as a server hands on a chunked request: no Content-Length, the input ends with the body."""
    return client.generic(
        "POST",
        IMPORT_URL,
        CONTENT_TYPE=MULTIPART_CONTENT,
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": body, "wsgi.input_terminated": True},
    )


def test_a_chunked_post_over_the_limit_is_refused_after_reading_no_more_than_the_limit(cast, settings, media_root):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    body = io.BytesIO(import_form(b"x" * MB))

    response = chunked(signed_in(cast["county_staff"], "zh-hans"), body)

    assert response.status_code == 413 and too_large_title("zh-hans") in response.content.decode()
    assert body.tell() <= settings.MAX_REQUEST_BYTES + 1
    assert not ImportJob.objects.exists() and not (media_root / "imports").exists()


def test_a_chunked_post_within_the_limit_is_read_as_if_its_length_were_declared(cast, settings, media_root):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    enterprise = EnterpriseFactory(region_id="370102")
    header = "企业名称,统一社会信用代码,所在地区代码,行业门类,企业规模"
    content = f"{header}\n{enterprise.name},{enterprise.credit_code},370102,C,小型\n"

    response = chunked(signed_in(cast["county_staff"]), io.BytesIO(import_form(content.encode())))

    assert response.status_code == 302, response.context["form"].errors
    assert len(list((media_root / "imports").rglob("*.csv"))) == 1


# The settings that bound uploads


def test_the_request_limit_fits_the_largest_legitimate_form_and_little_more():
    """A case's photos are the largest form; the limit must let them through, and not much else."""
    largest_form = max(MAX_PHOTOS, MAX_FILES) * MAX_BYTES
    assert largest_form >= MAX_UPLOAD_BYTES
    assert largest_form < settings.MAX_REQUEST_BYTES <= largest_form + 2 * MB


def test_the_readme_gives_the_proxy_the_same_limit():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert f"client_max_body_size {settings.MAX_REQUEST_BYTES // MB}m;" in readme
    assert settings.MAX_REQUEST_BYTES % MB == 0


def posted_file(size):
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff" + b"\x00" * (size - 3))
    return RequestFactory().post("/", {"file": photo}).FILES["file"]


def test_an_uploaded_file_over_a_megabyte_goes_to_a_temporary_file_not_to_memory():
    assert isinstance(posted_file(MB + 1), TemporaryUploadedFile)
    assert isinstance(posted_file(MB - 1024), InMemoryUploadedFile)


def posted_story(characters):
    """A form of one long text field, URL-encoded as browsers send it (9 bytes a Chinese character)."""
    return RequestFactory().post("/", urlencode({"story": "故" * characters}), content_type="application/x-www-form-urlencoded")


def test_form_fields_over_two_megabytes_are_refused_as_they_are_read():
    with pytest.raises(RequestDataTooBig):
        posted_story(2 * MB // 9 + 1000).POST  # noqa: B018 (reading the form is what is refused)
    assert posted_story(20_000).POST["story"]
