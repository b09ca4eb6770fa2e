"""Lists on paper and as ledgers, in a real browser: printed, the liaison list and the due list lose the
navigation, buttons and filters, show a title and date block naming whose list it is, and keep the header row
(with the row naming whose list it is) as a table head repeated on every page; the export buttons download
the same list as .xlsx."""

import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory

pytestmark = pytest.mark.browser


def displayed(page, selector):
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).display")


def test_the_liaison_list_printed_and_exported(page, log_in, live_server, cast):
    for number in range(3):
        AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name=f"名单企业{number}", region_id="370102"))
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/enterprises/roster/?region=370102")

    heading = page.locator("[data-testid=print-heading]")
    expect(heading).to_be_hidden()
    with page.expect_download() as download:
        page.click("[data-testid=roster-export]")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).worksheets[0]
    assert "联系名单" in sheet["A1"].value and "济南市 历下区" in sheet["A1"].value
    assert {row[5] for row in sheet.iter_rows(min_row=3, values_only=True)} == {f"名单企业{n}" for n in range(3)}

    page.emulate_media(media="print")
    expect(heading).to_be_visible()
    expect(heading).to_contain_text("济南市 历下区")
    expect(heading).to_contain_text(timezone.localdate().isoformat())
    for hidden in ("nav.navbar", "form.filter-form", "[data-testid=roster-export]", "footer"):
        expect(page.locator(hidden).first).to_be_hidden()
    subject_row = page.locator("[data-testid=roster-table] thead tr.print-subject")
    expect(subject_row).to_be_visible()
    expect(subject_row).to_contain_text("济南市 历下区")
    assert displayed(page, "[data-testid=roster-table] thead") == "table-header-group"


def test_the_due_list_printed_on_a_narrow_page_keeps_every_column(page, log_in, live_server, cast):
    AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name="应走访企业", region_id="370102"))
    page.set_viewport_size({"width": 600, "height": 800})
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/visits/due/")

    # The second column of the header row: the liaison cadre.
    cadre_column = page.locator("[data-testid=due-table] thead tr:not(.print-subject) th").nth(1)
    expect(cadre_column).to_be_hidden()  # on a phone, folded under the enterprise
    page.emulate_media(media="print")
    expect(cadre_column).to_be_visible()
    expect(page.locator("[data-testid=due-export]")).to_be_hidden()
    expect(page.locator("[data-testid=print-heading]")).to_contain_text("济南市 历下区")
