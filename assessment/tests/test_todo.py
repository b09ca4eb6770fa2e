"""The home page's to-do list carries the figures waiting for the user's confirmation or acceptance."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Region
from assessment import services
from assessment.tests.factories import AssessmentPeriodFactory
from assessment.todo import todo_items

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 20)


def titles(user):
    return [item["title"] for item in todo_items(user, today=TODAY)]


def test_figures_wait_for_the_region_then_for_the_region_above(cast):
    period = AssessmentPeriodFactory()  # 2025, ended
    lixia = Region.objects.get(code="370102")
    assert titles(cast["county_staff"]) == ["Figures to confirm: 2025"]
    assert titles(cast["city_staff"]) == ["Figures to confirm: 2025"]  # 济南市's own, nothing to accept yet
    assert titles(cast["cadre"]) == []

    services.confirm_figures(actor=cast["county_staff"], period=period, region=lixia, today=TODAY)
    assert titles(cast["county_staff"]) == []
    city = todo_items(cast["city_staff"], today=TODAY)
    assert [item["title"] for item in city] == ["Figures to confirm: 2025", "Figures to accept: 历下区, 2025"]
    assert city[1]["url"] == reverse("assessment:approval_detail", args=["2025", "370102"])
    assert titles(cast["other_county_staff"]) == ["Figures to confirm: 2025"]  # 市中区 sees its own only


def test_nothing_waits_while_a_period_is_under_way_or_once_it_is_closed(cast):
    AssessmentPeriodFactory(label="2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert titles(cast["county_staff"]) == []
    closed = AssessmentPeriodFactory(label="2024", start=date(2024, 1, 1), end=date(2024, 12, 31), status="closed")
    assert closed.is_closed and titles(cast["county_staff"]) == []
