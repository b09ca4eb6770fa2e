"""The security log across the portal: refusals (403 and the CSRF page), exports and their downloads, attachment
downloads and the fence's hidden records, each once, with the reader, their region, their address and the id
of the response; never a session key or a CSRF token."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.attachments import attachment_response
from core.request_id import RequestIdMiddleware
from core.tests.security_lines import captured_security_log
from enterprises.tests.factories import EnterpriseFactory
from exports import services as export_services
from exports.models import ExportJob
from visits.models import Visit, VisitAttachment, VisitStatus

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def security_log():
    with captured_security_log() as log:
        yield log


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def make_visits(cadre, region_code, count):
    enterprise = EnterpriseFactory(region_id=region_code)
    return [
        Visit.objects.create(
            enterprise=enterprise,
            region_id=region_code,
            cadre=cadre,
            level="county",
            purpose=f"走访{number}",
            visited_on=timezone.localdate() - timedelta(days=number),
            status=VisitStatus.SUBMITTED,
        )
        for number in range(count)
    ]


def test_a_role_refused_is_logged_as_permission_denied(cast, security_log):
    response = signed_in(cast["cadre"]).get(reverse("accounts:official_list"), {"region": "370102"})

    assert response.status_code == 403
    refused = security_log.one("permission_denied")
    assert (refused["user_id"], refused["region"], refused["address"]) == (cast["cadre"].pk, "370102", "127.0.0.1")
    assert (refused["method"], refused["path"], refused["query"]) == ("GET", "/accounts/officials/", {"region": "370102"})
    assert refused["request_id"] == response["X-Request-ID"]


def test_a_post_without_its_csrf_token_is_logged_as_a_csrf_failure_without_any_secret(cast, security_log):
    browser = signed_in(cast["county_staff"], enforce_csrf_checks=True)
    browser.get(reverse("accounts:password_change"))
    response = browser.post(reverse("accounts:password_change"), {"old_password": "Marker-Old-Pass-12"})

    assert response.status_code == 403
    failure = security_log.one("csrf_failure")
    assert failure["user_id"] == cast["county_staff"].pk and failure["region"] == "370102"
    assert failure["reason"] == "CSRF token missing." and failure["request_id"] == response["X-Request-ID"]
    assert not security_log.named("permission_denied")
    for secret in (browser.cookies["sessionid"].value, browser.cookies["csrftoken"].value, "Marker-Old-Pass-12"):
        assert secret not in security_log.text()


def test_an_export_answered_at_once_is_logged_with_its_kind_and_rows(cast, security_log):
    make_visits(cast["cadre"], "370102", 3)
    make_visits(cast["other_county_cadre"], "370103", 2)
    response = signed_in(cast["county_staff"]).get(reverse("visits:export"))

    assert response.status_code == 200
    export = security_log.one("export")
    assert (export["kind"], export["rows"]) == ("visits", 3), "the rows of the reader's region only"
    assert (export["user_id"], export["region"], export["request_id"]) == (
        cast["county_staff"].pk,
        "370102",
        response["X-Request-ID"],
    )


def test_the_download_of_an_export_job_is_logged_with_its_kind_and_rows(cast, security_log, settings):
    settings.EXPORT_INLINE_ROWS = 2
    make_visits(cast["cadre"], "370102", 4)
    client = signed_in(cast["county_staff"])
    client.get(reverse("visits:export"))
    job = ExportJob.objects.get()
    export_services.run_export_job(job.pk)
    assert not security_log.named("export"), "asking for a job hands out no rows"

    response = client.get(reverse("exports:download", args=[job.pk]))

    assert response.status_code == 200
    download = security_log.one("export_download")
    assert (download["kind"], download["rows"], download["job_id"]) == ("visits", 4, job.pk)
    assert (download["user_id"], download["request_id"]) == (cast["county_staff"].pk, response["X-Request-ID"])


@pytest.fixture
def attachment(cast):
    [visit] = make_visits(cast["cadre"], "370102", 1)
    return VisitAttachment.objects.create(
        visit=visit, file=SimpleUploadedFile("现场.png", PNG), original_name="现场.png", content_type="image/png", size=len(PNG)
    )


def test_an_attachment_download_names_the_file_and_the_reader(cast, security_log, attachment):
    response = signed_in(cast["county_staff"]).get(reverse("visits:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    download = security_log.one("attachment_download")
    assert (download["kind"], download["record_id"]) == ("visits.visitattachment.file", attachment.pk)
    assert (download["user_id"], download["region"], download["request_id"]) == (
        cast["county_staff"].pk,
        "370102",
        response["X-Request-ID"],
    )


def test_an_attachment_of_another_region_is_a_404_logged_as_out_of_region(cast, security_log, attachment):
    response = signed_in(cast["other_county_staff"]).get(reverse("visits:attachment", args=[attachment.pk]))

    assert response.status_code == 404
    hidden = security_log.one("out_of_region")
    assert (hidden["model"], hidden["lookup"]) == ("visits.visit", {"pk": attachment.visit_id})
    assert (hidden["user_id"], hidden["region"]) == (cast["other_county_staff"].pk, "370103")
    assert not security_log.named("attachment_download")


def test_a_file_read_by_an_anonymous_reader_of_a_public_page_is_not_a_line(security_log, attachment):
    request = RequestFactory().get("/showcase/photo/")
    request.user = AnonymousUser()
    response = RequestIdMiddleware(lambda request: attachment_response(attachment))(request)

    assert response.status_code == 200
    assert not security_log.lines
