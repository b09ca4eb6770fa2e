import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.credit_codes import build_credit_code
from enterprises.models import Enterprise, LiaisonAssignment, Status, Tag
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def enterprise_data(**overrides):
    data = {
        "name": "济南泉城精密机械有限公司",
        "credit_code": build_credit_code(division="370102", serial=777),
        "region": "370102",
        "address": "历下区经十路 1 号",
        "industry": "C",
        "ownership": "private",
        "size": "medium",
        "employees": "320",
        "annual_revenue": "15000.50",
        "legal_representative": "王强",
        "contact_name": "李娜",
        "contact_mobile": "13912345678",
        "tags": [Tag.objects.get(name="专精特新").pk],
        "status": "operating",
    }
    return {**data, **overrides}


def test_staff_create_an_enterprise_in_their_county(client, cast):
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("enterprises:create"), enterprise_data(credit_code=" " + build_credit_code(division="370102", serial=777).lower())
    )
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert enterprise.credit_code == build_credit_code(division="370102", serial=777)
    assert [tag.name for tag in enterprise.tags.all()] == ["专精特新"]
    assert enterprise.history.first().history_user == cast["county_staff"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_code": "91370102000000777X"}, "credit_code"),
        ({"region": "370103"}, "region"),
        ({"region": "370100"}, "region"),
        ({"industry": "Z"}, "industry"),
        ({"contact_mobile": "1234"}, "contact_mobile"),
        ({"annual_revenue": "-5"}, "annual_revenue"),
    ],
)
def test_bad_enterprise_input_gets_a_message_and_saves_nothing(client, cast, overrides, field):
    client.force_login(cast["county_staff"])
    response = client.post(reverse("enterprises:create"), enterprise_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Enterprise.objects.exists()


def test_duplicate_credit_code_is_refused(client, cast):
    existing = EnterpriseFactory()
    client.force_login(cast["county_staff"])
    response = client.post(reverse("enterprises:create"), enterprise_data(credit_code=existing.credit_code))
    assert "credit_code" in response.context["form"].errors
    assert Enterprise.objects.count() == 1


def test_enterprise_page_shows_facts_liaisons_past_and_present_timeline_and_history(client, cast):
    enterprise = EnterpriseFactory(name="泉城测试企业")
    old = AssignmentFactory(enterprise=enterprise, official=cast["cadre"], started_on=timezone.localdate() - timedelta(days=40))
    old.ended_on, old.end_reason = timezone.localdate() - timedelta(days=5), "工作调动"
    old.save()
    successor = UserFactory(region_id="370102", roles=[Role.CADRE], full_name="接任干部")
    AssignmentFactory(enterprise=enterprise, official=successor, started_on=timezone.localdate() - timedelta(days=5))
    client.force_login(cast["county_staff"])
    response = client.get(reverse("enterprises:detail", args=[enterprise.pk]))
    assert [a.official for a in response.context["current_liaisons"]] == [successor]
    assert [a.official for a in response.context["past_liaisons"]] == [cast["cadre"]]
    body = response.content.decode()
    assert "工作调动" in body and enterprise.credit_code in body
    assert len(response.context["timeline"]) == 4  # entered, two liaisons begun, one ended
    assert response.context["changes"]


@pytest.mark.parametrize(
    ("status", "colour"), [(Status.OPERATING, "success"), (Status.SUSPENDED, "warning"), (Status.DEREGISTERED, "warning")]
)
def test_the_status_badge_is_coloured_by_the_enterprise(client, cast, status, colour):
    """Green while operating, amber otherwise, on the enterprise page; the list badges only the enterprises not operating."""
    enterprise = EnterpriseFactory(name="状态测试企业", status=status)
    assert enterprise.status_colour == colour
    client.force_login(cast["county_staff"])
    badge = f'<span class="badge text-bg-{colour}" data-status="{status}">{enterprise.get_status_display()}</span>'

    assert badge in client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    listed = client.get(reverse("enterprises:list")).content.decode()
    assert (f'data-status="{status}"' in listed) == (status != Status.OPERATING)
    if status != Status.OPERATING:
        assert badge in listed


def test_assign_a_liaison_from_the_enterprise_page(client, cast):
    enterprise = EnterpriseFactory()
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("enterprises:assignment_create", args=[enterprise.pk]),
        {"official": cast["cadre"].pk, "started_on": timezone.localdate().isoformat(), "reason": "首批联系企业"},
    )
    assert response.status_code == 302
    assert LiaisonAssignment.objects.get().official == cast["cadre"]


def test_a_cadre_from_another_region_cannot_be_picked(client, cast):
    enterprise = EnterpriseFactory()
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("enterprises:assignment_create", args=[enterprise.pk]),
        {"official": cast["other_county_cadre"].pk, "started_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "official" in response.context["form"].errors
    assert not LiaisonAssignment.objects.exists()


def test_city_staff_cannot_give_a_city_enterprise_a_cadre_of_another_county(client, cast):
    enterprise = EnterpriseFactory(region_id="370102")
    client.force_login(cast["city_staff"])
    response = client.post(
        reverse("enterprises:assignment_create", args=[enterprise.pk]),
        {"official": cast["other_county_cadre"].pk, "started_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not LiaisonAssignment.objects.exists()


def test_end_a_liaison(client, cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=timezone.localdate() - timedelta(days=3))
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("enterprises:assignment_end", args=[assignment.pk]),
        {"ended_on": timezone.localdate().isoformat(), "reason": "企业迁出"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_on == timezone.localdate() and assignment.ended_by == cast["county_staff"]


def test_bulk_assignment_from_the_list(client, cast):
    enterprises = [EnterpriseFactory() for _ in range(3)]
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("enterprises:bulk_assign"),
        {
            "enterprises": [e.pk for e in enterprises],
            "official": cast["cadre"].pk,
            "started_on": timezone.localdate().isoformat(),
            "next": "/enterprises/?size=small",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/enterprises/?size=small"
    assert LiaisonAssignment.objects.current().filter(official=cast["cadre"]).count() == 3


def test_bulk_assignment_cannot_reach_enterprises_outside_the_region(client, cast):
    mine, theirs = EnterpriseFactory(region_id="370102"), EnterpriseFactory(region_id="370103")
    client.force_login(cast["county_staff"])
    client.post(
        reverse("enterprises:bulk_assign"),
        {"enterprises": [mine.pk, theirs.pk], "official": cast["cadre"].pk, "started_on": timezone.localdate().isoformat()},
    )
    assert not LiaisonAssignment.objects.exists()


def test_bulk_assignment_never_redirects_off_site(client, cast):
    client.force_login(cast["county_staff"])
    response = client.post(reverse("enterprises:bulk_assign"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("enterprises:list")


def list_names(client, **params):
    return {enterprise.name for enterprise in client.get(reverse("enterprises:list"), params).context["page"]}


def test_list_search_and_filters(client, cast):
    big = EnterpriseFactory(name="甲大型企业", size="large", industry_id="I")
    big.tags.add(Tag.objects.get(name="上市公司"))
    small = EnterpriseFactory(name="乙小微企业", size="micro")
    AssignmentFactory(enterprise=small, official=cast["cadre"])
    EnterpriseFactory(name="丙外区企业", region_id="370103")
    client.force_login(cast["city_staff"])
    assert list_names(client, q="大型") == {"甲大型企业"}
    assert list_names(client, q=big.credit_code.lower()) == {"甲大型企业"}
    assert list_names(client, size="micro") == {"乙小微企业"}
    assert list_names(client, industry="I") == {"甲大型企业"}
    assert list_names(client, tags=Tag.objects.get(name="上市公司").pk) == {"甲大型企业"}
    assert list_names(client, has_liaison="yes") == {"乙小微企业"}
    assert list_names(client, has_liaison="no") == {"甲大型企业", "丙外区企业"}
    assert list_names(client, level="county") == {"乙小微企业"}
    assert list_names(client, level="city") == set()
    assert list_names(client, cadre=cast["cadre"].pk) == {"乙小微企业"}
    assert list_names(client, region="370103") == {"丙外区企业"}


def test_list_is_sortable(client, cast):
    EnterpriseFactory(name="A企业", employees=5)
    EnterpriseFactory(name="B企业", employees=500)
    client.force_login(cast["county_staff"])
    page = client.get(reverse("enterprises:list"), {"sort": "-employees"}).context["page"]
    assert [e.name for e in page] == ["B企业", "A企业"]


def test_county_staff_list_never_shows_another_county(client, cast):
    EnterpriseFactory(name="外区企业", region_id="370103")
    client.force_login(cast["county_staff"])
    assert "外区企业" not in client.get(reverse("enterprises:list")).content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_enterprise_list_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries, count):
    tag = Tag.objects.first()
    for number in range(count):
        enterprise = EnterpriseFactory()
        enterprise.tags.add(tag)
        if number % 2:
            AssignmentFactory(enterprise=enterprise, official=cast["cadre"])
    client.force_login(cast["county_staff"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("enterprises:list"), {"page": 2 if count > 25 else 1})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 200])
def test_my_enterprises_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries, count):
    for _ in range(count):
        AssignmentFactory(official=cast["cadre"])
    client.force_login(cast["cadre"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("enterprises:mine"))
    assert len(response.context["page"]) == min(count, 50)


def test_my_enterprises_lists_only_current_ones(client, cast):
    AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name="现联系企业"))
    AssignmentFactory(
        official=cast["cadre"],
        enterprise=EnterpriseFactory(name="已结束企业"),
        started_on=timezone.localdate() - timedelta(days=9),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(cast["cadre"])
    body = client.get(reverse("enterprises:mine")).content.decode()
    assert "现联系企业" in body and "已结束企业" not in body


def test_roster_as_of_a_past_date(client, cast):
    today = timezone.localdate()
    AssignmentFactory(
        official=cast["cadre"],
        enterprise=EnterpriseFactory(name="旧名单企业"),
        started_on=today - timedelta(days=100),
        ended_on=today - timedelta(days=50),
    )
    AssignmentFactory(
        official=cast["cadre"], enterprise=EnterpriseFactory(name="新名单企业"), started_on=today - timedelta(days=10)
    )
    client.force_login(cast["county_staff"])
    past = client.get(reverse("enterprises:roster"), {"region": "370102", "on": (today - timedelta(days=60)).isoformat()})
    now = client.get(reverse("enterprises:roster"), {"region": "370102"})
    assert "旧名单企业" in past.content.decode() and "新名单企业" not in past.content.decode()
    assert "新名单企业" in now.content.decode() and "旧名单企业" not in now.content.decode()


def test_roster_per_department(client, cast):
    from accounts.tests.factories import DepartmentFactory

    department = DepartmentFactory(region_id="370102", name="历下区工商联")
    official = UserFactory(region_id="370102", roles=[Role.CADRE], department=department)
    AssignmentFactory(official=official, department=department, enterprise=EnterpriseFactory(name="工商联联系企业"))
    AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name="其他联系企业"))
    client.force_login(cast["county_staff"])
    body = client.get(reverse("enterprises:roster"), {"region": "370102", "department": department.pk}).content.decode()
    assert "工商联联系企业" in body and "其他联系企业" not in body


def test_roster_ignores_a_region_outside_the_users(client, cast):
    AssignmentFactory(official=cast["other_county_cadre"], enterprise=EnterpriseFactory(name="外区名单企业", region_id="370103"))
    client.force_login(cast["county_staff"])
    response = client.get(reverse("enterprises:roster"), {"region": "370103", "on": "not-a-date"})
    assert response.status_code == 200
    assert "外区名单企业" not in response.content.decode()


def roster_rows(response):
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return list(sheet.iter_rows(min_row=2, values_only=True))  # below the title row


def test_roster_exports_the_list_of_the_same_choices(client, cast):
    from accounts.tests.factories import DepartmentFactory

    today = timezone.localdate()
    department = DepartmentFactory(region_id="370102", name="历下区工商联")
    official = UserFactory(region_id="370102", roles=[Role.CADRE], department=department, full_name="工商联干部")
    AssignmentFactory(
        official=official, department=department, enterprise=EnterpriseFactory(name="工商联联系企业"), started_on=today
    )
    AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name="其他联系企业"), started_on=today)
    AssignmentFactory(official=cast["other_county_cadre"], enterprise=EnterpriseFactory(name="外区名单企业", region_id="370103"))
    client.force_login(cast["county_staff"])

    page = client.get(reverse("enterprises:roster"), {"region": "370102", "department": department.pk}).content.decode()
    assert f"{reverse('enterprises:roster_export')}?region=370102&amp;department={department.pk}" in page
    rows = roster_rows(client.get(reverse("enterprises:roster_export"), {"region": "370102", "department": department.pk}))
    assert rows[0][:3] == ("序号", "联系干部", "职务")
    assert [(row[1], row[4], row[5]) for row in rows[1:]] == [("工商联干部", "历下区工商联", "工商联联系企业")]

    everyone = roster_rows(client.get(reverse("enterprises:roster_export")))
    assert {row[5] for row in everyone[1:]} == {"工商联联系企业", "其他联系企业"}, "never another county's"
    yesterday = (today - timedelta(days=1)).isoformat()
    assert roster_rows(client.get(reverse("enterprises:roster_export"), {"on": yesterday}))[1:] == []


@pytest.mark.parametrize(
    "query", [{"on": "2026-02-30"}, {"on": "not-a-date"}, {"department": "9" * 30}, {"region": "370103", "department": "x"}]
)
def test_roster_and_its_export_ignore_malformed_choices(client, cast, query):
    AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name="我的名单企业"))
    client.force_login(cast["county_staff"])
    assert "我的名单企业" in client.get(reverse("enterprises:roster"), query).content.decode()
    assert "我的名单企业" in {row[5] for row in roster_rows(client.get(reverse("enterprises:roster_export"), query))}


def test_autocomplete_is_fenced_to_the_users_region(client, cast):
    EnterpriseFactory(name="历下自动补全企业")
    EnterpriseFactory(name="市中自动补全企业", region_id="370103")
    client.force_login(cast["county_staff"])
    names = [row["text"] for row in client.get(reverse("enterprises:autocomplete"), {"q": "自动补全"}).json()["results"]]
    assert len(names) == 1 and names[0].startswith("历下自动补全企业")
    officials = client.get(reverse("accounts:official_autocomplete"), {"role": "liaison_cadre"}).json()["results"]
    assert {row["value"] for row in officials} == {cast["cadre"].pk}


def test_autocomplete_widget_renders_only_the_chosen_official(client, cast):
    for number in range(30):
        UserFactory(username=f"many{number}", region_id="370102", roles=[Role.CADRE])
    client.force_login(cast["county_staff"])
    enterprise = EnterpriseFactory()
    body = client.get(reverse("enterprises:assignment_create", args=[enterprise.pk])).content.decode()
    assert body.count("<option") <= 3  # the empty choice (and the language switch), never all cadres
    assert "data-autocomplete-url" in body
