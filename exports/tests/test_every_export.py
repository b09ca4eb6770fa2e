"""Every declared export, through its own URL, at once and in the background: the same rows either way, and
never a row of another county.

Each region holds records whose text carries a marker; a 历下区 (370102) official's export must hold 历下区's
marker and never 市中区's (370103), whether the file is written at once or by the worker.
"""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

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
KINDS = ["enterprises", "liaison_roster", "visits", "problem_ledger", "forums", "forum_opinions"]


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


def test_these_are_all_the_exports():
    """A new export is added to KINDS, so that the tests below walk it too."""
    assert sorted(all_exports()) == sorted(KINDS)


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
    assert job.rows_done == len(rows) - 1
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
