"""With a read replica (core.replica, liaison/db_router.py), a background export reads its rows from the
replica and writes its own progress and outcome to the primary.

As in liaison/tests/test_db_router.py, the `replica` alias mirrors the primary's test database: a second
connection, on which the reads that really reach the replica are seen. Transactional, as a mirror sees only
what is committed.
"""

import copy

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.replica import REPLICA
from enterprises.models import Tag
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from exports import services, writing
from exports.models import ExportJob, ExportStatus
from tests.reference_data import restore_reference_data


@pytest.fixture(scope="module", autouse=True)
def replica_alias():
    replica = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    replica["TEST"] = {**replica["TEST"], "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA] = replica
    yield
    if hasattr(connections._connections, REPLICA):
        connections[REPLICA].close()
        del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_the_worker_reads_every_chunk_from_the_replica_and_writes_the_job_to_the_primary(settings, tmp_path, monkeypatch):
    """A write inside `reading_from_replica()` would send the rest of its reads to the primary: the job's progress
    is written outside that opt-in, so the tags and liaisons of every chunk (one prefetch each) are read from the
    replica too, not only the first chunk's."""
    restore_reference_data()  # transactional tests flush every table after each other
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(writing, "CHUNK_SIZE", 2)
    staff = UserFactory(region_id="370102", roles=[Role.STAFF])
    cadre = UserFactory(region_id="370102", roles=[Role.CADRE])
    for _number in range(5):
        enterprise = EnterpriseFactory(region_id="370102")
        enterprise.tags.set(Tag.objects.all()[:1])
        AssignmentFactory(enterprise=enterprise, official=cadre)
    job = ExportJob.objects.create(owner=staff, kind="enterprises", fingerprint="replica", language="en")

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        services.run_export_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.rows_done) == (ExportStatus.DONE, 5)
    replica_sql = [query["sql"] for query in on_replica.captured_queries]
    primary_sql = [query["sql"] for query in on_primary.captured_queries]
    assert sum("enterprises_tag" in sql for sql in replica_sql) == 3, "one prefetch of tags per chunk"
    assert not any("enterprises_" in sql for sql in primary_sql)
    assert not any("exports_exportjob" in sql for sql in replica_sql)
    assert sum(sql.startswith("UPDATE") and "rows_done" in sql for sql in primary_sql) == 3, "progress twice, then done"
