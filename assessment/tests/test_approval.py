"""The approval, level by level, and the freeze at period close: the order of the steps (a city accepts
only confirmed counties and confirms its own figures once they are accepted; the province closes only when
every city has confirmed and every county is accepted, unless forced with a reason), the refusals users
read, the frozen snapshot and the figures changed after close, and the pages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Region
from assessment import services
from assessment.figures import changed_after_close, refresh_period
from assessment.models import (
    ApprovalEvent,
    ApprovalEventKind,
    ApprovalStatus,
    AssessmentPeriod,
    IndicatorValue,
    PeriodStatus,
    RegionApproval,
)
from enterprises.tests.factories import EnterpriseFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db

S = ApprovalStatus
TODAY = date(2026, 1, 20)


@pytest.fixture
def period():
    return AssessmentPeriod.objects.create(label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))


def region(code):
    return Region.objects.get(code=code)


def status(period, code):
    found = RegionApproval.objects.filter(period=period, region_id=code).first()
    return found.status if found else S.OPEN


def accept_everything(period, *, but=()):
    """Every city confirmed and every county accepted, except the codes in `but`."""
    rows = [
        RegionApproval(period=period, region=row, status=S.ACCEPTED if row.level == "county" else S.CONFIRMED)
        for row in Region.objects.filter(level__in=["city", "county"]).exclude(code__in=but)
    ]
    RegionApproval.objects.bulk_create(rows)


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_county_confirms_city_accepts_and_confirms_province_closes(cast, period):
    lixia, jinan = region("370102"), region("370100")
    services.confirm_figures(actor=cast["county_staff"], period=period, region=lixia, explanation="企业注销较多", today=TODAY)
    approval = RegionApproval.objects.get(period=period, region=lixia)
    assert (approval.status, approval.explanation, approval.confirmed_by) == (S.CONFIRMED, "企业注销较多", cast["county_staff"])
    assert Notification.objects.filter(recipient=cast["city_staff"]).count() == 1  # the city is told
    services.accept_figures(actor=cast["city_staff"], period=period, region=lixia)
    assert status(period, "370102") == S.ACCEPTED
    # 济南市 confirms its own figures once every one of its counties is accepted.
    with pytest.raises(ValidationError) as refusal:
        services.confirm_figures(actor=cast["city_staff"], period=period, region=jinan, today=TODAY)
    assert refusal.value.code == "regions_pending" and "市中区" in refusal.value.messages[0]
    RegionApproval.objects.bulk_create(
        [RegionApproval(period=period, region=county, status=S.ACCEPTED) for county in jinan.children.exclude(code="370102")]
    )
    services.confirm_figures(actor=cast["city_staff"], period=period, region=jinan, today=TODAY)
    accept_everything(period, but=[row.code for row in Region.objects.filter(code__startswith="3701")])
    services.close_period(actor=cast["admin"], period=period, today=TODAY)
    period.refresh_from_db()
    assert period.is_closed and period.closed_by == cast["admin"] and period.close_note == ""
    kinds = list(ApprovalEvent.objects.filter(period=period).values_list("kind", flat=True))
    assert kinds == [
        ApprovalEventKind.CONFIRMED,
        ApprovalEventKind.ACCEPTED,
        ApprovalEventKind.CONFIRMED,
        ApprovalEventKind.CLOSED,
    ]


def test_a_county_cannot_accept_its_own_figures(cast, period):
    services.confirm_figures(actor=cast["county_staff"], period=period, region=region("370102"), today=TODAY)
    with pytest.raises(ValidationError) as refusal:
        services.accept_figures(actor=cast["county_staff"], period=period, region=region("370102"))
    assert refusal.value.messages == ["A region cannot accept its own figures: the region directly above accepts them."]
    assert status(period, "370102") == S.CONFIRMED


def test_a_city_cannot_accept_a_county_that_has_not_confirmed(cast, period):
    with pytest.raises(ValidationError) as refusal:
        services.accept_figures(actor=cast["city_staff"], period=period, region=region("370102"))
    assert refusal.value.messages == ["Only confirmed figures can be accepted: 历下区 has not confirmed its figures yet."]
    assert not RegionApproval.objects.exists() and not ApprovalEvent.objects.exists()


def test_figures_are_confirmed_once_the_period_has_ended(cast, period):
    with pytest.raises(ValidationError) as refusal:
        services.confirm_figures(actor=cast["county_staff"], period=period, region=region("370102"), today=date(2025, 12, 31))
    assert refusal.value.messages == ["The period 2025 runs until 2025-12-31: its figures are confirmed once it has ended."]
    assert not RegionApproval.objects.exists()


def test_reopening_needs_a_reason_and_an_accepted_county_is_reopened_by_its_city(cast, period):
    lixia = region("370102")
    services.confirm_figures(actor=cast["county_staff"], period=period, region=lixia, today=TODAY)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as refusal:
            services.reopen_figures(actor=cast["county_staff"], period=period, region=lixia, reason=reason)
        assert refusal.value.messages == ["Give the reason for reopening the figures."]
    assert status(period, "370102") == S.CONFIRMED
    services.accept_figures(actor=cast["city_staff"], period=period, region=lixia)
    with pytest.raises(ValidationError) as refusal:
        services.reopen_figures(actor=cast["county_staff"], period=period, region=lixia, reason="漏报")
    assert refusal.value.code == "not_allowed"
    services.reopen_figures(actor=cast["city_staff"], period=period, region=lixia, reason="企业数据需核实")
    approval = RegionApproval.objects.get(period=period, region=lixia)
    assert approval.status == S.OPEN and approval.confirmed_by is None and approval.accepted_by is None
    event = ApprovalEvent.objects.filter(kind=ApprovalEventKind.REOPENED).get()
    assert (event.actor, event.note) == (cast["city_staff"], "企业数据需核实")
    assert Notification.objects.filter(recipient=cast["county_staff"], body="企业数据需核实").exists()


def test_a_county_is_not_reopened_under_its_citys_confirmation(cast, period):
    accept_everything(period)
    with pytest.raises(ValidationError) as refusal:
        services.reopen_figures(actor=cast["city_staff"], period=period, region=region("370102"), reason="核实")
    assert refusal.value.code == "above_confirmed"
    assert status(period, "370102") == S.ACCEPTED
    services.reopen_figures(actor=cast["city_staff"], period=period, region=region("370100"), reason="区县数据需核实")
    services.reopen_figures(actor=cast["city_staff"], period=period, region=region("370102"), reason="核实")
    assert status(period, "370102") == S.OPEN


def test_closing_refuses_before_the_end_twice_and_while_regions_are_open(cast, period):
    with pytest.raises(ValidationError) as refusal:
        services.close_period(actor=cast["admin"], period=period, today=date(2025, 12, 31))
    assert refusal.value.messages == ["The period 2025 runs until 2025-12-31: it can be closed once it has ended."]
    accept_everything(period, but=["370100"])  # 济南市 has not confirmed its own figures
    with pytest.raises(ValidationError) as refusal:
        services.close_period(actor=cast["admin"], period=period, today=TODAY)
    assert refusal.value.code == "regions_pending" and "济南市" in refusal.value.messages[0]
    with pytest.raises(ValidationError) as refusal:
        services.close_period(actor=cast["admin"], period=period, force=True, reason=" ", today=TODAY)
    assert refusal.value.messages == ["Give the reason for closing before every region has finished its approval."]
    period.refresh_from_db()
    assert not period.is_closed and not ApprovalEvent.objects.exists() and not IndicatorValue.objects.exists()
    services.close_period(actor=cast["admin"], period=period, force=True, reason="济南市逾期未确认", today=TODAY)
    period.refresh_from_db()
    assert period.is_closed and period.close_note == "济南市逾期未确认"
    with pytest.raises(ValidationError) as refusal:
        services.close_period(actor=cast["admin"], period=period, force=True, reason="again", today=TODAY)
    assert refusal.value.messages == ["The period 2025 is already closed."]
    with pytest.raises(ValidationError) as refusal:
        services.confirm_figures(actor=cast["city_staff"], period=period, region=region("370100"), today=TODAY)
    assert refusal.value.code == "period_closed"


def test_closing_freezes_the_figures_and_lists_what_changed_after(cast, period):
    EnterpriseFactory(region_id="370102", name="历下区企业甲")
    accept_everything(period)
    services.close_period(actor=cast["admin"], period=period, today=TODAY)
    frozen = IndicatorValue.objects.get(period=period, region_id="370102", indicator="liaison_coverage")
    assert frozen.denominator == 1
    EnterpriseFactory(region_id="370102", name="历下区企业乙")  # an edit after close
    assert refresh_period(period) == 0  # the nightly refresh leaves a closed period alone
    frozen.refresh_from_db()
    assert frozen.denominator == 1
    changes = changed_after_close(period, region("370102"))
    # Both count the region's operating enterprises.
    assert [indicator.code for indicator, _stored, _live in changes] == ["liaison_coverage", "survey_response"]
    page = login(cast["county_staff"]).get(reverse("assessment:approval_detail", args=["2025", "370102"])).content.decode()
    assert 'data-testid="changed-after-close"' in page and 'data-testid="period-closed"' in page
    # Reopening the period needs a reason, and is recorded.
    with pytest.raises(ValidationError) as refusal:
        services.reopen_period(actor=cast["admin"], period=period, reason="")
    assert refusal.value.messages == ["Give the reason for reopening the period."]
    services.reopen_period(actor=cast["admin"], period=period, reason="补录企业")
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN and period.closed_by is None
    assert ApprovalEvent.objects.filter(kind=ApprovalEventKind.PERIOD_REOPENED, note="补录企业").exists()


# ---------------------------------------------------------------------------------------------------
# Pages


def test_the_page_offers_the_moves_of_the_lifecycle(cast, period):
    url = reverse("assessment:approval_detail", args=["2025", "370102"])
    page = login(cast["county_staff"]).get(url).content.decode()
    assert reverse("assessment:approval_act", args=["2025", "370102", "confirm"]) in page
    page = login(cast["city_staff"]).get(url).content.decode()
    assert "/confirm/" not in page and "/accept/" not in page
    assert login(cast["other_county_staff"]).get(url).status_code == 404
    assert login(cast["cadre"]).get(url).status_code == 403
    assert login(cast["reviewer"]).get(url).status_code == 200
    province = login(cast["admin"]).get(reverse("assessment:approval_detail", args=["2025", "370000"])).content.decode()
    assert reverse("assessment:approval_close", args=["2025"]) in province and 'data-testid="pending-regions"' in province
    assert 'data-testid="regions-below"' in province
    assert login(cast["county_staff"]).get(reverse("assessment:approval_index")).status_code == 200


def test_the_moves_through_the_pages(cast, period):
    act = lambda code, action: reverse("assessment:approval_act", args=["2025", code, action])  # noqa: E731
    response = login(cast["county_staff"]).post(act("370102", "confirm"), {"confirm-explanation": "说明"}, follow=True)
    assert "Figures confirmed" in response.content.decode() and status(period, "370102") == S.CONFIRMED
    response = login(cast["county_staff"]).post(act("370102", "accept"), follow=True)
    assert "A region cannot accept its own figures" in response.content.decode()
    assert status(period, "370102") == S.CONFIRMED
    response = login(cast["city_staff"]).post(act("370102", "reopen"), {"reopen-reason": ""}, follow=True)
    assert "Give the reason for reopening the figures." in response.content.decode()
    assert login(cast["other_county_staff"]).post(act("370102", "accept")).status_code == 404
    assert login(cast["reviewer"]).post(act("370102", "accept")).status_code == 403
    close = reverse("assessment:approval_close", args=["2025"])
    response = login(cast["admin"]).post(close, follow=True)
    assert "force it and give the reason" in response.content.decode()
    response = login(cast["admin"]).post(close, {"close-force": "on", "close-reason": "按期关闭"}, follow=True)
    assert "closed: its figures and scores are frozen" in response.content.decode()
    period.refresh_from_db()
    assert period.is_closed
    assert login(cast["province_staff"]).post(close).status_code == 403
    reopen = reverse("assessment:approval_reopen_period", args=["2025"])
    response = login(cast["admin"]).post(reopen, {"reopen_period-reason": ""}, follow=True)
    assert "Give the reason for reopening the period." in response.content.decode()
    response = login(cast["admin"]).post(reopen, {"reopen_period-reason": "补录"}, follow=True)
    period.refresh_from_db()
    assert not period.is_closed
