"""Shared fixtures: a fixed cast of officials, one per role and level, inside and outside 历下区."""

import pytest

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from liaison.celery import app as celery_app
from tests.cast import CAST_ROLES


@pytest.fixture(autouse=True)
def celery_eager():
    """Run tasks in-process: without this, .delay() would silently queue to disk or to Redis."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def test_settings(settings):
    """Fast password hashing, and static files served as they are (the manifest needs collectstatic)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def region():
    return lambda code: Region.objects.get(code=code)


@pytest.fixture
def cast(db):
    """Officials of every role: the province, 济南市, 历下区 (370102) and 市中区 (370103, outside 历下区)."""
    make = UserFactory
    officials = {
        "admin": make(username="t_admin", region_id="370000", roles=[Role.ADMINISTRATOR], is_staff=True),
        "province_staff": make(username="t_sd_staff", region_id="370000", roles=[Role.STAFF]),
        "reviewer": make(username="t_reviewer", region_id="370000", roles=[Role.REVIEWER]),
        "city_staff": make(username="t_jn_staff", region_id="370100", roles=[Role.STAFF]),
        "county_staff": make(username="t_lx_staff", region_id="370102", roles=[Role.STAFF]),
        "cadre": make(username="t_lx_cadre", region_id="370102", roles=[Role.CADRE]),
        "handler": make(username="t_lx_handler", region_id="370102", roles=[Role.HANDLER]),
        "county_admin": make(username="t_lx_admin", region_id="370102", roles=[Role.ADMINISTRATOR]),
        "other_county_staff": make(username="t_sz_staff", region_id="370103", roles=[Role.STAFF]),
        "other_county_cadre": make(username="t_sz_cadre", region_id="370103", roles=[Role.CADRE]),
    }
    assert tuple(officials) == CAST_ROLES, "tests/cast.py names the cast the role-walking tests use"
    return officials
