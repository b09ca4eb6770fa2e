"""Production security: Django's deployment checks pass with the README's variables, every HTML page carries
its Content-Security-Policy (the strictest on the public showcase), and no template holds a script or an
event handler that such a policy would block."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cases.tests.factories import published_case_rows
from liaison.csp import ADMIN_POLICY, PORTAL_POLICY, SHOWCASE_POLICY, header_value

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *sorted(path for path in ROOT.glob("*/templates") if path.is_dir())]
TEMPLATES = sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))
CSP = "Content-Security-Policy"


def directives(response, header=CSP):
    return dict((part.split()[0], part.split()[1:]) for part in (piece.strip() for piece in response[header].split(";")) if part)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- Django's deployment checks -----------------------------------------------------------------------------


def test_the_deploy_check_passes_with_the_production_variables():
    """scripts/deploy_check.sh (run by scripts/test.sh): `check --deploy --fail-level WARNING` with DEBUG off,
    a long random key, the host names and the HTTPS proxy, as the README's Production section lists them."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("SECURE_")}
    environment["PYTHON"] = sys.executable
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "deploy_check.sh")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_is_enforced_behind_the_proxy_except_for_the_health_check(settings, client, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    login = client.get(reverse("login"))
    assert login.status_code == 301 and login["Location"].startswith("https://")
    # The load balancer asks /healthz/ over plain HTTP (SECURE_REDIRECT_EXEMPT, as the settings have it)
    assert client.get(reverse("healthz")).status_code in (200, 503)
    secure = client.get(reverse("login"), secure=True)
    assert secure.status_code == 200 and secure["Strict-Transport-Security"].startswith("max-age=31536000")


# --- Content-Security-Policy ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["home", "enterprises:list", "problems:create", "visits:due", "assessment:dashboard", "showcase:list"],
)
def test_every_html_page_carries_the_portals_policy(cast, name):
    response = logged_in(cast["admin"]).get(reverse(name))
    assert response.status_code == 200
    assert response[CSP] == header_value(PORTAL_POLICY)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert not any("'unsafe-inline'" in sources or "'unsafe-eval'" in sources for sources in policy.values())
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_login_page_carries_the_portals_policy():
    response = Client().get(reverse("login"))
    assert response.status_code == 200 and response[CSP] == header_value(PORTAL_POLICY)


@pytest.mark.django_db
def test_the_public_showcase_runs_no_script_at_all(cast):
    case = published_case_rows(1, photos=1)[0]
    for url in (reverse("showcase:list"), reverse("showcase:detail", args=[case.pk])):
        response = Client().get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'none'"], url
        assert policy["connect-src"] == ["'none'"] and response[CSP] == header_value(SHOWCASE_POLICY)
        html = response.content.decode()
        # base.html leaves its scripts out, so nothing is blocked; the language switch keeps its button
        assert "<script" not in html and "data-submit-on-change" in html
        assert re.search(r'<button class="btn btn-sm btn-light ms-1" type="submit">', html)


@pytest.mark.django_db
def test_pages_with_scripts_hide_the_language_button_unless_scripts_are_off(cast):
    html = logged_in(cast["county_staff"]).get(reverse("home")).content.decode()
    assert "js/liaison.js" in html and re.search(r"<noscript>\s*<button", html)


@pytest.mark.django_db
def test_the_admin_allows_only_inline_style_attributes_beyond_the_portals_policy(cast):
    response = logged_in(cast["admin"]).get(reverse("admin:index"))
    assert response.status_code == 200 and response[CSP] == header_value(ADMIN_POLICY)
    assert directives(response)["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_a_missing_page_carries_the_policy_and_a_json_answer_none(cast):
    client = logged_in(cast["admin"])
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and missing[CSP] == header_value(PORTAL_POLICY)
    health = client.get(reverse("healthz"))
    assert health["Content-Type"].startswith("application/json") and CSP not in health


@pytest.mark.django_db
def test_djangos_technical_pages_under_debug_keep_their_inline_styles(settings, cast):
    settings.DEBUG = True
    missing = logged_in(cast["admin"]).get("/no-such-page/")
    assert missing.status_code == 404 and CSP not in missing


@pytest.mark.django_db
def test_report_only_mode_and_a_report_address(settings, cast):
    settings.CSP_REPORT_ONLY = True
    settings.CSP_REPORT_URI = "https://csp.example.gov.cn/report"
    response = logged_in(cast["admin"]).get(reverse("home"))
    assert CSP not in response
    policy = directives(response, f"{CSP}-Report-Only")
    assert policy["script-src"] == ["'self'"] and policy["report-uri"] == ["https://csp.example.gov.cn/report"]


# --- Templates: nothing the policy would block ---------------------------------------------------------------

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.DOTALL)


def test_there_are_templates_to_scan():
    assert len(TEMPLATES) > 50 and any(path.name == "base.html" for path in TEMPLATES)


def test_no_template_holds_an_inline_script():
    """Every <script> names its file (src) or carries a nonce; page data goes through json_script."""
    inline = [
        f"{path.relative_to(ROOT)}: <script{attributes}>"
        for path in TEMPLATES
        for attributes in SCRIPT_TAG.findall(path.read_text(encoding="utf-8"))
        if not re.search(r"\b(src|nonce)=", attributes)
    ]
    assert inline == []


def test_no_template_holds_an_event_handler_attribute():
    """onclick=, onchange=… run inline code, which the policy blocks: static/js/liaison.js binds data-print,
    data-submit-on-change and the like instead."""
    handlers = [
        f"{path.relative_to(ROOT)}: {match.group(0)[-60:]!r}"
        for path in TEMPLATES
        for match in EVENT_HANDLER.finditer(path.read_text(encoding="utf-8"))
    ]
    assert handlers == []


def test_the_template_scan_finds_what_it_looks_for():
    assert SCRIPT_TAG.findall('<script>alert(1)</script><script src="/static/x.js"></script>') == ["", ' src="/static/x.js"']
    assert EVENT_HANDLER.search('<button type="button"\n        onclick="window.print()">')
    assert not EVENT_HANDLER.search('<button data-print class="only">')
