"""Exports leave as ledgers (core.workbooks): real date cells and text that would run kept as text through the
export path, and the liaison list (联系名单) titled with whose it is and the day it holds. Every kind's title
row, frozen header and autofilter are checked in test_every_export.py; the writer's properties one by one in
core/tests/test_workbooks.py."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def sheet_of(response):
    assert response.status_code == 200, response
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]


def test_dates_are_date_cells_and_text_that_would_run_stays_text(cast):
    enterprise = AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(region_id="370102")).enterprise
    Visit.objects.create(
        enterprise=enterprise,
        region_id="370102",
        cadre=cast["cadre"],
        level="county",
        purpose='=HYPERLINK("http://evil.example","点我")',
        needs="-1+2",
        visited_on=timezone.localdate(),
        status=VisitStatus.SUBMITTED,
    )
    sheet = sheet_of(signed_in(cast["county_staff"]).get(reverse("visits:export")))

    visited_on, purpose, needs = sheet["A3"], sheet["H3"], sheet["J3"]
    assert visited_on.is_date and visited_on.value.date() == timezone.localdate()
    assert purpose.value.startswith("=HYPERLINK") and purpose.data_type == "s" and purpose.quotePrefix
    assert needs.value == "-1+2" and needs.quotePrefix


# The liaison list (联系名单), the list most often sent up


def test_the_liaison_list_is_titled_with_the_department_and_its_day_and_lists_whom_to_call(cast):
    today = timezone.localdate()
    department = DepartmentFactory(region_id="370102", name="历下区工商联")
    official = UserFactory(region_id="370102", roles=[Role.CADRE], department=department, full_name="工商联干部")
    enterprise = EnterpriseFactory(
        name="工商联联系企业", legal_representative="王五", contact_name="赵六", contact_mobile="13900001111"
    )
    AssignmentFactory(official=official, department=department, enterprise=enterprise, started_on=today - timedelta(days=3))
    AssignmentFactory(official=cast["other_county_cadre"], enterprise=EnterpriseFactory(name="外区企业", region_id="370103"))

    client = signed_in(cast["county_staff"])
    sheet = sheet_of(client.get(reverse("enterprises:roster_export"), {"department": department.pk}))

    assert "联系名单" in sheet["A1"].value and "历下区工商联" in sheet["A1"].value and today.isoformat() in sheet["A1"].value
    header, *rows = list(sheet.iter_rows(min_row=2, values_only=True))
    [row] = [dict(zip(header, values, strict=True)) for values in rows]
    assert (row["联系干部"], row["企业名称"], row["法定代表人"], row["企业联系人"], row["联系电话"]) == (
        "工商联干部",
        "工商联联系企业",
        "王五",
        "赵六",
        "13900001111",
    )
    assert row["联系开始日期"].date() == today - timedelta(days=3)

    on = (today - timedelta(days=10)).isoformat()
    earlier = sheet_of(client.get(reverse("enterprises:roster_export"), {"region": "370102", "on": on}))
    assert "济南市 历下区" in earlier["A1"].value and on in earlier["A1"].value
    assert earlier.max_row == 2, "nobody liaised yet on that day: the title and the header only"


def test_the_liaison_list_never_holds_another_countys_liaisons(cast):
    AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name="历下企业", region_id="370102"))
    AssignmentFactory(official=cast["other_county_cadre"], enterprise=EnterpriseFactory(name="外区企业", region_id="370103"))

    client = signed_in(cast["county_staff"])
    for params in ({}, {"region": "370103"}, {"region": "370100"}):
        sheet = sheet_of(client.get(reverse("enterprises:roster_export"), params))
        names = {row[5] for row in sheet.iter_rows(min_row=3, values_only=True)}
        assert "历下企业" in names and "外区企业" not in names, params
