"""The reviewer opens the province's dashboard: the charts are drawn, the lagging city comes first, and its
figure opens the list of the records behind it, as many as the figure says. The page fits a phone."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.figures import refresh_period
from assessment.indicators import BY_CODE
from assessment.models import IndicatorValue, RegionScore
from assessment.tests.factories import AssessmentPeriodFactory, SchemeFactory
from enterprises.credit_codes import build_credit_code
from enterprises.models import Enterprise
from enterprises.models import Status as EnterpriseStatus
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory

pytestmark = pytest.mark.browser


def enterprises(region_id, *, count, with_liaison):
    """`count` operating enterprises of the county `region_id`, the first `with_liaison` of them with a liaison
    of its city (a city is assessed on its own level's liaisons)."""
    region = Region.objects.get(code=region_id)
    cadre = UserFactory(username=f"browser_{region_id}", region_id=region.parent_id, roles=[Role.CADRE])
    for number in range(count):
        enterprise = EnterpriseFactory(
            region_id=region_id, credit_code=build_credit_code(division=region_id, serial=50_000_000 + number)
        )
        if number < with_liaison:
            AssignmentFactory(enterprise=enterprise, official=cadre, started_on=date(2026, 1, 5))


@pytest.fixture
def assessed():
    period = AssessmentPeriodFactory(label="2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
    SchemeFactory(period=period, assessed_level="city", items=[("liaison_coverage", 100, 100)])
    enterprises("370102", count=4, with_liaison=1)  # 济南市: a quarter of its enterprises have a city liaison
    enterprises("370203", count=2, with_liaison=2)  # 青岛市: all of them
    refresh_period(period, today=timezone.localdate())
    return period


def test_the_reviewer_follows_a_lagging_citys_figure_to_its_records(page, log_in, live_server, cast, assessed):
    log_in(page, cast["reviewer"])
    expect(page.locator("[data-testid=home-assessment]")).to_be_visible()
    page.goto(f"{live_server.url}/assessment/")
    # Both charts are drawn by ECharts into a canvas; their numbers are in the tables below them.
    expect(page.locator("[data-testid=scores-chart] canvas")).to_have_count(1)
    expect(page.locator("[data-testid=trend-chart] canvas")).to_have_count(1)
    rows = page.locator("[data-testid=region-row]")
    expect(rows).to_have_count(16)
    # The lagging city first: 济南市 (a quarter covered) before 青岛市 (all covered).
    expect(rows.first).to_have_attribute("data-region", "370100")
    expect(rows.nth(1)).to_have_attribute("data-region", "370200")
    figure = rows.first.locator("[data-testid=figure][data-indicator=liaison_coverage]")
    expect(figure).to_have_text("25.0%")
    figure.click()
    page.wait_for_url("**/assessment/2026/370100/liaison_coverage/numerator/")
    stored = IndicatorValue.objects.get(period=assessed, region_id="370100", indicator="liaison_coverage")
    expect(page.locator("[data-testid=records-count]")).to_have_text(str(int(stored.numerator)))
    expect(page.locator("[data-testid=record]")).to_have_count(int(stored.numerator))
    expect(page.locator("[data-testid=indicator-definition]")).to_be_visible()


def test_the_dashboard_fits_a_phone(page, log_in, live_server, cast, assessed):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, cast["reviewer"])
    page.goto(f"{live_server.url}/assessment/")
    expect(page.locator("[data-testid=scores-chart] canvas")).to_have_count(1)
    # Wide tables scroll inside their own box: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("[data-testid=scores-chart]").bounding_box()
    assert box["width"] <= 390 and box["height"] > 100
    # A city's page too, whose wide table carries screen-reader text for the figures it cannot show.
    page.context.clear_cookies()
    log_in(page, cast["city_staff"])
    page.goto(f"{live_server.url}/assessment/")
    expect(page.locator("[data-testid=regions-table] .visually-hidden").first).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.fixture
def ended_year(cast):
    """2025, ended: 历下区 has three enterprises, two with a county liaison; counties are assessed on that."""
    period = AssessmentPeriodFactory()  # 2025
    SchemeFactory(period=period, assessed_level="county", items=[("liaison_coverage", 100, 100)])
    lixia = Region.objects.get(code="370102")
    for number in range(3):
        enterprise = EnterpriseFactory(
            region_id="370102", credit_code=build_credit_code(division="370102", serial=60_000_000 + number)
        )
        if number < 2:
            AssignmentFactory(enterprise=enterprise, official=cast["cadre"], started_on=date(2025, 1, 6))
    refresh_period(period, today=timezone.localdate())
    return period, lixia


def act_as(page, log_in, user):
    page.context.clear_cookies()
    log_in(page, user)


def test_a_county_confirms_the_city_accepts_the_province_closes_and_a_later_edit_leaves_the_score(
    page, log_in, live_server, cast, ended_year
):
    period, lixia = ended_year
    url = f"{live_server.url}/assessment/approval/2025/370102/"
    score = RegionScore.objects.get(period=period, region=lixia).score
    assert score == Decimal("66.67")

    act_as(page, log_in, cast["county_staff"])
    page.goto(url)
    confirm = page.locator("form[action$='/confirm/']")
    confirm.locator("textarea").fill("两家企业年中新增联系干部。")
    confirm.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=approval-history]")).to_contain_text("两家企业年中新增联系干部。")

    act_as(page, log_in, cast["city_staff"])
    page.goto(url)
    page.locator("form[action$='/accept/'] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    act_as(page, log_in, cast["admin"])
    page.goto(f"{live_server.url}/assessment/approval/2025/370000/")
    close = page.locator("form[action$='/close/']")
    close.locator("input[type=checkbox]").check()
    close.locator("textarea").fill("其他市的确认在线下完成。")
    close.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=period-closed]")).to_be_visible()

    # An edit after the close: an enterprise leaves the register. The frozen score stays; the figure is
    # listed as changed after close.
    enterprise = Enterprise.objects.filter(region_id="370102").first()
    enterprise.status = EnterpriseStatus.DEREGISTERED
    enterprise.save(update_fields=["status"])
    refresh_period(period, today=timezone.localdate())
    assert RegionScore.objects.get(period=period, region=lixia).score == score
    page.goto(url)
    expect(page.locator("[data-testid=region-score]")).to_contain_text(str(score))
    with translation.override("zh-hans"):
        name = str(BY_CODE["liaison_coverage"].name)
    expect(page.locator("[data-testid=changed-after-close]")).to_contain_text(name)
