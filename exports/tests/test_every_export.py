"""Every declared export, through its own URL, at once and in the background: the same rows either way, and
never a row of another county; every one a ledger, titled with what it is, whose and the day.

Each region holds records whose text carries a marker; a 历下区 (370102) official's export must hold 历下区's
marker and never 市中区's (370103), whether the file is written at once or by the worker.
"""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from exports import services
from exports.kinds import all_exports
from exports.models import ExportJob, ExportStatus
from forums.models import Opinion
from forums.tests.factories import ForumFactory
from problems.tests.factories import ProblemFactory
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

MARKERS = {"370102": "历下标记", "370103": "市中标记"}
KINDS = ["enterprises", "liaison_roster", "visits", "due_visits", "problem_ledger", "forums", "forum_opinions"]
# Rows above the records: the title row and the header; the enterprise list, imported again, has its header first.
ROWS_ABOVE = {"enterprises": 1}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def records(cast):
    cadres = {"370102": cast["cadre"], "370103": cast["other_county_cadre"]}
    for code, marker in MARKERS.items():
        enterprise = EnterpriseFactory(region_id=code, name=f"{marker}企业")
        AssignmentFactory(enterprise=enterprise, official=cadres[code])
        Visit.objects.create(
            enterprise=enterprise,
            region_id=code,
            cadre=cadres[code],
            level="county",
            purpose=f"{marker}走访",
            status=VisitStatus.SUBMITTED,
        )
        ProblemFactory(enterprise=enterprise, raised_by=cadres[code], description=f"{marker}问题")
        forum = ForumFactory(region=Region.objects.get(code=code), theme=f"{marker}座谈会")
        Opinion.objects.create(forum=forum, region_id=code, enterprise=enterprise, text=f"{marker}意见")


# Exports for administrators only, with tests of their own: the audit trail (portal/audit/tests/test_audit_page.py,
# at once and in the background, fenced the same way).
ADMINISTRATORS_ONLY = ["audit_trail"]


def test_these_are_all_the_exports():
    """A new export is added to KINDS, so that the tests below walk it too."""
    assert sorted(all_exports()) == sorted(KINDS + ADMINISTRATORS_ONLY)


def cells(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [row for row in sheet.iter_rows(values_only=True)]


def text_of(rows):
    return " ".join(str(value) for row in rows for value in row if value is not None)


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_at_once_and_in_the_background_holds_the_same_rows_of_the_readers_region(cast, records, settings, kind):
    export = all_exports()[kind]
    client = Client()
    client.force_login(cast["county_staff"])
    url = reverse(export.url_name)

    at_once = client.get(url)
    assert at_once.status_code == 200
    rows = cells(b"".join(at_once.streaming_content))
    assert MARKERS["370102"] in text_of(rows) and MARKERS["370103"] not in text_of(rows)

    settings.EXPORT_INLINE_ROWS = 0
    response = client.get(url)
    assert response.status_code == 302
    job = ExportJob.objects.get(kind=kind)
    services.run_export_job(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert cells(b"".join(download.streaming_content)) == rows
    assert job.rows_done == len(rows) - ROWS_ABOVE.get(kind, 2)
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("kind", KINDS)
def test_the_city_reads_both_counties(cast, records, kind):
    client = Client()
    client.force_login(cast["city_staff"])
    # The roster lists one region's own liaisons (the city's by default); a region that does not exist is
    # ignored, which leaves the reader's whole fence.
    params = {"region": "999999"} if kind == "liaison_roster" else {}
    rows = cells(b"".join(client.get(reverse(all_exports()[kind].url_name), params).streaming_content))
    assert MARKERS["370102"] in text_of(rows) and MARKERS["370103"] in text_of(rows)


def sheet_of(response):
    assert response.status_code == 200, response
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", KINDS)
def test_every_export_is_titled_with_what_whose_and_when_above_a_frozen_filtered_header(cast, records, kind):
    export = all_exports()[kind]
    sheet = sheet_of(signed_in(cast["county_staff"]).get(reverse(export.url_name)))
    today = timezone.localdate().isoformat()
    header_row = ROWS_ABOVE.get(kind, 2)

    if header_row == 2:
        title = sheet["A1"].value
        assert title.startswith(export.file_stem) and today in title
        assert "济南市 历下区" in title or cast["county_staff"].display_name in title, title
    else:
        # Imported again as it is: the header first, the title on every printed page.
        assert export.file_stem in sheet.oddHeader.center.text and today in sheet.oddHeader.center.text
    assert [cell.value for cell in sheet[header_row]] == [str(header) for header in export.header_row()]
    assert all(cell.font.b for cell in sheet[header_row])
    assert sheet.freeze_panes == f"A{header_row + 1}"
    first, last = sheet.auto_filter.ref.split(":")
    assert first == f"A{header_row}" and last.endswith(str(sheet.max_row))


def test_the_title_names_the_region_the_filters_chose(cast, records):
    client = signed_in(cast["city_staff"])
    assert "济南市" in sheet_of(client.get(reverse("visits:export")))["A1"].value
    assert "济南市 市中区" in sheet_of(client.get(reverse("visits:export"), {"region": "370103"}))["A1"].value
    assert "济南市 市中区" in sheet_of(client.get(reverse("problems:ledger"), {"region": "370103"}))["A1"].value
    assert "济南市 市中区" in sheet_of(client.get(reverse("forums:export"), {"region": "370103"}))["A1"].value
