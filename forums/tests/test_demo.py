"""The demo forums: two years at every level, some regions keeping the cadence and some behind."""

import pytest
from django.utils import timezone, translation

from accounts.demo import DEFAULT_PASSWORD, seed_officials
from accounts.models import Region, User
from enterprises import demo as enterprise_demo
from forums import demo
from forums.compliance import ComplianceState, compliance_grid
from forums.models import Forum, ForumAttendance, ForumStatus, Opinion


@pytest.mark.django_db
def test_seed_forums_covers_every_level_with_regions_behind_and_is_idempotent():
    today = timezone.localdate()
    with translation.override("zh-hans"):
        seed_officials(password=DEFAULT_PASSWORD)
        enterprise_demo.seed_cadres(password=DEFAULT_PASSWORD)
        enterprise_demo.seed_enterprises()
        enterprise_demo.seed_liaisons(actor=User.objects.get(username="sd_staff"))
        demo.seed_forums(today=today)
        first = sorted(Forum.objects.values_list("region_id", "theme", "status"))
        counts = (ForumAttendance.objects.count(), Opinion.objects.count())
        demo.seed_forums(today=today)
    assert sorted(Forum.objects.values_list("region_id", "theme", "status")) == first
    assert (ForumAttendance.objects.count(), Opinion.objects.count()) == counts
    assert set(Forum.objects.values_list("level", flat=True)) == {"province", "city", "county"}
    assert set(Forum.objects.values_list("status", flat=True)) == set(ForumStatus.values)
    assert Forum.objects.filter(status=ForumStatus.HELD).count() == Forum.objects.counting().count()
    assert Opinion.objects.filter(problem__isnull=False).exists()

    regions = Region.objects.filter(code__in=["370000", "370100", "370102", "370103", "370104", "370112"]).order_by("code")
    grid = {row.region.code: [cell.state for cell in row.cells] for row in compliance_grid(regions, 8, today=today)}
    assert grid["370102"] == [ComplianceState.HELD] * 8  # 历下区 keeps the cadence
    assert grid["370103"][-1] == ComplianceState.MISSING  # 市中区: nothing yet this quarter
    assert ComplianceState.PAST_DUE in grid["370104"] and grid["370104"][-1] == ComplianceState.PLANNED
    assert ComplianceState.PAST_DUE in grid["370112"]
    assert grid["370000"][-2:] == [ComplianceState.HELD, ComplianceState.HELD]
