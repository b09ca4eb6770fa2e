"""A county's forum from planning to the compliance grid: planned, recorded as held with minutes and an
opinion, the opinion put on the problem list, and the county's current quarter turning from missing to held."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import DepartmentFactory
from core.periods import period_containing
from enterprises.tests.factories import EnterpriseFactory
from forums.models import Forum, ForumStatus, Opinion
from problems.models import Problem, Source

pytestmark = pytest.mark.browser


def current_cell(page, live_server):
    """The compliance grid's cell for 历下区's current quarter (its own row comes first)."""
    label = period_containing(timezone.localdate(), 3).label
    page.goto(f"{live_server.url}/forums/compliance/")
    return page.locator("[data-testid=compliance-grid] tr").first.locator(f"a[data-state]:has-text('{label}')")


def open_action(page, action):
    details = page.locator(f"[data-testid=forum-actions] details:has(form[action$='/{action}/'])")
    details.locator("summary").click()
    return details.locator("form")


def test_plan_hold_raise_and_see_the_grid_turn_held(page, log_in, live_server, cast):
    enterprise = EnterpriseFactory(region_id="370102", name="座谈测试科技有限公司")
    department = DepartmentFactory(region_id="370102", name="历下区委统战部")
    staff = cast["county_staff"]
    log_in(page, staff)
    expect(current_cell(page, live_server)).to_have_attribute("data-state", "missing")

    # Plan this morning's forum, organised by the district's united-front department.
    page.goto(f"{live_server.url}/forums/new/")
    page.fill("input[name=starts_at]", f"{timezone.localdate():%Y-%m-%d}T00:30")
    page.fill("input[name=venue]", "区政务服务中心三楼会议室")
    page.fill("input[name=theme]", "民营企业发展环境座谈会")
    page.evaluate(f"document.getElementById('id_organisers').tomselect.setValue(['{department.pk}'])")
    page.click("main form button[type=submit]")
    expect(page.locator("[data-testid=forum-status]")).to_be_visible()
    forum = Forum.objects.get()
    assert forum.status == ForumStatus.PLANNED and list(forum.organisers.all()) == [department]
    expect(page.locator("[data-testid=forum-organisers]")).to_contain_text("历下区委统战部")
    expect(current_cell(page, live_server)).to_have_attribute("data-state", "planned")

    # Record it as held: minutes and who came.
    page.goto(f"{live_server.url}/forums/{forum.pk}/")
    form = open_action(page, "held")
    form.locator("textarea[name=held-minutes]").fill("企业反映融资难、用工难，区有关部门现场答复。")
    form.locator("textarea[name=held-attendance]").fill(f"{enterprise.credit_code}，王总，董事长")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=forum-minutes]")).to_contain_text("融资难")
    expect(page.locator("[data-testid=forum-attendance]")).to_contain_text("王总")

    # The opinion the enterprise raised (the enterprise field is an autocomplete).
    form = open_action(page, "opinion")
    page.evaluate(
        "(() => { const select = document.getElementById('id_opinion-enterprise').tomselect;"
        f" select.addOption({{value: '{enterprise.pk}', text: '{enterprise.name}'}}); select.setValue('{enterprise.pk}'); }})()"
    )
    form.locator("textarea[name=opinion-text]").fill("希望协调银行提供信用贷款。")
    form.locator("button[type=submit]").click()
    opinions = page.locator("[data-testid=forum-opinions]")
    expect(opinions).to_contain_text("希望协调银行提供信用贷款")

    # One step onto the problem list, linked back to the forum.
    opinions.locator("select[name=category]").select_option(index=1)
    opinions.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=problem-forum]")).to_be_visible()
    problem = Problem.objects.get()
    assert problem.source == Source.FORUM and Opinion.objects.get().problem == problem
    page.click("[data-testid=problem-forum]")
    expect(page.locator("[data-testid=forum-opinions]")).to_contain_text(f"#{problem.pk}")

    expect(current_cell(page, live_server)).to_have_attribute("data-state", "held")
