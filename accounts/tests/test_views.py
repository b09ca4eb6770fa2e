import pytest
from django.urls import reverse

from accounts.models import Department, User
from accounts.roles import Role
from accounts.tests.factories import PASSWORD, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def new_official_data(**overrides):
    data = {
        "username": "new_cadre",
        "full_name": "张三",
        "title": "历下区副区长",
        "mobile": "13800138000",
        "email": "",
        "region": "370102",
        "department": "",
        "roles": [Role.CADRE.value],
        "password1": "Liaison-Strong-42",
        "password2": "Liaison-Strong-42",
    }
    return {**data, **overrides}


def test_county_administrator_creates_an_official_in_their_county(client, cast):
    client.force_login(cast["county_admin"])
    response = client.post(reverse("accounts:official_create"), new_official_data())
    assert response.status_code == 302
    official = User.objects.get(username="new_cadre")
    assert official.region_id == "370102"
    assert official.has_role(Role.CADRE)
    assert official.check_password("Liaison-Strong-42")
    assert not official.is_staff


def test_county_administrator_cannot_create_an_official_in_another_county(client, cast):
    client.force_login(cast["county_admin"])
    response = client.post(reverse("accounts:official_create"), new_official_data(region="370103"))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="new_cadre").exists()


def test_department_must_belong_to_the_officials_region(client, cast):
    department = DepartmentFactory(region_id="370100")
    client.force_login(cast["admin"])
    response = client.post(reverse("accounts:official_create"), new_official_data(department=department.pk))
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert not User.objects.filter(username="new_cadre").exists()


def test_bad_mobile_and_weak_password_get_clear_messages_and_save_nothing(client, cast):
    client.force_login(cast["admin"])
    response = client.post(
        reverse("accounts:official_create"), new_official_data(mobile="12345", password1="123", password2="123")
    )
    form = response.context["form"]
    assert "mobile" in form.errors and "password1" in form.errors
    assert not User.objects.filter(username="new_cadre").exists()


def test_form_offers_only_regions_and_departments_of_the_actors_region(client, cast):
    DepartmentFactory(region_id="370103", name="市中区某部门")
    client.force_login(cast["county_admin"])
    form = client.get(reverse("accounts:official_create")).context["form"]
    assert [region.code for region in form.fields["region"].queryset] == ["370102"]
    assert all(department.region_id == "370102" for department in form.fields["department"].queryset)


def test_province_administrator_is_let_into_the_admin_site_other_administrators_are_not(client, cast):
    client.force_login(cast["admin"])
    client.post(
        reverse("accounts:official_create"),
        new_official_data(username="prov_admin", region="370000", roles=[Role.ADMINISTRATOR.value]),
    )
    client.post(
        reverse("accounts:official_create"),
        new_official_data(username="city_admin", region="370100", roles=[Role.ADMINISTRATOR.value]),
    )
    assert User.objects.get(username="prov_admin").is_staff
    assert not User.objects.get(username="city_admin").is_staff


def test_update_changes_roles(client, cast):
    official = UserFactory(region_id="370102", roles=[Role.CADRE])
    client.force_login(cast["county_admin"])
    data = new_official_data(username=official.username, roles=[Role.STAFF.value, Role.CADRE.value])
    response = client.post(reverse("accounts:official_update", args=[official.pk]), data)
    assert response.status_code == 302
    official = User.objects.get(pk=official.pk)
    assert official.role_names == {Role.STAFF.value, Role.CADRE.value}


def test_deactivated_official_cannot_log_in_and_keeps_their_record(client, cast):
    official = UserFactory(region_id="370102", roles=[Role.CADRE])
    admin_client = client
    admin_client.force_login(cast["county_admin"])
    admin_client.post(reverse("accounts:official_deactivate", args=[official.pk]))
    official.refresh_from_db()
    assert not official.is_active
    admin_client.logout()
    response = client.post(reverse("login"), {"username": official.username, "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not response.wsgi_request.user.is_authenticated


def test_administrator_cannot_deactivate_themselves(client, cast):
    client.force_login(cast["county_admin"])
    response = client.post(reverse("accounts:official_deactivate", args=[cast["county_admin"].pk]), follow=True)
    cast["county_admin"].refresh_from_db()
    assert cast["county_admin"].is_active
    assert "不能停用本人账号" in response.content.decode()


def test_reactivate(client, cast):
    official = UserFactory(region_id="370102", is_active=False)
    client.force_login(cast["county_admin"])
    client.post(reverse("accounts:official_activate", args=[official.pk]))
    official.refresh_from_db()
    assert official.is_active


def test_reset_password(client, cast):
    official = UserFactory(region_id="370102")
    client.force_login(cast["county_admin"])
    response = client.post(
        reverse("accounts:official_password", args=[official.pk]),
        {"new_password1": "Brand-New-Pass-9", "new_password2": "Brand-New-Pass-9"},
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.check_password("Brand-New-Pass-9")


def test_official_list_filters_by_region_search_and_role(client, cast):
    UserFactory(username="zhang_lx", full_name="测筛历下", region_id="370102", roles=[Role.CADRE])
    UserFactory(username="zhang_sz", full_name="测筛市中", region_id="370103", roles=[Role.CADRE])
    client.force_login(cast["city_staff"])
    url = reverse("accounts:official_list")
    names = lambda response: {official.username for official in response.context["page"]}  # noqa: E731
    assert names(client.get(url, {"q": "测筛", "region": "370102"})) == {"zhang_lx"}
    assert {"zhang_lx", "zhang_sz"} <= names(client.get(url, {"role": Role.CADRE.value}))
    assert names(client.get(url, {"region": "370200"})) == set()  # another city: not a choice, so no rows


def test_official_list_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries):
    for number in range(40):
        UserFactory(
            username=f"bulk{number}", region_id="370102", roles=[Role.CADRE], department=DepartmentFactory(region_id="370102")
        )
    client.force_login(cast["admin"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:official_list"))
    assert response.status_code == 200


def test_standard_departments_are_created_once_with_local_names(client, cast):
    client.force_login(cast["admin"])
    url = reverse("accounts:department_add_standard")
    client.post(url, {"region": "370102"})
    client.post(url, {"region": "370102"})
    names = set(Department.objects.filter(region_id="370102").values_list("name", flat=True))
    assert {"历下区委统战部", "历下区工商联", "历下区科技局", "历下区中小企业局"} <= names
    assert Department.objects.filter(region_id="370102").count() == 12


def test_department_rename_and_merge(client, cast):
    target = DepartmentFactory(region_id="370000", name="省工业和信息化厅")
    old = Department.objects.get(region_id="370000", name="省经信委")
    client.force_login(cast["admin"])
    response = client.post(
        reverse("accounts:department_update", args=[old.pk]),
        {"region": "370000", "unit_type": old.unit_type_id, "name": "省经信委（已合并）", "merged_into": target.pk},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.merged_into == target and not old.is_active and old.name == "省经信委（已合并）"


def test_duplicate_department_name_in_a_region_is_refused(client, cast):
    client.force_login(cast["admin"])
    response = client.post(reverse("accounts:department_create"), {"region": "370000", "name": "省委统战部", "is_active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Department.objects.filter(region_id="370000", name="省委统战部").count() == 1


def test_department_list_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries):
    for number in range(30):
        DepartmentFactory(region_id="370102", name=f"部门{number}")
    client.force_login(cast["admin"])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("accounts:department_list")).status_code == 200


def test_official_list_filters_by_status(client, cast):
    UserFactory(username="gone", region_id="370102", is_active=False)
    client.force_login(cast["county_admin"])
    url = reverse("accounts:official_list")
    inactive = {official.username for official in client.get(url, {"is_active": "inactive"}).context["page"]}
    assert inactive == {"gone"}
    active = {official.username for official in client.get(url, {"is_active": "active"}).context["page"]}
    assert "gone" not in active and "t_lx_cadre" in active


def test_out_of_region_filter_value_shows_an_error_not_everything(client, cast):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("accounts:official_list"), {"region": "370103"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert response.context["filter"].form.errors["region"]


def test_department_autocomplete_lists_the_users_region_only(client, cast):
    ours = DepartmentFactory(name="自动补全测试局", region_id="370102")
    DepartmentFactory(name="自动补全测试局", region_id="370103")  # another county's: never listed
    client.force_login(cast["county_staff"])
    results = client.get(reverse("accounts:department_autocomplete"), {"q": "自动补全"}).json()["results"]
    assert [row["value"] for row in results] == [ours.pk]
    assert results[0]["text"] == "自动补全测试局（济南市 历下区）"
    client.force_login(cast["city_staff"])
    results = client.get(reverse("accounts:department_autocomplete"), {"q": "自动补全"}).json()["results"]
    assert len(results) == 2


def test_problem_list_does_not_list_every_department(client, cast):
    for number in range(30):
        DepartmentFactory(name=f"很多部门{number}")
    client.force_login(cast["province_staff"])
    body = client.get(reverse("problems:list")).content.decode()
    assert "很多部门" not in body and "department_autocomplete" not in body
    assert reverse("accounts:department_autocomplete") in body
    chosen = DepartmentFactory(name="选中的部门")
    body = client.get(reverse("problems:list"), {"department": chosen.pk}).content.decode()
    assert "选中的部门（济南市 历下区）" in body and "很多部门" not in body
