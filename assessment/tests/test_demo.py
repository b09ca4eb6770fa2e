"""The demo assessment: two closed periods and the open year, with schemes and figures, seeded once."""

import os

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessment.models import (
    ApprovalEvent,
    ApprovalEventKind,
    ApprovalStatus,
    AssessmentPeriod,
    IndicatorValue,
    RegionApproval,
    RegionScore,
    Scheme,
    SchemeItem,
)
from notifications.models import Notification

pytestmark = pytest.mark.django_db

MODELS = (AssessmentPeriod, Scheme, SchemeItem, RegionApproval, ApprovalEvent, IndicatorValue, RegionScore, Notification)


def counts():
    return [model.objects.count() for model in MODELS]


def test_seed_demo_holds_schemes_two_closed_periods_and_the_open_year_and_running_it_again_changes_nothing():
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    first = counts()
    scores = dict(RegionScore.objects.values_list("pk", "score"))
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    assert counts() == first
    assert dict(RegionScore.objects.values_list("pk", "score")) == scores

    closed, open_ = list(AssessmentPeriod.objects.closed()), list(AssessmentPeriod.objects.open())
    assert len(closed) == 2 and len(open_) == 1
    for period in closed + open_:
        owners = set(Scheme.objects.filter(period=period).values_list("owner_id", "assessed_level"))
        assert owners == {("370000", "city"), ("370000", "county"), ("370100", "county")}
        # Every scheme's weights add up to 100
        for scheme in Scheme.objects.filter(period=period):
            assert sum(item.weight for item in scheme.items.all()) == 100
    for period in closed:
        assert period.closed_by.username == "admin" and period.close_note
        assert RegionApproval.objects.get(period=period, region_id="370102").status == ApprovalStatus.ACCEPTED
        assert RegionApproval.objects.get(period=period, region_id="370103").status == ApprovalStatus.ACCEPTED
        kinds = list(ApprovalEvent.objects.filter(period=period).values_list("kind", flat=True))
        assert kinds.count(ApprovalEventKind.CONFIRMED) == 2 and kinds.count(ApprovalEventKind.ACCEPTED) == 2
        assert kinds[-1] == ApprovalEventKind.CLOSED
    current = open_[0]
    assert RegionScore.objects.filter(period=current, region__level="city").count() >= 16
    jinan = RegionScore.objects.get(period=current, region_id="370100")
    assert jinan.score is not None and jinan.rank_among_peers is not None
    assert RegionScore.objects.filter(period=current, region_id="370102", score__isnull=False).exists()

    # jn_staff opens 济南市's report at once: its score and its counties ranked
    client = Client()
    client.force_login(User.objects.get(username="jn_staff"))
    response = client.get(reverse("assessment:region_report", args=[current.label, "370100"]))
    assert response.status_code == 200
    assert "历下区" in response.content.decode()
