"""`manage.py loadtest`: a real gunicorn on the small preset of `generate_scale_data`, officials of every kind
browsing and cadres logging visits through the visit form; no error, and every visit posted is found.

The server is another process and sees only committed data, so these tests use a transactional database (and
put back the reference rows the flush after such a test removes), on PostgreSQL only: SQLite's test database
lives in this process's memory (the command refuses it, tested below).
"""

import io
import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from accounts.demo import DEFAULT_PASSWORD
from accounts.models import User
from bench.load import MARKER, FormFields, LoadError, database_url, percentile
from bench.pages import PAGES
from tests.reference_data import restore_reference_data
from visits.models import Visit, VisitStatus

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="gunicorn needs a database it can share: run with DATABASE_URL on PostgreSQL"
)


@pytest.fixture
def generated(transactional_db, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    restore_reference_data()  # the flush after an earlier transactional test removed the regions
    with translation.override("en"):
        call_command("generate_scale_data", "--preset", "small", "--seed", "7", stdout=io.StringIO())
    # The tests hash passwords with MD5, which the server's settings do not accept: the server checks this.
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(username__startswith="scale_").update(password=hasher.encode(DEFAULT_PASSWORD, hasher.salt()))


def _loadtest(tmp_path, *arguments):
    output = tmp_path / "load.txt"
    with translation.override("en"):
        call_command(
            "loadtest", *arguments, "--output", str(output), stdout=io.StringIO(), stderr=io.StringIO()
        )  # raises CommandError on any error or lost visit
    return output.read_text(encoding="utf-8")


@postgresql
def test_every_kind_browses_and_every_visit_logged_is_in_the_database(generated, tmp_path):
    text = _loadtest(tmp_path, "--users", "6", "--duration", "5", "--workers", "2")

    posted, found, lost = map(int, re.search(r"Visits: (\d+) posted, (\d+) found .*, (\d+) lost", text).groups())
    assert posted > 0 and found == posted and lost == 0
    written = Visit.objects.filter(purpose__startswith=f"{MARKER} ")
    assert written.count() == posted
    assert set(written.values_list("status", flat=True)) == {VisitStatus.SUBMITTED}
    assert "Errors: none." in text
    assert "Pages skipped" not in text  # every page of bench/pages.py is requested (a new object key needs load.py)
    total = re.search(r"^all\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text, re.M)
    requests, errors, rate, p50, p95, p99 = map(float, total.groups())
    assert requests > posted * 3 and errors == 0 and rate > 0 and 0 < p50 <= p95 <= p99
    assert re.search(r"page\s+requests\s+errors\s+req/s\s+p50\s+p95\s+p99", text)
    # The six users are three cadres, county staff, a handler and a reviewer: each kind requested its pages.
    requested = set(re.findall(r"^(\S.*?)\s+\d+\s+0\s+[\d.]+\s", text, re.M))
    assert {"visit form", "visit post", "visit detail"} <= requested
    for kind in ("county staff", "handler", "reviewer"):
        assert requested & {page.label for page in PAGES[kind] if page not in PAGES["cadre"]}, kind
    assert "cores" in text and "database PostgreSQL" in text
    assert "Shutting down: Master" in (tmp_path / "load-server.log").read_text()  # gunicorn was stopped


@postgresql
def test_a_refused_login_stops_the_run_after_one_attempt(generated, tmp_path, monkeypatch):
    from axes.models import AccessAttempt

    monkeypatch.setenv("DEMO_PASSWORD", "not-the-password")
    with pytest.raises(CommandError, match="login as scale_.* failed: login refused"):
        _loadtest(tmp_path, "--users", "4", "--duration", "1", "--workers", "1")
    assert AccessAttempt.objects.get().failures_since_start == 1  # far from django-axes' lockout
    assert not Visit.objects.filter(purpose__startswith=f"{MARKER} ").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the default test database is SQLite's in memory")
def test_an_in_memory_database_is_refused_with_its_reason(db, tmp_path):
    with pytest.raises(CommandError, match="in-memory SQLite"):
        _loadtest(tmp_path, "--users", "2", "--duration", "1")


@pytest.mark.parametrize("arguments", [["--users", "0"], ["--duration", "-1"], ["--think", "x"], ["--url", "ftp://host"]])
def test_bad_arguments_are_refused(arguments, tmp_path):
    with pytest.raises(CommandError):
        _loadtest(tmp_path, *arguments)


def test_the_server_gets_the_database_of_this_process():
    settings_dict = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "test_liaison",
        "USER": "postgres",
        "PASSWORD": "p@ss/word",
        "HOST": "127.0.0.1",
        "PORT": 5432,
        "OPTIONS": {"sslmode": "disable"},
    }
    import environ

    parsed = environ.Env.db_url_config(database_url(settings_dict))
    assert {key: parsed[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")} == {
        "NAME": "test_liaison",
        "USER": "postgres",
        "PASSWORD": "p@ss/word",
        "HOST": "127.0.0.1",
        "PORT": 5432,
    }
    assert parsed["OPTIONS"] == {"sslmode": "disable"}
    with pytest.raises(LoadError, match="in-memory"):
        database_url({"ENGINE": "django.db.backends.sqlite3", "NAME": "file:memorydb_default?mode=memory&cache=shared"})


def test_the_form_read_is_the_one_posted_to_not_the_language_form():
    html = """
    <form method="post" action="/i18n/setlang/"><input name="language" value="en"></form>
    <form method="post" enctype="multipart/form-data">
      <input type="hidden" name="csrfmiddlewaretoken" value="token">
      <select name="enterprise"><option value="">Choose</option><option value="7">A</option></select>
      <input type="radio" name="mode" value="on_site" checked><input type="radio" name="mode" value="phone">
      <input type="checkbox" name="policies" value="3"><input type="file" name="attachments">
      <textarea name="situation">
Steady</textarea>
      <button type="submit" name="action" value="submit">Submit</button>
    </form>"""
    fields = FormFields(html, "/visits/new/")
    assert fields.fields == [("csrfmiddlewaretoken", "token"), ("enterprise", ""), ("mode", "on_site"), ("situation", "Steady")]
    assert fields.options == {"enterprise": ["", "7"]}
    assert fields.buttons == {"action": ["submit"]}


def test_percentiles_are_nearest_rank():
    ordered = [i / 100 for i in range(1, 101)]
    assert (percentile(ordered, 50), percentile(ordered, 95), percentile(ordered, 99)) == (0.5, 0.95, 0.99)
    assert percentile([], 95) == 0.0
