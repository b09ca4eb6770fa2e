"""Bulk assignment from the enterprise list: tick enterprises, pick a cadre by typing, assign."""

import pytest
from playwright.sync_api import expect

from enterprises.models import LiaisonAssignment
from enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.browser


def test_staff_assign_a_cadre_to_several_enterprises(page, log_in, live_server, cast):
    chosen = [EnterpriseFactory(name=f"批量指派企业{number}") for number in range(3)]
    EnterpriseFactory(name="不勾选的企业")
    cadre = cast["cadre"]
    cadre.full_name = "联系干部甲"
    cadre.save()

    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/enterprises/?q=批量指派")
    rows = page.locator("[data-testid=enterprise-table] tbody tr")
    expect(rows).to_have_count(3)
    for enterprise in chosen[:2]:
        page.check(f"input[name=enterprises][value='{enterprise.pk}']")

    # The cadre is picked in a searchable select that asks the server as one types.
    bulk = page.locator("[data-testid=bulk-assign]")
    bulk.locator(".ts-control").click()
    page.keyboard.type("联系干部")
    option = page.locator(".ts-dropdown .option", has_text="联系干部甲")
    expect(option).to_be_visible()
    option.click()
    bulk.locator("button[type=submit]").click()

    expect(page.locator("main .alert-success")).to_contain_text("联系干部甲")
    expect(page.locator("[data-testid=enterprise-table]")).to_contain_text("联系干部甲")
    assigned = set(LiaisonAssignment.objects.current().filter(official=cadre).values_list("enterprise__name", flat=True))
    assert assigned == {"批量指派企业0", "批量指派企业1"}
