"""Importing enterprises from a spreadsheet, in Debian's Chromium against the live server: a bad row
is shown in the preview, the corrected file is confirmed, and the enterprises appear in the list."""

import csv
import re

import pytest
from playwright.sync_api import expect

from enterprises.credit_codes import build_credit_code
from enterprises.io.columns import Col
from enterprises.io.resources import EnterpriseResource

pytestmark = pytest.mark.browser

HEADERS = EnterpriseResource.REQUIRED_COLUMNS + [Col.CONTACT_MOBILE]
GOOD_CODE = build_credit_code(division="370102", serial=60_001)
SECOND_CODE = build_credit_code(division="370102", serial=60_002)
# The check digit of the second code, changed: a typing error.
TYPO_CODE = SECOND_CODE[:-1] + ("0" if SECOND_CODE[-1] != "0" else "1")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def write_csv(path, second_code):
    size = "Small"  # the English label is accepted whatever the translations say
    rows = [
        ["浏览器导入甲有限公司", GOOD_CODE, "370102", "C", size, "13800138000"],
        ["浏览器导入乙有限公司", second_code, "370102", "C", size, "13800138001"],
    ]
    # Excel in Chinese saves CSV in GBK.
    with path.open("w", encoding="gbk", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def upload(page, path):
    page.set_input_files("input[name=file]", str(path))
    page.click("[data-testid=import-upload-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/enterprises/import/[0-9a-f]{32}/$"))


def test_staff_fix_a_bad_row_and_import_enterprises(page, log_in, live_server, cast, tmp_path):
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/enterprises/")
    page.click("main a[href='/enterprises/import/']")
    expect(page.locator("input[name=kind][value=enterprises]")).to_be_checked()

    upload(page, write_csv(tmp_path / "企业.csv", TYPO_CODE))

    error_row = page.locator("[data-testid=import-errors] tbody tr")
    expect(error_row).to_have_count(1)
    expect(error_row).to_have_attribute("data-row", "3")
    expect(error_row.locator("td").nth(0)).to_have_text("3")
    expect(error_row.locator("td").nth(1)).to_have_text(Col.CREDIT_CODE)
    expect(error_row.locator("td").nth(2)).not_to_be_empty()
    expect(page.locator("[data-testid=import-confirm]")).to_have_count(0)
    expect(page.locator("[data-count=error]")).to_have_text("1")

    # The preview fits a phone: wide tables scroll inside their own box.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})

    page.click("main a[href='/enterprises/import/?kind=enterprises']")
    upload(page, write_csv(tmp_path / "企业-改正.csv", SECOND_CODE))

    expect(page.locator("[data-testid=import-errors]")).to_have_count(0)
    expect(page.locator("[data-count=new]")).to_have_text("2")
    page.click("[data-testid=import-confirm]")

    # The import runs as a Celery task (inline in tests); its page shows the outcome.
    expect(page.locator("[data-testid=import-done]")).to_be_visible()
    expect(page.locator("[data-testid=import-status]")).to_have_text("已导入")
    page.click("main a.btn[href='/enterprises/']")
    page.wait_for_url(f"{live_server.url}/enterprises/")
    table = page.locator("[data-testid=enterprise-table]")
    expect(table).to_contain_text("浏览器导入甲有限公司")
    expect(table).to_contain_text("浏览器导入乙有限公司")
