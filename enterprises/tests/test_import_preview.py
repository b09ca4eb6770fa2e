"""The import preview as a background job: a worker checks the rows in batches (a fixed number of queries
per batch, whatever the number of rows), the page shows its progress and then the preview kept on the job
(reloading does not check the file again), and files that cannot be imported at all are refused at once
with nothing kept.

The worker is held back where a test needs to see the job before it runs (`held`): the upload queues the
task, and the test runs it with `imports.run_preview_job`, as the worker would.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.io import imports, resources, spreadsheets, tasks
from enterprises.io.columns import Col
from enterprises.models import Enterprise, ImportJob, ImportStatus
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.test_import_export import (
    code,
    csv_bytes,
    enterprise_row,
    signed_in,
    stored_uploads,
    upload,
    xlsx_bytes,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("enterprises:import")
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff(cast):
    """The united-front staff member of 历下区 (370102)."""
    return signed_in(cast["county_staff"])


@pytest.fixture
def held(monkeypatch):
    """A worker that has not started yet: the ids of the previews queued."""
    queued = []
    monkeypatch.setattr(tasks.preview_import, "delay", queued.append)
    return queued


def upload_held(client, held, rows):
    """Upload a file whose preview waits for a worker: (the preview's URL, the job)."""
    response = upload(client, xlsx_file(rows))
    assert response.status_code == 302, response.context["form"].errors
    [job_id] = held[-1:]
    return response["Location"], ImportJob.objects.get(pk=job_id)


def mixed_rows(count):
    """`count` rows: an update of an enterprise of 历下区, a region of another county, an unknown region
    code, and new enterprises: every lookup a batch makes."""
    existing = EnterpriseFactory(region_id="370102", credit_code=code(1), name="已登记企业")
    rows = [
        enterprise_row(1, **{Col.NAME: existing.name + "（改名）"}),
        enterprise_row(2, **{Col.REGION: "370103"}),
        enterprise_row(3, **{Col.REGION: "999999"}),
    ]
    return rows + [enterprise_row(serial) for serial in range(4, count + 1)]


# A preview's queries: a fixed number per batch, none per row


def run_counted(job):
    with CaptureQueriesContext(connection) as captured:
        imports.run_preview_job(job.pk)
    return list(captured.captured_queries)


# The job (1), the official's counties, the industries and the tags (3), the preview kept (1).
FIXED_QUERIES = 5
# The enterprises of the batch's credit codes and their tags, which of them the official may change, the
# other regions the batch names (4), the progress (1).
QUERIES_PER_BATCH = 5


def test_the_preview_costs_a_fixed_number_of_queries_per_batch_not_per_row(staff, held, django_assert_max_num_queries):
    _url, small = upload_held(staff, held, mixed_rows(50))
    with django_assert_max_num_queries(FIXED_QUERIES + QUERIES_PER_BATCH):
        queries_50 = run_counted(small)
    Enterprise.objects.filter(credit_code=code(1)).delete()  # mixed_rows makes it again
    _url, large = upload_held(staff, held, mixed_rows(500))
    with django_assert_max_num_queries(FIXED_QUERIES + QUERIES_PER_BATCH):
        queries_500 = run_counted(large)

    assert resources.BATCH_SIZE == 500
    assert len(queries_500) == len(queries_50), "ten times the rows in one batch: not one query more"
    large.refresh_from_db()
    assert large.preview["counts"] == {"new": 497, "update": 1, "unchanged": 0, "error": 2}
    writes = [query["sql"] for query in queries_50 + queries_500 if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes and all('"enterprises_importjob"' in sql for sql in writes), "the preview writes its job only"


def test_more_batches_cost_the_same_queries_each(staff, held, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(resources, "BATCH_SIZE", 50)
    _url, one_batch = upload_held(staff, held, mixed_rows(50))
    queries_50 = run_counted(one_batch)
    Enterprise.objects.filter(credit_code=code(1)).delete()
    _url, ten_batches = upload_held(staff, held, mixed_rows(500))
    with django_assert_max_num_queries(FIXED_QUERIES + 10 * QUERIES_PER_BATCH):
        queries_500 = run_counted(ten_batches)

    progress_writes = 'UPDATE "enterprises_importjob" SET "rows_done"'
    progress = [query["sql"] for query in queries_500 if query["sql"].startswith(progress_writes)]
    assert len(progress) == 10, "the progress is written once per batch"
    # The first batch holds the rows with lookups of their own (an update, other regions); the nine others
    # only new enterprises: their credit codes (1) and the progress (1).
    assert len(queries_500) - len(queries_50) == 9 * 2


def test_the_progress_is_reported_as_each_batch_starts(staff, monkeypatch):
    monkeypatch.setattr(resources, "BATCH_SIZE", 2)
    upload(staff, xlsx_file([enterprise_row(serial) for serial in range(1, 6)]))
    job = ImportJob.objects.get()
    job_upload = imports.find_upload(token=job.token, user=job.owner)
    reported = []

    report = imports.preview_upload(job_upload, user=job.owner, progress=lambda done, total: reported.append((done, total)))

    assert reported == [(0, 5), (2, 5), (4, 5)]
    assert report.counts["new"] == 5
    assert (job.rows_done, job.rows_total, job.status) == (5, 5, ImportStatus.PREVIEWED)


# The page: progress while the worker checks, then the preview kept on the job


def test_the_page_shows_the_progress_until_the_preview_is_ready(staff, held):
    url, job = upload_held(staff, held, [enterprise_row(serial) for serial in range(1, 4)])

    page = staff.get(url)
    html = page.content.decode()
    assert 'role="progressbar"' in html and 'aria-valuenow="0"' in html and 'aria-label="Rows checked"' in html
    assert "Reading the file" in html and "exports/progress.js" in html
    assert 'data-testid="import-confirm"' not in html
    assert "Accept" in page["Vary"]
    assert staff.get(url, **JSON).json() == {
        "status": "previewing",
        "finished": False,
        "percent": 0,
        "text": "Reading the file…",
    }

    ImportJob.objects.filter(pk=job.pk).update(rows_done=1_500, rows_total=5_000)  # the worker, half-way
    assert staff.get(url, **JSON).json()["text"] == "1,500 of 5,000 rows checked"
    assert 'aria-valuenow="30"' in staff.get(url).content.decode()

    imports.run_preview_job(job.pk)

    progress = staff.get(url, **JSON).json()
    assert progress["finished"] is True and progress["percent"] == 100
    page = staff.get(url)
    assert 'role="progressbar"' not in page.content.decode()
    assert page.context["report"].counts == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    assert b'data-testid="import-confirm"' in page.content
    assert page.context["job"].file_name == "企业.xlsx"


def test_reloading_the_preview_does_not_check_the_file_again(staff, monkeypatch):
    queued, checked = [], []
    eager_delay, real_preview = tasks.preview_import.delay, imports.preview_upload
    monkeypatch.setattr(tasks.preview_import, "delay", lambda job_id: queued.append(job_id) or eager_delay(job_id))
    monkeypatch.setattr(imports, "preview_upload", lambda *args, **kwargs: checked.append(1) or real_preview(*args, **kwargs))

    url = upload(staff, xlsx_file([enterprise_row(1), enterprise_row(2, **{Col.INDUSTRY: "Z"})]))["Location"]
    pages = [staff.get(url) for _ in range(3)] + [staff.get(url, **JSON)]

    assert len(queued) == 1 and len(checked) == 1, "the preview was checked once, at the upload"
    assert all(page.status_code == 200 for page in pages)
    for page in pages[:3]:
        assert page.context["report"].counts == {"new": 1, "update": 0, "unchanged": 0, "error": 1}
        assert "Unknown industry Z" in page.content.decode()


def test_a_large_preview_keeps_the_first_changes_and_counts_them_all(staff, monkeypatch):
    monkeypatch.setattr(imports, "PREVIEW_ROW_LIMIT", 2)
    url = upload(staff, xlsx_file([enterprise_row(serial) for serial in range(1, 6)]))["Location"]

    page = staff.get(url)

    report = page.context["report"]
    assert report.counts["new"] == 5 and len(report.shown_change_rows) == 2 and report.hidden_change_count == 3
    assert "And 3 more rows." in page.content.decode()
    staff.post(url, {"action": "confirm"})
    assert Enterprise.objects.count() == 5, "the import applies the file, not the rows the preview kept"


def test_confirming_before_the_check_is_done_is_refused(staff, held, monkeypatch):
    applied = []
    monkeypatch.setattr(tasks.apply_import, "delay", applied.append)
    url, job = upload_held(staff, held, [enterprise_row(1)])

    response = staff.post(url, {"action": "confirm"}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "still being checked" in response.content.decode()
    assert applied == []
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWING


def test_a_preview_with_errors_cannot_be_confirmed(staff, monkeypatch):
    applied = []
    monkeypatch.setattr(tasks.apply_import, "delay", applied.append)
    url = upload(staff, xlsx_file([enterprise_row(1, **{Col.SIZE: "巨型"})]))["Location"]

    response = staff.post(url, {"action": "confirm"}, follow=True)

    assert "errors or nothing to change" in response.content.decode()
    assert applied == [] and ImportJob.objects.get().status == ImportStatus.PREVIEWED


def test_discarding_while_checking_removes_the_upload_and_its_job(staff, held, media_root):
    url, job = upload_held(staff, held, [enterprise_row(1)])

    response = staff.post(url, {"action": "discard"})

    assert response["Location"] == IMPORT_URL
    assert not ImportJob.objects.exists() and stored_uploads(media_root) == []
    assert imports.run_preview_job(job.pk) is None, "the queued check finds nothing to do"
    assert staff.get(url).status_code == 404


def test_a_check_that_fails_shows_why_instead_of_waiting_forever(staff, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(imports, "preview_upload", broken)
    url = upload(staff, xlsx_file([enterprise_row(1)]))["Location"]

    page = staff.get(url)

    assert ImportJob.objects.get().status == ImportStatus.PREVIEWED
    assert "could not be checked because of an error on the server" in page.content.decode()
    assert b'data-testid="import-confirm"' not in page.content
    assert b'role="progressbar"' not in page.content


def test_an_upload_kept_from_before_previews_were_jobs_is_checked_when_opened(staff, cast):
    kept = imports.store_upload(uploaded_file=xlsx_file([enterprise_row(1)]), kind="enterprises", user=cast["county_staff"])
    assert not ImportJob.objects.exists()

    page = staff.get(reverse("enterprises:import_preview", args=[kept.token]))

    assert page.status_code == 200
    assert page.context["report"].counts["new"] == 1
    assert ImportJob.objects.get().token == kept.token


def test_the_import_job_page_of_an_unconfirmed_upload_leads_to_its_preview(staff, held):
    url, job = upload_held(staff, held, [enterprise_row(1)])

    assert staff.get(reverse("enterprises:import_job", args=[job.pk]))["Location"] == url


def test_the_preview_task_runs_on_the_io_queue():
    from liaison.celery import app

    assert tasks.preview_import.name == "enterprises.tasks.preview_import"
    assert app.amqp.router.route({}, tasks.preview_import.name)["queue"].name == "io"


# Files that cannot be imported at all: a clear message at once, nothing kept, nothing queued


def too_many_rows():
    return xlsx_bytes([enterprise_row(serial) for serial in range(1, 5)])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("企业.csv", lambda: b"", "The submitted file is empty."),
        ("企业.csv", lambda: b"   \r\n  ", "The file is empty."),
        ("企业.xlsx", lambda: xlsx_bytes([], headers=[]), "The file is empty."),
        ("企业.csv", lambda: csv_bytes([]), "The file has only the header row and no data rows."),
        ("企业.csv", lambda: b"x" * (spreadsheets.MAX_UPLOAD_BYTES + 1), "The file is 5.0\xa0MB; the limit is 5.0\xa0MB."),
        ("企业.xlsx", too_many_rows, "The file has 4 rows; the limit is 3"),
    ],
    ids=["no-bytes", "blank", "empty-workbook", "header-only", "oversized", "too-many-rows"],
)
def test_an_empty_or_oversized_file_is_refused_at_once_and_nothing_is_kept(
    staff, held, media_root, monkeypatch, name, content, message
):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)

    response = upload(staff, SimpleUploadedFile(name, content()))

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith(message)
    assert error in response.content.decode()
    assert held == [] and not ImportJob.objects.exists() and stored_uploads(media_root) == []


def test_when_the_queue_is_down_at_upload_nothing_is_kept(staff, monkeypatch, media_root):
    def broker_down(job_id):
        raise ConnectionError("broker unavailable")

    monkeypatch.setattr(tasks.preview_import, "delay", broker_down)

    response = upload(staff, xlsx_file([enterprise_row(1)]))

    assert response.status_code == 200
    assert "The task queue is not available: the file was not checked." in response.content.decode()
    assert not ImportJob.objects.exists() and stored_uploads(media_root) == []
