"""A county writes its mechanism review with two good practices (the second added in place by the
form's script), submits it; the city acknowledges and recommends a practice; the county's cadre finds
both in the practice library and the recommended one on the home page."""

import pytest
from playwright.sync_api import expect

from reviews.models import Review, ReviewStatus

pytestmark = pytest.mark.browser


def test_write_submit_acknowledge_and_learn_from_a_review(page, log_in, live_server, cast):
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/reviews/new/")
    page.locator("[data-testid=review-periods] button[type=submit]").first.click()
    page.wait_for_selector("[data-practice-forms]")

    page.fill("input[name=practices-0-title]", "政企早餐会")
    page.select_option("select[name=practices-0-topic]", index=1)
    page.fill("textarea[name=practices-0-description]", "每月一次，现场解决企业诉求。")
    page.click("[data-add-practice]")  # adds the second row without leaving the page
    expect(page.locator("input[name=practices-1-title]")).to_be_visible()
    page.fill("input[name=practices-1-title]", "企业服务专员")
    page.select_option("select[name=practices-1-topic]", index=2)
    page.fill("textarea[name=practices-1-description]", "重点企业一企一专员。")
    page.fill("textarea[name=lessons]", "部分走访流于形式。")
    page.fill("textarea[name=measures]", "制定联系企业工作办法。")
    page.fill("textarea[name=plan]", "下一阶段实现走访全覆盖。")
    page.click("button[name=action][value=submit]")
    expect(page.locator("[data-testid=review-history]")).to_be_visible()
    review = Review.objects.get()
    assert review.status == ReviewStatus.SUBMITTED
    assert sorted(review.practices.values_list("title", flat=True)) == ["企业服务专员", "政企早餐会"]

    page.context.clear_cookies()
    log_in(page, cast["city_staff"])
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    expect(page.locator("[data-testid=review-actions] a[href$='/edit/']")).to_have_count(0)  # the city reads, not edits
    page.locator(f"form[action='/reviews/{review.pk}/acknowledge/'] button[type=submit]").click()
    expect(page.locator("[data-testid=review-history]")).to_contain_text("已确认")
    expect(page.locator("[data-testid=review-status]")).to_have_text("已确认")
    # Acknowledged: the lifecycle offers neither acknowledging nor returning any more.
    expect(page.locator("[data-testid=review-actions] form")).to_have_count(0)
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACKNOWLEDGED
    practice = review.practices.get(title="政企早餐会")
    page.goto(f"{live_server.url}/reviews/practices/{practice.pk}/")
    page.locator(f"form[action='/reviews/practices/{practice.pk}/recommend/'] button[type=submit]").click()

    page.context.clear_cookies()
    log_in(page, cast["cadre"])
    expect(page.locator("[data-testid=recommended-practices]")).to_contain_text("政企早餐会")
    page.goto(f"{live_server.url}/reviews/practices/")
    expect(page.locator("main")).to_contain_text("政企早餐会")
    expect(page.locator("main")).to_contain_text("企业服务专员")
