"""Pages that fit: the forum compliance grid on a phone, the list filters at a desk's 1366 px, dates and names
whole on one line, and a liaison replaced in one step."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.periods import period_containing
from enterprises import services
from enterprises.models import LiaisonAssignment
from enterprises.tests.factories import EnterpriseFactory
from forums.models import ForumStatus
from forums.tests.factories import AttendanceFactory, ForumFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}


def inside_viewport(page, locator):
    """Whether the element is wholly inside the viewport's width (it may be below the fold)."""
    box = locator.bounding_box()
    width = page.evaluate("window.innerWidth")
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_the_compliance_grid_fits_a_phone_with_the_current_period_first(page, log_in, live_server, cast):
    today = timezone.localdate()
    quarter = period_containing(today, 3)
    held = ForumFactory(
        region_id="370102",
        status=ForumStatus.HELD,
        minutes="纪要",
        starts_at=timezone.make_aware(datetime.combine(quarter.start, time(9))),
    )
    AttendanceFactory(forum=held)
    counties = Region.objects.filter(parent_id="370100").count()

    page.set_viewport_size(PHONE)
    log_in(page, cast["city_staff"])
    page.goto(f"{live_server.url}/forums/compliance/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"

    # Two tables: 济南市's own half years, then its counties' quarters; each with its periods newest first.
    tables = page.locator("table.compliance-grid")
    expect(tables).to_have_count(2)
    city, county = tables.nth(0), tables.nth(1)
    assert city.locator("thead th[data-period]").first.get_attribute("data-period") == period_containing(today, 6).label
    current = county.locator("thead th[data-current-period]")
    expect(current).to_have_attribute("data-period", quarter.label)
    assert county.locator("thead th[data-period]").first.get_attribute("data-period") == quarter.label
    count = current.locator("[data-testid=held-count]")
    expect(count).to_have_attribute("data-held", "1")
    expect(count).to_have_attribute("data-regions", str(counties))

    # 历下区's current cell is held and on screen without scrolling.
    county.scroll_into_view_if_needed()
    lixia = county.locator("tbody tr", has=page.locator("th", has_text="历下区"))
    cell = lixia.locator(f"a[data-period='{quarter.label}']")
    expect(cell).to_have_attribute("data-state", "held")
    expect(cell).to_be_in_viewport()
    assert inside_viewport(page, cell) and inside_viewport(page, current)

    # Scrolled to the oldest period, the region column stays put (sticky) and the page still does not scroll.
    county.locator("xpath=..").evaluate("scroller => { scroller.scrollLeft = scroller.scrollWidth; }")
    oldest = lixia.locator("a[data-period]").last
    oldest.scroll_into_view_if_needed()
    assert inside_viewport(page, oldest)
    region_cell = lixia.locator("th")
    assert inside_viewport(page, region_cell) and region_cell.bounding_box()["x"] < 40
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("path", ["/enterprises/", "/problems/"])
def test_the_filter_panel_is_readable_at_1366_px(page, log_in, live_server, cast, path):
    """Every label on one line and not clipped, every control wide enough to read its choice."""
    page.set_viewport_size(DESK)
    log_in(page, cast["city_staff"])
    page.goto(f"{live_server.url}{path}?q=")  # a query opens the panel
    panel = page.locator("form.filter-form")
    expect(panel).to_be_visible()
    fields = page.evaluate(
        """() => [...document.querySelectorAll('form.filter-form label.form-label')].map(label => {
            const field = label.parentElement;
            // A searchable select hides its <select> behind Tom Select's box: the widest control is the one seen.
            const controls = [...field.querySelectorAll('.ts-wrapper, input:not([type=hidden]), select, textarea')];
            const control = Math.max(0, ...controls.map(element => element.getBoundingClientRect().width));
            const style = getComputedStyle(label);
            return {
                label: label.textContent.trim(),
                lines: Math.round(label.getBoundingClientRect().height / parseFloat(style.lineHeight)),
                clipped: label.scrollWidth > label.clientWidth,
                control,
                column: field.parentElement.getBoundingClientRect().width,
            };
        })"""
    )
    assert len(fields) >= 8
    for field in fields:
        assert field["lines"] == 1 and not field["clipped"], field
        assert field["control"] >= 200 and field["column"] >= 200, field
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_dates_and_names_stay_whole_on_a_phone(page, log_in, live_server, cast):
    """On the liaison list and the due-visit list, no date, person or region name is broken over two lines."""
    cadre = cast["cadre"]
    cadre.full_name = "欧阳明远"
    cadre.title = "区发展和改革局党组书记、局长"
    cadre.save()
    started = timezone.localdate() - timedelta(days=400)
    for number in range(3):
        enterprise = EnterpriseFactory(region_id="370102", name=f"济南历下区高新技术产业园区智能制造装备有限责任公司{number}")
        services.assign_liaison(enterprise=enterprise, official=cadre, actor=cast["county_staff"], started_on=started)
    whole = [started.strftime("%Y-%m-%d"), "欧阳明远", "济南市 历下区"]

    page.set_viewport_size(PHONE)
    log_in(page, cast["city_staff"])
    for path, table in [
        ("/enterprises/roster/?region=370102", "roster-table"),
        ("/visits/due/", "due-table"),
        ("/enterprises/", "enterprise-table"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator(f"[data-testid={table}]")).to_contain_text("欧阳明远")
        broken = page.evaluate(
            """([selector, texts]) => {
                const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
                const broken = [];
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const text of texts) {
                        const at = node.data.indexOf(text);
                        if (at < 0 || !node.parentElement.getClientRects().length) continue;  // absent or hidden
                        const range = document.createRange();
                        range.setStart(node, at);
                        range.setEnd(node, at + text.length);
                        const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
                        if (tops.size > 1) broken.push(text);
                    }
                }
                return broken;
            }""",
            [f"[data-testid={table}]", whole],
        )
        assert broken == [], f"{path}: {broken}"


def test_a_liaison_is_replaced_in_one_step(page, log_in, live_server, cast):
    enterprise = EnterpriseFactory(region_id="370102", name="接替测试机械有限公司")
    old = cast["cadre"]
    old.full_name = "原联系干部"
    old.save()
    successor = UserFactory(username="t_successor", full_name="新任联系干部", region_id="370102", roles=[Role.CADRE])
    services.assign_liaison(
        enterprise=enterprise, official=old, actor=cast["county_staff"], started_on=timezone.localdate() - timedelta(days=90)
    )

    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    page.locator("[data-testid=current-liaisons] a[data-testid=replace-liaison]").click()
    form = page.locator("form[data-testid=replace-liaison]")
    expect(form).to_contain_text("原联系干部")

    # The same cadre again: a clear message on the form, nothing saved.
    form.locator(".ts-control").click()
    page.keyboard.type("原联系")
    page.locator(".ts-dropdown .option", has_text="原联系干部").click()
    form.locator("input[name=reason]").fill("工作调动")
    form.locator("button[type=submit]").click()
    expect(page.locator("form[data-testid=replace-liaison] .invalid-feedback")).to_be_visible()
    expect(page.locator("form[data-testid=replace-liaison]")).to_contain_text("原联系干部")
    assert LiaisonAssignment.objects.current().get(enterprise=enterprise).official == old
    assert LiaisonAssignment.objects.filter(enterprise=enterprise).count() == 1

    # Another cadre: one submit ends the old liaison and starts the new one, with the one reason.
    form = page.locator("form[data-testid=replace-liaison]")
    form.locator(".ts-control").click()
    page.keyboard.type("新任")
    page.locator(".ts-dropdown .option", has_text="新任联系干部").click()
    form.locator("button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_contain_text("新任联系干部")
    expect(page.locator("[data-testid=current-liaisons]")).to_contain_text("新任联系干部")
    expect(page.locator("[data-testid=current-liaisons]")).not_to_contain_text("原联系干部")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("工作调动")
    ended = LiaisonAssignment.objects.get(enterprise=enterprise, official=old)
    current = LiaisonAssignment.objects.current().get(enterprise=enterprise)
    assert current.official == successor
    assert ended.ended_on == current.started_on == timezone.localdate()
    assert ended.end_reason == current.reason == "工作调动"
