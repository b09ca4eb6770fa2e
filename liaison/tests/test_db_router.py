"""The read replica (liaison/db_router.py, core/replica.py): which reads go to it, and when not.

The module adds the `replica` alias that DATABASE_REPLICA_URL configures, mirroring the primary's test
database as its TEST MIRROR asks: a second connection to the same database. Reads that really reach the
replica are seen on that connection (CaptureQueriesContext), so those tests are transactional: a mirror
sees only what is committed, as a standby would.
"""

import copy
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.replica import REPLICA, reading_from_replica
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory
from liaison import db_router
from tests.reference_data import restore_reference_data

REPLICA_TEST = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias():
    """What settings do with DATABASE_REPLICA_URL set, for this module: a `replica` alias mirroring default."""
    replica = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    replica["TEST"] = {**replica["TEST"], "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA] = replica
    yield
    if hasattr(connections._connections, REPLICA):
        connections[REPLICA].close()
        del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def no_replica():
    """A portal without DATABASE_REPLICA_URL."""
    replica = connections.settings.pop(REPLICA)
    yield
    connections.settings[REPLICA] = replica


@pytest.fixture
def reference_data():
    restore_reference_data()  # transactional tests flush every table after each other


def replica_queries(client, url, **kwargs):
    """The queries one GET sends to the replica, and to the primary."""
    on_replica, on_primary = CaptureQueriesContext(connections[REPLICA]), CaptureQueriesContext(connections[DEFAULT_DB_ALIAS])
    with on_replica, on_primary:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return [q["sql"] for q in on_replica.captured_queries], [q["sql"] for q in on_primary.captured_queries]


# The router's answers


def test_reads_go_to_the_primary_unless_the_code_opted_in():
    assert router.db_for_read(Enterprise) == DEFAULT_DB_ALIAS  # a Celery task, a command, a shell
    with reading_from_replica():
        assert router.db_for_read(Enterprise) == REPLICA
    assert router.db_for_read(Enterprise) == DEFAULT_DB_ALIAS


def test_writes_go_to_the_primary_and_send_the_rest_of_the_block_there():
    with reading_from_replica():
        assert router.db_for_write(Enterprise) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Enterprise) == DEFAULT_DB_ALIAS  # it reads what it wrote
    with reading_from_replica():
        assert router.db_for_read(Enterprise) == REPLICA  # a new block starts afresh
    assert router.db_for_write(Enterprise) == DEFAULT_DB_ALIAS


def test_a_row_read_from_the_replica_is_written_to_the_primary():
    enterprise = Enterprise(name="x")
    enterprise._state.db = REPLICA
    with reading_from_replica():
        assert router.db_for_write(Enterprise, instance=enterprise) == DEFAULT_DB_ALIAS


def test_sessions_and_the_login_lockout_are_read_from_the_primary():
    from axes.models import AccessAttempt

    with reading_from_replica():
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        assert router.db_for_read(AccessAttempt) == DEFAULT_DB_ALIAS
        assert router.db_for_read(get_user_model()) == REPLICA


def test_relations_are_allowed_and_migrations_run_on_the_primary_only():
    assert router.allow_relation(Enterprise(), Enterprise())
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "enterprises", model_name="enterprise")
    assert not router.allow_migrate(REPLICA, "enterprises", model_name="enterprise")


def test_without_a_replica_the_router_leaves_everything_to_django(no_replica):
    routers = db_router.ReplicaRouter()
    with reading_from_replica():
        assert routers.db_for_read(Enterprise) is None
        assert routers.db_for_write(Enterprise) is None
        assert router.db_for_read(Enterprise) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Enterprise) == DEFAULT_DB_ALIAS


def test_every_view_named_for_the_replica_is_a_url():
    def names(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from names(pattern, inner)
            elif pattern.name:
                yield f"{namespace}{pattern.name}"

    assert set(settings.REPLICA_READ_VIEWS) - set(names(get_resolver())) == set()


# The middleware, on its own


def respond(*, write=False):
    def get_response(request):
        if write:
            router.db_for_write(Enterprise)  # what a save() asks first
        return HttpResponse("ok")

    return get_response


def test_without_a_replica_the_middleware_pins_no_one(no_replica):
    requests = RequestFactory()
    assert db_router.PIN_COOKIE not in db_router.ReplicaReadsMiddleware(respond(write=True))(requests.post("/")).cookies


def test_the_pin_is_set_by_writes_and_unsafe_methods_only():
    requests = RequestFactory()
    middleware = db_router.ReplicaReadsMiddleware
    assert db_router.PIN_COOKIE not in middleware(respond())(requests.get("/")).cookies
    assert db_router.PIN_COOKIE in middleware(respond(write=True))(requests.get("/")).cookies
    for method in ("post", "put", "patch", "delete"):
        response = middleware(respond())(getattr(requests, method)("/"))
        cookie = response.cookies[db_router.PIN_COOKIE]
        assert cookie["max-age"] == settings.REPLICA_PIN_SECONDS and cookie["httponly"]


def test_a_forged_or_expired_pin_does_not_pin(monkeypatch):
    requests = RequestFactory()
    request = requests.get("/", headers={"cookie": f"{db_router.PIN_COOKIE}={time.time()}"})
    assert not db_router.pinned(request)  # unsigned
    response = db_router.ReplicaReadsMiddleware(respond())(requests.post("/"))
    request = requests.get("/", headers={"cookie": f"{db_router.PIN_COOKIE}={response.cookies[db_router.PIN_COOKIE].value}"})
    assert db_router.pinned(request)
    monkeypatch.setattr(db_router, "_clock", lambda: time.time() + settings.REPLICA_PIN_SECONDS + 1)
    assert not db_router.pinned(request)


# End to end: pages through the test client, queries seen on each connection


@REPLICA_TEST
def test_a_list_reads_from_the_replica(client, reference_data):
    EnterpriseFactory.create_batch(3)
    client.force_login(UserFactory(roles=[Role.STAFF]))
    on_replica, on_primary = replica_queries(client, reverse("enterprises:list"))
    assert any("enterprises_enterprise" in sql for sql in on_replica)
    assert not any("enterprises_enterprise" in sql for sql in on_primary)
    assert not any("django_session" in sql for sql in on_replica)  # the session is the primary's


@REPLICA_TEST
def test_a_page_not_named_reads_the_primary(client, reference_data):
    enterprise = EnterpriseFactory()
    client.force_login(UserFactory(roles=[Role.STAFF]))
    on_replica, on_primary = replica_queries(client, reverse("enterprises:detail", args=[enterprise.pk]))
    assert on_replica == [] and any("enterprises_enterprise" in sql for sql in on_primary)


@REPLICA_TEST
def test_a_post_and_the_users_next_pages_use_the_primary_until_the_pin_expires(client, reference_data, monkeypatch):
    EnterpriseFactory()
    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)
    with CaptureQueriesContext(connections[REPLICA]) as during_post:
        response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302 and during_post.captured_queries == []
    assert db_router.PIN_COOKIE in response.cookies

    list_url = reverse("enterprises:list")
    on_replica, on_primary = replica_queries(client, list_url)
    assert on_replica == [] and any("enterprises_enterprise" in sql for sql in on_primary)

    # Another official, who has not written, reads the replica meanwhile.
    other = Client()
    other.force_login(UserFactory(roles=[Role.STAFF]))
    assert replica_queries(other, list_url)[0] != []

    # Once the pin is older than REPLICA_PIN_SECONDS, the replica has long caught up.
    monkeypatch.setattr(db_router, "_clock", lambda: time.time() + settings.REPLICA_PIN_SECONDS + 1)
    assert replica_queries(client, list_url)[0] != []


@REPLICA_TEST
def test_reads_inside_a_transaction_use_the_primary(reference_data):
    EnterpriseFactory()
    with reading_from_replica():
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert Enterprise.objects.count() == 1
        assert len(on_replica.captured_queries) == 1
        with transaction.atomic(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert router.db_for_read(Enterprise) == DEFAULT_DB_ALIAS
            assert Enterprise.objects.count() == 1
        assert on_replica.captured_queries == []
        assert router.db_for_read(Enterprise) == REPLICA


@REPLICA_TEST
def test_a_task_block_reads_the_replica_and_writes_the_primary(reference_data):
    enterprise = EnterpriseFactory()
    with reading_from_replica(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
        read = Enterprise.objects.get(pk=enterprise.pk)
        assert read._state.db == REPLICA
        read.name = "改名后的企业"
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary:
            read.save(update_fields=["name"])
        assert any("UPDATE" in q["sql"] for q in on_primary.captured_queries)
        assert Enterprise.objects.get(pk=enterprise.pk).name == "改名后的企业"
    assert len(on_replica.captured_queries) == 1  # the read after the write went to the primary
