"""The import preview in Debian's Chromium against the live server: while the file uploads, its button is
disabled and says so; the preview then shows the worker's progress, moving as the rows are checked, and the
preview itself once they are, without a reload by hand; going back to the upload form finds its button
ready again."""

import re

import pytest
from playwright.sync_api import expect

from enterprises.credit_codes import build_credit_code
from enterprises.io import imports, tasks
from enterprises.io.resources import EnterpriseResource
from enterprises.models import Enterprise, ImportJob

pytestmark = pytest.mark.browser

HEADERS = EnterpriseResource.REQUIRED_COLUMNS
UPLOAD_PATH = re.compile(r".*/enterprises/import/$")
PREVIEW_PATH = re.compile(r".*/enterprises/import/[0-9a-f]{32}/$")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def held(monkeypatch):
    """A worker that has not started yet: the previews queued wait here until the test runs them."""
    queued = []
    monkeypatch.setattr(tasks.preview_import, "delay", queued.append)
    return queued


def write_csv(path, count):
    lines = [",".join(HEADERS)]
    for serial in range(70_001, 70_001 + count):
        code = build_credit_code(division="370102", serial=serial)
        lines.append(",".join([f"浏览器预览{serial}有限公司", code, "370102", "C", "小型"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_upload_shows_a_busy_button_then_the_progress_then_the_preview(page, log_in, live_server, cast, tmp_path, held):
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/enterprises/import/")
    form = page.locator("[data-testid=import-upload-form]")
    button = form.locator("button[type=submit]")
    idle_text = button.inner_text().strip()
    busy_text = button.get_attribute("data-busy-text")
    assert busy_text and busy_text != idle_text

    # The form is held back from leaving, to look at it as it is sent (a page whose navigation is under way
    # cannot be read); it is then sent as it would have been.
    page.evaluate(
        """() => {
          window.heldBack = true;
          window.submits = 0;
          window.addEventListener("submit", (event) => {
            window.submits += 1;
            if (window.heldBack) event.preventDefault();
          });
        }"""
    )
    page.set_input_files("input[name=file]", str(write_csv(tmp_path / "企业.csv", 4)))
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_text(busy_text)
    expect(button.locator(".spinner-border")).to_have_attribute("aria-hidden", "true")
    expect(form).to_have_attribute("aria-busy", "true")
    button.click(force=True)  # a second click, while the first is on its way
    assert page.evaluate("window.submits") == 1, "two clicks, one upload"
    page.evaluate("window.heldBack = false")
    form.evaluate("form => form.submit()")

    # The worker has not started: the preview's page shows its progress and follows it by itself.
    page.wait_for_url(PREVIEW_PATH)
    progress = page.locator("[data-testid=import-progress]")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("role", "progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    expect(page.locator("[data-testid=import-confirm]")).to_have_count(0)
    [job_id] = held
    ImportJob.objects.filter(pk=job_id).update(rows_done=2, rows_total=4)  # the worker, half-way
    expect(progress).to_have_attribute("aria-valuenow", "50")
    expect(page.locator("[data-export-progress-text]")).to_have_text(re.compile(r"\b2\b.*\b4\b"))

    imports.run_preview_job(job_id)  # the worker finishes

    expect(page.locator("[data-count=new]")).to_have_text("4")
    expect(progress).to_have_count(0)
    expect(page.locator("[data-testid=import-changes] tbody tr")).to_have_count(4)
    preview_url = page.url

    # Reloading shows the same preview, kept on the job: nothing is queued again.
    page.reload()
    expect(page.locator("[data-count=new]")).to_have_text("4")
    assert held == [job_id]

    # Back to the upload form: its button is ready again, with its own text.
    page.go_back()
    page.wait_for_url(UPLOAD_PATH)
    expect(page.locator("[data-testid=import-upload-form] button[type=submit]")).to_be_enabled()
    expect(page.locator("[data-testid=import-upload-form] button[type=submit]")).to_have_text(idle_text)

    page.goto(preview_url)
    confirm = page.locator("[data-testid=import-confirm]")
    confirm.click()
    expect(page.locator("[data-testid=import-done]")).to_be_visible()
    assert Enterprise.objects.filter(name__startswith="浏览器预览").count() == 4


def test_an_empty_file_is_refused_with_a_message_on_the_form(page, log_in, live_server, cast, tmp_path, held):
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/enterprises/import/")
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")

    page.set_input_files("input[name=file]", str(empty))
    page.click("[data-testid=import-upload-form] button[type=submit]")

    page.wait_for_url(UPLOAD_PATH)
    message = page.locator("[data-testid=import-upload-form] .invalid-feedback")
    expect(message).to_be_visible()
    expect(message).not_to_be_empty()
    expect(page.locator("[data-testid=import-upload-form] button[type=submit]")).to_be_enabled()
    assert held == [] and not ImportJob.objects.exists()
