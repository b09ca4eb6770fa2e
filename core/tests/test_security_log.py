"""The security log's shape: one JSON object per line with the request's id, the client's address, a path and
query with every secret scrubbed; where its lines go; and the request id every response carries."""

import json
import logging
import logging.handlers
import sys

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from core.request_id import HEADER, current_request, current_request_id
from core.security_log import (
    LOGGER_NAME,
    SCRUBBED,
    JsonLineFormatter,
    scrubbed_path,
    scrubbed_query,
    scrubbed_text,
    security_entry,
    security_log_handler,
)
from core.tests.security_lines import captured_security_log

pytestmark = pytest.mark.django_db


def test_a_request_without_an_id_gets_a_new_one_in_its_response(client):
    first, second = client.get(reverse("login")), client.get(reverse("login"))
    assert len(first[HEADER]) == 32 and int(first[HEADER], 16) >= 0
    assert first[HEADER] != second[HEADER]


def test_the_proxys_sane_id_is_kept(client):
    response = client.get(reverse("login"), headers={HEADER: "4f0c2a9e-1b7d-4a55-9c1e-2d9b8f3a6e10"})
    assert response[HEADER] == "4f0c2a9e-1b7d-4a55-9c1e-2d9b8f3a6e10"


@pytest.mark.parametrize("offered", ["short", "a b c d e f g h", 'x"}{"event":"fake', "x" * 129, "ид-запроса-1234"])
def test_an_id_that_could_break_or_forge_a_line_is_replaced(client, offered):
    response = client.get(reverse("login"), headers={HEADER: offered})
    assert response[HEADER] != offered and len(response[HEADER]) == 32


def test_the_request_and_its_id_are_forgotten_once_answered(client):
    response = client.get(reverse("login"))
    assert response.wsgi_request.request_id == response[HEADER]
    assert current_request() is None and current_request_id() is None


def test_a_line_names_the_request_and_its_client():
    request = RequestFactory().get("/enterprises/?page=2", REMOTE_ADDR="198.51.100.7")
    request.request_id = "req-12345678"
    entry = security_entry(request, "export", kind="visits", rows=7)

    assert list(entry)[:4] == ["time", "event", "request_id", "user_id"]
    assert entry["request_id"] == "req-12345678" and entry["event"] == "export"
    assert (entry["address"], entry["method"], entry["path"], entry["query"]) == (
        "198.51.100.7",
        "GET",
        "/enterprises/",
        {"page": "2"},
    )
    assert (entry["user_id"], entry["region"], entry["kind"], entry["rows"]) == (None, None, "visits", 7)
    assert "username" not in entry, "only the login events name a username"


def test_without_a_request_a_line_still_has_every_field():
    entry = security_entry(None, "password_reset", official_id=3)
    assert {key: entry[key] for key in ("request_id", "user_id", "region", "address", "method", "path")} == dict.fromkeys(
        ("request_id", "user_id", "region", "address", "method", "path")
    )


def test_secret_looking_query_parameters_are_scrubbed():
    query = scrubbed_query(
        "token=abc&password=hunter2&csrfmiddlewaretoken=x1&sessionid=s1&api_key=k1&sig=s2&access_key=k2"
        "&next=/home&page=2&keyword=煤矿&region=370102&tag=a&tag=b"
    )
    secrets = ("token", "password", "csrfmiddlewaretoken", "sessionid", "api_key", "sig", "access_key")
    assert {name: query[name] for name in secrets} == dict.fromkeys(secrets, SCRUBBED)
    assert {name: query[name] for name in ("next", "page", "keyword", "region", "tag")} == {
        "next": "/home",
        "page": "2",
        "keyword": "煤矿",
        "region": "370102",
        "tag": ["a", "b"],
    }


def test_a_token_in_the_path_is_scrubbed():
    factory = RequestFactory()
    feedback = factory.get(reverse("problems:feedback", args=["Tk9wZSBzZWNyZXQgdG9rZW4"]))
    preview = factory.get(reverse("enterprises:import_preview", args=["a1b2c3d4e5f6"]))
    assert scrubbed_path(feedback) == "/problems/feedback/[scrubbed]/"
    assert scrubbed_path(preview) == "/enterprises/import/[scrubbed]/"
    assert scrubbed_path(factory.get("/enterprises/12/")) == "/enterprises/12/"
    assert scrubbed_path(factory.get("/no/such/page/")) == "/no/such/page/"


def test_secret_looking_fields_and_pairs_in_text_are_scrubbed():
    entry = security_entry(None, "probe", session_key="s3cr3t", lookup={"pk": 4, "token": "t0k3n"}, kind="visits")
    assert (entry["session_key"], entry["lookup"], entry["kind"]) == (SCRUBBED, {"pk": 4, "token": SCRUBBED}, "visits")
    reason = scrubbed_text("Referer checking failed - https://evil.example/?token=t0k3n&a=1 does not match any trusted origins.")
    assert "t0k3n" not in reason and "token=[scrubbed]&a=1" in reason


def test_every_line_is_one_json_object_even_from_another_caller():
    with captured_security_log() as log:
        logging.getLogger(LOGGER_NAME).warning("a plain message with %s", "an argument")
    [entry] = log.entries
    assert entry["event"] == "a plain message with an argument" and entry["level"] == "WARNING"
    assert entry["time"].endswith("Z")


def test_the_file_handler_appends_one_json_line_per_event(tmp_path):
    path = tmp_path / "security.log"
    handler = security_log_handler(str(path))
    handler.setFormatter(JsonLineFormatter())
    logger = logging.getLogger(f"{LOGGER_NAME}.file-test")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.info("first", extra={"security": security_entry(None, "login_failed", username="张三")})
        logger.info("second", extra={"security": security_entry(None, "lockout", username="张三")})
    finally:
        logger.removeHandler(handler)
        handler.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["login_failed", "lockout"]
    assert json.loads(lines[0])["username"] == "张三"
    assert isinstance(handler, logging.handlers.WatchedFileHandler), "logrotate may move the file away"


def test_without_a_file_the_lines_go_to_standard_output():
    handler = security_log_handler("")
    assert type(handler) is logging.StreamHandler and handler.stream is sys.stdout


def test_settings_send_the_security_logger_through_the_builder_with_the_file_setting():
    config = django_settings.LOGGING
    assert config["handlers"]["security"] == {
        "()": "core.security_log.security_log_handler",
        "path": django_settings.SECURITY_LOG_FILE,
        "formatter": "security_json",
    }
    assert config["formatters"]["security_json"] == {"()": "core.security_log.JsonLineFormatter"}
    logger = logging.getLogger(LOGGER_NAME)
    # (pytest adds its own capturing handlers to a logger that does not propagate)
    ours = [handler for handler in logger.handlers if isinstance(handler.formatter, JsonLineFormatter)]
    assert not logger.propagate and len(ours) == 1
