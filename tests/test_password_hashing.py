"""Passwords are checked with Argon2 at Django's defaults for it (Django's recommended hasher): a login costs
about half the time of PBKDF2 at Django's 1,000,000 iterations, and no hasher is weaker than Django's
defaults. A password stored by PBKDF2 still logs in, and is stored anew with Argon2 as it does.

The other tests hash with MD5 to stay fast (conftest.py); these use the project's own list.
"""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher, get_hasher, make_password
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from liaison import settings as project_settings

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("login")


@pytest.fixture
def project_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    return settings.PASSWORD_HASHERS


def log_in(client, username):
    response = client.post(LOGIN_URL, {"username": username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home"), "the login was refused"
    return response


def test_argon2_comes_first_and_older_hashes_still_verify(project_hashers):
    assert project_hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in project_hashers
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in project_hashers
    hasher = get_hasher("default")
    assert type(hasher) is Argon2PasswordHasher, "Django's own class, so Django's own parameters"


def test_no_hasher_is_weaker_than_djangos_defaults(project_hashers):
    """Django 5.2's defaults: Argon2id with 100 MiB, 2 passes and 8 lanes; PBKDF2 with 1,000,000 iterations."""
    argon2 = get_hasher("argon2")
    assert (argon2.memory_cost, argon2.time_cost, argon2.parallelism) >= (102_400, 2, 8)
    assert get_hasher("pbkdf2_sha256").iterations >= 1_000_000
    stored = make_password(PASSWORD)
    assert stored.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")


def test_a_pbkdf2_password_logs_in_and_is_stored_again_with_argon2(project_hashers, client):
    official = UserFactory(username="t_pbkdf2", region_id="370102")
    official.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    official.save(update_fields=["password"])

    log_in(client, official.username)

    official.refresh_from_db()
    assert official.password.startswith("argon2$"), "upgraded at this login"
    client.logout()
    log_in(client, official.username)


def test_a_login_checks_the_password_once(project_hashers, client, monkeypatch):
    """One hash a login, whatever axes and the two authentication backends do; no rehash of a current hash."""
    official = UserFactory(username="t_argon2", region_id="370102")
    official.password = make_password(PASSWORD)
    official.save(update_fields=["password"])
    calls = []
    for hasher_class in (Argon2PasswordHasher, PBKDF2PasswordHasher):
        for method in ("verify", "encode"):
            original = getattr(hasher_class, method)
            monkeypatch.setattr(
                hasher_class,
                method,
                lambda self, *args, _original=original, _name=f"{hasher_class.algorithm}.{method}": (
                    calls.append(_name) or _original(self, *args)
                ),
            )

    log_in(client, official.username)

    assert calls == ["argon2.verify"]
