"""Exports written in the background: asked for through a list's export URL, joined when asked twice, written
by the worker in chunks with their progress, offered to their owner only, failing with a message, and removed
after EXPORT_KEEP_DAYS.

The visit list is the export these tests ask for; `test_every_export.py` walks every declared export.
"""

import io
import os
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from exports import services, tasks, writing
from exports.models import ExportJob, ExportStatus
from exports.views import export_response
from notifications.models import Notification
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("visits:export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def small_threshold(settings):
    """Any list of more than 3 rows is written in the background."""
    settings.EXPORT_INLINE_ROWS = 3


def signed_in(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def make_visits(enterprise, cadre, count, *, purpose, **fields):
    fields.setdefault("status", VisitStatus.SUBMITTED)
    return [
        Visit.objects.create(
            enterprise=enterprise,
            region_id=enterprise.region_id,
            cadre=cadre,
            level="county",
            purpose=f"{purpose}{number}",
            visited_on=timezone.localdate() - timedelta(days=number),
            **fields,
        )
        for number in range(count)
    ]


@pytest.fixture
def visits(cast):
    """Five visits in 历下区 (370102) and two in 市中区 (370103)."""
    inside = AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(region_id="370102")).enterprise
    outside = EnterpriseFactory(region_id="370103")
    return {
        "370102": make_visits(inside, cast["cadre"], 5, purpose="历下走访"),
        "370103": make_visits(outside, cast["other_county_cadre"], 2, purpose="市中走访"),
    }


def workbook_rows(content):
    """The header and the data rows (below the title row)."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet.iter_rows(min_row=2, values_only=True))


def downloaded_rows(client, job):
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == writing.XLSX_CONTENT_TYPE
    return workbook_rows(b"".join(response.streaming_content))


def ask_for_job(client, query=None):
    response = client.get(EXPORT_URL, query or {})
    assert response.status_code == 302, response
    job = ExportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert response.url == reverse("exports:job", args=[job.pk])
    return job


# At once or in the background


def test_a_small_export_answers_at_once_with_the_filtered_rows(cast, visits):
    response = signed_in(cast["county_staff"]).get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == writing.XLSX_CONTENT_TYPE
    rows = workbook_rows(b"".join(response.streaming_content))
    assert sorted(row[7] for row in rows[1:]) == [f"历下走访{n}" for n in range(5)]
    assert not ExportJob.objects.exists()


def test_a_large_export_becomes_a_job_whose_page_shows_its_progress(cast, visits, small_threshold):
    client = signed_in(cast["county_staff"])
    job = ask_for_job(client, {"status": VisitStatus.SUBMITTED, "page": "2", "mode": ""})

    assert (job.owner, job.kind, job.status, job.language) == (cast["county_staff"], "visits", ExportStatus.QUEUED, "en")
    assert job.params == {"status": [VisitStatus.SUBMITTED]}, "the page number and empty filters are not part of it"
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="0"' in page and 'aria-valuemax="100"' in page
    assert "exports/progress.js" in page


def test_the_worker_writes_the_filtered_rows_of_the_owners_region_only(cast, visits, small_threshold):
    client = signed_in(cast["county_staff"])
    job = ask_for_job(client)

    services.run_export_job(job.pk)

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert (job.rows_done, job.rows_total) == (5, 5)
    assert job.file_name == f"走访记录-{timezone.localdate():%Y%m%d}.xlsx"
    rows = downloaded_rows(client, job)
    assert rows[0][0] == "走访日期"
    assert [row[7] for row in rows[1:]] == [f"历下走访{n}" for n in range(5)], "newest first, never 市中区's visits"
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert reverse("exports:download", args=[job.pk]) in page and 'role="progressbar"' not in page


def test_the_city_gets_both_counties_and_a_filter_narrows_the_rows(cast, visits, small_threshold):
    client = signed_in(cast["city_staff"])
    job = ask_for_job(client)
    services.run_export_job(job.pk)
    assert len(downloaded_rows(client, ExportJob.objects.get(pk=job.pk))) == 1 + 7

    Visit.objects.filter(pk=visits["370102"][0].pk).update(status=VisitStatus.DRAFT)
    job = ask_for_job(client, {"region": "370102", "status": VisitStatus.SUBMITTED})
    services.run_export_job(job.pk)
    rows = downloaded_rows(client, ExportJob.objects.get(pk=job.pk))
    assert [row[7] for row in rows[1:]] == [f"历下走访{n}" for n in range(1, 5)]


def test_the_owner_is_notified_with_a_link_when_the_file_is_ready(cast, visits, small_threshold):
    job = ask_for_job(signed_in(cast["county_staff"]))
    services.run_export_job(job.pk)

    notification = Notification.objects.get(recipient=cast["county_staff"])
    assert notification.link == reverse("exports:job", args=[job.pk])
    # A message, read in each reader's language (notifications.texts).
    with translation.override("en"):
        assert "5 rows" in notification.display_title
    assert "共 5 行" in notification.title


def test_progress_is_written_after_every_chunk(cast, visits, small_threshold, monkeypatch):
    monkeypatch.setattr(writing, "CHUNK_SIZE", 2)
    job = ask_for_job(signed_in(cast["county_staff"]))
    seen = []
    write = services.write_workbook

    def watching(export, records, target, *, on_chunk=None, **kwargs):
        def progress(rows_written):
            on_chunk(rows_written)
            seen.append(ExportJob.objects.values_list("status", "rows_done", "rows_total").get(pk=job.pk))

        return write(export, records, target, on_chunk=progress, **kwargs)

    monkeypatch.setattr(services, "write_workbook", watching)
    services.run_export_job(job.pk)

    assert seen == [(ExportStatus.RUNNING, 2, 5), (ExportStatus.RUNNING, 4, 5)]
    assert ExportJob.objects.values_list("status", "rows_done", "rows_total").get(pk=job.pk) == (ExportStatus.DONE, 5, 5)


def test_the_progress_endpoint_reports_the_rows_written(cast, visits):
    job = ExportJob.objects.create(
        owner=cast["county_staff"], kind="visits", fingerprint="x", status=ExportStatus.RUNNING, rows_total=8, rows_done=2
    )
    answer = signed_in(cast["county_staff"]).get(reverse("exports:job_progress", args=[job.pk])).json()
    assert answer == {
        "status": "running",
        "status_label": "Writing",
        "finished": False,
        "rows_done": 2,
        "rows_total": 8,
        "percent": 25,
        "text": "2 of 8 rows written",
    }
    page = signed_in(cast["county_staff"]).get(reverse("exports:job", args=[job.pk])).content.decode()
    assert 'aria-valuenow="25"' in page and "2 of 8 rows written" in page


def test_the_view_hands_the_job_to_the_worker_once_committed(cast, visits, small_threshold, django_capture_on_commit_callbacks):
    client = signed_in(cast["county_staff"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = ask_for_job(client)

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, "the task ran (eagerly, in tests) after the commit"
    assert len(downloaded_rows(client, job)) == 1 + 5


# Asked for twice


def test_asking_again_while_it_is_written_joins_the_same_job(cast, visits, small_threshold):
    client = signed_in(cast["county_staff"])
    first = ask_for_job(client, {"status": VisitStatus.SUBMITTED})
    ExportJob.objects.filter(pk=first.pk).update(status=ExportStatus.RUNNING)

    again = client.get(EXPORT_URL, {"status": VisitStatus.SUBMITTED, "page": "3"}, follow=True)

    assert again.redirect_chain == [(reverse("exports:job", args=[first.pk]), 302)]
    assert "already being written" in again.content.decode()
    assert ExportJob.objects.count() == 1


def test_other_filters_another_official_or_a_finished_job_make_a_new_job(cast, visits, small_threshold):
    first = ask_for_job(signed_in(cast["county_staff"]))
    assert ask_for_job(signed_in(cast["county_staff"]), {"mode": "on_site"}) != first
    assert ask_for_job(signed_in(cast["city_staff"])) != first
    services.run_export_job(first.pk)
    assert ask_for_job(signed_in(cast["county_staff"])) != first
    assert ExportJob.objects.count() == 4


def test_two_unfinished_jobs_of_one_fingerprint_cannot_exist(cast):
    ExportJob.objects.create(owner=cast["county_staff"], kind="visits", fingerprint="same")
    ExportJob.objects.create(owner=cast["county_staff"], kind="visits", fingerprint="same", status=ExportStatus.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(owner=cast["county_staff"], kind="visits", fingerprint="same", status=ExportStatus.RUNNING)


def test_a_request_that_loses_the_race_joins_the_job_made_meanwhile(cast, visits, monkeypatch):
    """Two requests at the same moment: both miss the other's job, one insert fails on the constraint, and
    that request answers with the job the other made."""
    from exports.kinds import find_export

    export = find_export("visits")
    query = RequestFactory().get(EXPORT_URL).GET
    made, created = services.request_export(owner=cast["county_staff"], export=export, query=query, language="en")
    lookups = []
    find = services._unfinished_job

    def missing_it_once(key):
        lookups.append(key)
        return None if len(lookups) == 1 else find(key)

    monkeypatch.setattr(services, "_unfinished_job", missing_it_once)
    joined, created_again = services.request_export(owner=cast["county_staff"], export=export, query=query, language="en")

    assert created and not created_again
    assert joined == made and len(lookups) == 2
    assert ExportJob.objects.count() == 1


def test_a_job_lost_long_ago_is_given_up_and_asking_again_starts_anew(cast, visits, small_threshold):
    lost = ask_for_job(signed_in(cast["county_staff"]))
    ExportJob.objects.filter(pk=lost.pk).update(
        status=ExportStatus.RUNNING, started_at=timezone.now() - services.STALE_AFTER - timedelta(minutes=1)
    )

    fresh = ask_for_job(signed_in(cast["county_staff"]))

    lost.refresh_from_db()
    assert fresh != lost
    assert lost.status == ExportStatus.FAILED and "interrupted" in lost.error


def test_a_worker_stops_when_its_job_was_given_up_meanwhile(cast, visits, small_threshold, monkeypatch, media):
    monkeypatch.setattr(writing, "CHUNK_SIZE", 2)
    job = ask_for_job(signed_in(cast["county_staff"]))
    write = services.write_workbook

    def given_up_after_the_first_chunk(export, records, target, *, on_chunk=None, **kwargs):
        def progress(rows_written):
            ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error="interrupted")
            on_chunk(rows_written)

        return write(export, records, target, on_chunk=progress, **kwargs)

    monkeypatch.setattr(services, "write_workbook", given_up_after_the_first_chunk)
    services.run_export_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.file.name) == (ExportStatus.FAILED, "")
    assert not list(Path(media).rglob("*.xlsx")), "no half file is kept"


def test_a_job_delivered_twice_is_written_once(cast, visits, small_threshold):
    job = ask_for_job(signed_in(cast["county_staff"]))
    assert services.run_export_job(job.pk) is not None
    assert services.run_export_job(job.pk) is None
    assert Notification.objects.filter(recipient=cast["county_staff"]).count() == 1


# Only the owner


@pytest.mark.parametrize("name", ["exports:job", "exports:job_progress", "exports:download"])
def test_another_official_gets_404_for_a_job_and_its_file(cast, visits, small_threshold, name):
    job = ask_for_job(signed_in(cast["county_staff"]))
    services.run_export_job(job.pk)
    url = reverse(name, args=[job.pk])

    assert signed_in(cast["county_staff"]).get(url).status_code == 200
    for role in ("city_staff", "province_staff", "county_admin", "other_county_staff", "cadre"):
        assert signed_in(cast[role]).get(url).status_code == 404, role
    assert signed_in(cast["county_staff"]).get(reverse(name, args=[job.pk + 1000])).status_code == 404


def test_my_exports_lists_my_own_jobs_only(cast, visits, small_threshold):
    mine = ask_for_job(signed_in(cast["county_staff"]))
    services.run_export_job(mine.pk)
    theirs = ask_for_job(signed_in(cast["city_staff"]))

    page = signed_in(cast["county_staff"]).get(reverse("exports:list"))

    assert [job.pk for job in page.context["page"]] == [mine.pk]
    body = page.content.decode()
    assert reverse("exports:download", args=[mine.pk]) in body
    assert reverse("exports:job", args=[theirs.pk]) not in body
    # Every page's user menu leads there.
    assert f'href="{reverse("exports:list")}"' in signed_in(cast["cadre"]).get(reverse("home")).content.decode()


def test_an_official_who_lost_the_permission_may_not_download(cast, visits, small_threshold):
    official = UserFactory(region_id="370102", roles=[Role.STAFF])
    job = ask_for_job(signed_in(official))
    services.run_export_job(job.pk)
    official.groups.clear()

    assert signed_in(official).get(reverse("exports:download", args=[job.pk])).status_code == 404


# Failures


def test_a_failed_job_shows_a_clear_message_and_offers_no_file(cast, visits, small_threshold, monkeypatch, media):
    from dataclasses import replace

    from exports.kinds import find_export

    def broken(visit, number):
        raise RuntimeError("disk on fire")

    # Every row fails half way.
    monkeypatch.setattr(services, "find_export", lambda kind: replace(find_export(kind), row=broken))
    client = signed_in(cast["county_staff"])
    job = ask_for_job(client)
    temporary_files = set(ALL_TEMP_FILES)

    services.run_export_job(job.pk)

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.finished_at is not None
    assert [path for path in ALL_TEMP_FILES if path not in temporary_files and os.path.exists(path)] == [], (
        "the rows written before the failure are not left in a temporary file"
    )
    assert job.error == "The export could not be written. Try again; if it fails again, tell the administrators."
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert job.error in page and "disk on fire" not in page
    assert f"{EXPORT_URL}" in page, "a link to export again"
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    with translation.override("en"):
        assert "could not be written" in Notification.objects.get(recipient=cast["county_staff"]).display_title
    assert not list(Path(media).rglob("*.xlsx"))


def test_a_job_of_an_unknown_kind_fails_with_a_message(cast):
    job = ExportJob.objects.create(owner=cast["county_staff"], kind="no_such_export", fingerprint="x", language="en")
    services.run_export_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (ExportStatus.FAILED, "This kind of export no longer exists.")
    assert signed_in(cast["county_staff"]).get(reverse("exports:job", args=[job.pk])).status_code == 200


def test_an_unknown_kind_is_404(cast):
    request = RequestFactory().get("/")
    request.user = cast["county_staff"]
    with pytest.raises(Http404):
        export_response(request, "no_such_export")


def test_a_job_whose_owner_lost_the_permission_fails(cast, visits, small_threshold):
    official = UserFactory(region_id="370102", roles=[Role.STAFF])
    job = ask_for_job(signed_in(official))
    official.groups.clear()

    services.run_export_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.error) == (ExportStatus.FAILED, "You may no longer export this list.")


def test_the_job_fails_with_a_message_when_the_queue_is_down(
    cast, visits, small_threshold, monkeypatch, django_capture_on_commit_callbacks
):
    def unavailable(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.write_export, "delay", unavailable)
    client = signed_in(cast["county_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        job = ask_for_job(client)

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert "The task queue is not available" in client.get(reverse("exports:job", args=[job.pk])).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"since": "not-a-date"},
        {"region": "370103"},
        {"region": "999999", "cadre": "abc", "enterprise": "99999999999999999999"},
        {"status": "no-such-status", "mode": "<script>"},
    ],
)
def test_invalid_filters_select_nothing_as_on_the_list_page(cast, visits, small_threshold, query):
    response = signed_in(cast["county_staff"]).get(EXPORT_URL, query)
    assert response.status_code == 200, "nothing selected: an empty file at once, never an error"
    assert workbook_rows(b"".join(response.streaming_content))[1:] == []
    assert not ExportJob.objects.exists()


# Cleaning up


def test_old_exports_are_deleted_with_their_files(cast, visits, small_threshold, settings, media):
    settings.EXPORT_KEEP_DAYS = 7
    client = signed_in(cast["county_staff"])
    old = ask_for_job(client)
    services.run_export_job(old.pk)
    recent = ask_for_job(client, {"mode": "on_site"})
    services.run_export_job(recent.pk)
    old.refresh_from_db()
    recent.refresh_from_db()
    old_file = Path(old.file.path)
    assert old_file.exists()
    now = timezone.now()
    ExportJob.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=8))
    waiting = ExportJob.objects.create(owner=cast["county_staff"], kind="visits", fingerprint="waiting")

    assert services.remove_old_exports(now=now) == 1

    assert not old_file.exists()
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert Path(ExportJob.objects.get(pk=recent.pk).file.path).exists()


def test_the_cleanup_gives_up_lost_jobs(cast):
    lost = ExportJob.objects.create(
        owner=cast["county_staff"], kind="visits", fingerprint="lost", created_at=timezone.now() - timedelta(days=1)
    )
    tasks.remove_old_exports()
    lost.refresh_from_db()
    assert lost.status == ExportStatus.FAILED and lost.finished_at is not None


# Bounded queries


def test_the_workers_queries_do_not_grow_with_the_rows(cast, small_threshold, monkeypatch, django_assert_max_num_queries):
    enterprise = EnterpriseFactory(region_id="370102")
    make_visits(enterprise, cast["cadre"], 30, purpose="走访")
    client = signed_in(cast["county_staff"])

    def queries_of_a_run(chunk_size):
        monkeypatch.setattr(writing, "CHUNK_SIZE", chunk_size)
        job = ask_for_job(client, {"chunk": str(chunk_size)})  # not a filter: only makes a new job
        with CaptureQueriesContext(connection) as queries:
            services.run_export_job(job.pk)
        assert ExportJob.objects.get(pk=job.pk).rows_done == 30
        return len(queries)

    one_chunk = queries_of_a_run(30)
    three_chunks = queries_of_a_run(10)
    assert three_chunks <= one_chunk + 2, "one progress update per further chunk, nothing per row"
    monkeypatch.setattr(writing, "CHUNK_SIZE", 10)
    job = ask_for_job(client, {"again": "1"})
    with django_assert_max_num_queries(20):
        services.run_export_job(job.pk)


# Wiring


@pytest.mark.parametrize("task", ["exports.tasks.write_export", "exports.tasks.remove_old_exports"])
def test_export_tasks_go_to_the_io_queue(task):
    from liaison.celery import app

    assert task in app.tasks
    assert app.amqp.router.route({}, task)["queue"].name == "io"


def test_the_cleanup_is_scheduled(settings):
    assert "exports.tasks.remove_old_exports" in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def test_a_head_request_of_a_large_export_starts_no_job(cast, visits, small_threshold):
    assert signed_in(cast["county_staff"]).head(EXPORT_URL).status_code == 200
    assert not ExportJob.objects.exists()
    ask_for_job(signed_in(cast["county_staff"]))
    assert ExportJob.objects.count() == 1
