import re

import pytest
from django.http import Http404

from accounts.access import get_visible_or_404, region_code_prefix
from accounts.models import Department, Region, RegionLevel, User
from accounts.tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_regions_are_loaded_with_levels_and_parents():
    assert Region.objects.count() == 168
    assert Region.objects.filter(level=RegionLevel.CITY).count() == 16
    assert Region.objects.filter(level=RegionLevel.COUNTY).count() == 151
    assert Region.objects.filter(kind="functional zone").count() == 15
    # Names repeat across cities; codes tell them apart.
    shizhong = Region.objects.filter(name="市中区").order_by("code")
    assert [(r.code, r.parent.name) for r in shizhong] == [("370103", "济南市"), ("370402", "枣庄市")]


def test_region_knows_ancestors_and_descendants():
    lixia = Region.objects.get(code="370102")
    assert [r.code for r in lixia.ancestors()] == ["370000", "370100"]
    jinan = Region.objects.get(code="370100")
    assert jinan.descendants().count() == 13
    assert "370176" in {r.code for r in jinan.descendants()}  # 济南高新区, a functional zone
    assert jinan.contains(lixia) and not lixia.contains(jinan)
    assert Region.objects.get(code="370000").descendants().count() == 167


def test_code_prefix_of_each_level():
    assert region_code_prefix("370000") == "37"
    assert region_code_prefix("370100") == "3701"
    assert region_code_prefix("370102") == "370102"


def test_province_user_sees_every_region(cast):
    assert Region.objects.visible_to(cast["province_staff"]).count() == 168


def test_city_user_sees_city_and_its_counties(cast):
    visible = set(Region.objects.visible_to(cast["city_staff"]).values_list("code", flat=True))
    assert "370100" in visible and "370102" in visible and "370103" in visible
    assert "370200" not in visible and "370000" not in visible


def test_county_staff_cannot_see_other_county(cast):
    staff = cast["county_staff"]
    assert list(Region.objects.visible_to(staff).values_list("code", flat=True)) == ["370102"]
    other = UserFactory(region_id="370103")
    assert not User.objects.visible_to(staff).filter(pk=other.pk).exists()
    with pytest.raises(Http404):
        get_visible_or_404(User, staff, pk=other.pk)


def test_user_without_region_sees_nothing(db):
    official = UserFactory(region=None)
    assert not Region.objects.visible_to(official).exists()


def test_inactive_user_sees_nothing(cast):
    staff = cast["province_staff"]
    staff.is_active = False
    assert not Department.objects.visible_to(staff).exists()


def test_fence_is_an_index_filter_not_a_join(cast):
    sql = str(Department.objects.visible_to(cast["county_staff"]).query)
    assert "accounts_region" not in sql
    assert re.search(r'"accounts_department"\."region_id"(::text)? LIKE', sql)


def test_malformed_lookup_is_a_404_not_an_error(cast):
    with pytest.raises(Http404):
        get_visible_or_404(User, cast["admin"], pk="not-a-number")


def test_department_in_other_county_is_404(cast):
    department = DepartmentFactory(region_id="370103")
    with pytest.raises(Http404):
        get_visible_or_404(Department, cast["county_staff"], pk=department.pk)
    assert get_visible_or_404(Department, cast["city_staff"], pk=department.pk) == department


def test_fence_uses_the_region_index_on_postgresql(cast):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("index plans are checked on PostgreSQL")
    queryset = Department.objects.visible_to(cast["city_staff"])
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "accounts_department_region_id" in plan and "_like" in plan, plan
