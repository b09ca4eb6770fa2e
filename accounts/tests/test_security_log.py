"""What the security log says of sign-ins and of officials' accounts: who, from which address, in which region,
once per event, and never a password, a session key or a CSRF token."""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.http import Http404
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.access import get_visible_or_404
from accounts.models import Region, User
from accounts.roles import Role
from accounts.signals import log_roles_change
from accounts.tests.factories import PASSWORD, UserFactory
from core.tests.security_lines import captured_security_log
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "Marker-Wrong-Secret-8841"
CLIENT, PROXY = "203.0.113.9", "10.0.0.2"


@pytest.fixture
def security_log():
    with captured_security_log() as log:
        yield log


@pytest.fixture
def behind_one_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1


def proxied_client(**kwargs):
    """A browser behind the portal's one proxy: the socket is the proxy's, the client is in X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.66, {CLIENT}", **kwargs)


def test_a_login_names_the_official_their_region_the_client_and_the_request(security_log, behind_one_proxy):
    official = UserFactory(region_id="370102")
    browser = proxied_client(enforce_csrf_checks=True)
    browser.get(reverse("login"))
    csrf_token = browser.cookies["csrftoken"].value
    response = browser.post(
        reverse("login") + "?next=/&token=Marker-Query-Token-55",
        {"username": official.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token},
    )

    assert response.status_code == 302
    login = security_log.one("login")
    assert login["user_id"] == official.pk and login["username"] == official.username and login["region"] == "370102"
    assert login["address"] == CLIENT, "the client's address, not the proxy's nor the forged entry's"
    assert (login["method"], login["path"]) == ("POST", "/accounts/login/")
    assert login["query"] == {"next": "/", "token": "[scrubbed]"}
    assert login["request_id"] == response["X-Request-ID"]
    assert login["time"].endswith("Z")
    session_key = browser.cookies["sessionid"].value
    for secret in (PASSWORD, session_key, csrf_token, "Marker-Query-Token-55"):
        assert secret not in security_log.text()


def test_a_failed_login_names_the_username_tried_and_the_address_never_the_password(security_log, behind_one_proxy):
    response = proxied_client().post(reverse("login"), {"username": "no_such_official", "password": WRONG_PASSWORD})

    failure = security_log.one("login_failed")
    assert failure["username"] == "no_such_official" and failure["user_id"] is None
    assert failure["address"] == CLIENT and failure["request_id"] == response["X-Request-ID"]
    assert WRONG_PASSWORD not in security_log.text()
    assert not security_log.named("login")


def test_the_lockout_is_logged_once_with_the_username_and_address(security_log, behind_one_proxy, settings):
    official = UserFactory()
    browser = proxied_client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser.post(reverse("login"), {"username": official.username, "password": WRONG_PASSWORD})

    lockout = security_log.one("lockout")
    assert (lockout["username"], lockout["address"]) == (official.username, CLIENT)
    assert len(security_log.named("login_failed")) == settings.AXES_FAILURE_LIMIT
    assert WRONG_PASSWORD not in security_log.text()


def test_a_logout_names_who_left(client, security_log):
    official = UserFactory(region_id="370103")
    client.force_login(official)
    response = client.post(reverse("logout"))

    logout = security_log.one("logout")
    assert (logout["user_id"], logout["region"], logout["address"]) == (official.pk, "370103", "127.0.0.1")
    assert logout["request_id"] == response["X-Request-ID"]


def test_an_official_changing_their_own_password_is_logged_without_it(client, security_log, django_capture_on_commit_callbacks):
    official = UserFactory()
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": "Marker-New-Pass-77", "new_password2": "Marker-New-Pass-77"},
        )

    changed = security_log.one("password_changed")
    assert changed["user_id"] == changed["official_id"] == official.pk
    assert not security_log.named("password_reset")
    assert "Marker-New-Pass-77" not in security_log.text() and PASSWORD not in security_log.text()


def test_an_administrator_resetting_a_password_is_logged_as_a_reset(
    client, cast, security_log, django_capture_on_commit_callbacks
):
    official = UserFactory(region_id="370102")
    client.force_login(cast["county_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:official_password", args=[official.pk]),
            {"new_password1": "Marker-Reset-Pass-31", "new_password2": "Marker-Reset-Pass-31"},
        )

    assert response.status_code == 302
    reset = security_log.one("password_reset")
    assert (reset["user_id"], reset["region"], reset["official_id"]) == (cast["county_admin"].pk, "370102", official.pk)
    assert not security_log.named("password_changed")
    assert "Marker-Reset-Pass-31" not in security_log.text()


def test_the_admin_sites_password_form_is_logged_as_a_reset(client, cast, security_log, django_capture_on_commit_callbacks):
    official = UserFactory(region_id="370102")
    client.force_login(cast["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:auth_user_password_change", args=[official.pk]),
            {"password1": "Marker-Admin-Pass-64", "password2": "Marker-Admin-Pass-64", "usable_password": "true"},
        )

    assert response.status_code == 302
    reset = security_log.one("password_reset")
    assert (reset["user_id"], reset["official_id"]) == (cast["admin"].pk, official.pk)
    assert "Marker-Admin-Pass-64" not in security_log.text()


def test_a_sign_in_that_only_rehashes_the_password_is_no_password_change(
    client, security_log, django_capture_on_commit_callbacks
):
    official = UserFactory()
    old_hash = make_password(PASSWORD, salt="short", hasher="md5")  # too little salt: a login stores it anew
    User.objects.filter(pk=official.pk).update(password=old_hash)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("login"), {"username": official.username, "password": PASSWORD})

    official.refresh_from_db()
    assert official.password != old_hash, "the login stored the password anew"
    security_log.one("login")
    assert not security_log.named("password_changed") and not security_log.named("password_reset")
    assert not security_log.named("official_changed")


def test_a_new_official_is_logged_with_their_region_and_roles_never_their_password(
    client, cast, security_log, django_capture_on_commit_callbacks
):
    client.force_login(cast["county_admin"])
    form = {"username": "new_cadre", "full_name": "张三", "title": "", "mobile": "", "email": "", "department": ""}
    form.update(region="370102", roles=[Role.CADRE.value], password1="Marker-First-99", password2="Marker-First-99")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:official_create"),
            form,
        )

    assert response.status_code == 302
    official = User.objects.get(username="new_cadre")
    created = security_log.one("official_created")
    assert (created["official_id"], created["official"]) == (official.pk, "new_cadre")
    assert created["user_id"] == cast["county_admin"].pk
    assert created["values"] == {"region": "370102", "department": None, "is_active": True}
    assert security_log.one("roles_changed")["added"] == [Role.CADRE.value]
    assert not security_log.named("password_reset") and "Marker-First-99" not in security_log.text()


def test_a_change_of_region_and_roles_is_logged_with_old_and_new(client, security_log, django_capture_on_commit_callbacks):
    city_admin = UserFactory(region_id="370100", roles=[Role.ADMINISTRATOR])
    official = UserFactory(region_id="370102", roles=[Role.CADRE], full_name="李四")
    client.force_login(city_admin)
    form = {"username": official.username, "full_name": "李四", "title": "", "mobile": "", "email": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:official_update", args=[official.pk]),
            {**form, "region": "370103", "department": "", "roles": [Role.STAFF.value]},
        )

    assert response.status_code == 302
    changed = security_log.one("official_changed")
    assert changed["changes"] == {"region": ["370102", "370103"]}
    assert (changed["user_id"], changed["region"], changed["official_id"]) == (city_admin.pk, "370100", official.pk)
    roles = security_log.named("roles_changed")
    assert [(line.get("added"), line.get("removed")) for line in roles] == [
        (None, [Role.CADRE.value]),
        ([Role.STAFF.value], None),
    ]
    assert {line["request_id"] for line in [changed, *roles]} == {response["X-Request-ID"]}


def test_deactivating_an_official_is_logged_and_a_save_that_changes_nothing_watched_is_not(
    client, cast, security_log, django_capture_on_commit_callbacks
):
    official = UserFactory(region_id="370102")
    client.force_login(cast["county_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:official_deactivate", args=[official.pk]))
        official.refresh_from_db()
        official.full_name = "王五"
        official.save()

    changed = security_log.one("official_changed")
    assert changed["changes"] == {"is_active": [True, False]} and changed["official_id"] == official.pk


def test_a_change_outside_a_request_is_logged_without_one(security_log, django_capture_on_commit_callbacks):
    official = UserFactory(region_id="370102", roles=[Role.CADRE])
    with django_capture_on_commit_callbacks(execute=True):
        services.update_official(official=official, roles=[Role.CADRE], region=Region.objects.get(code="370103"))

    changed = security_log.one("official_changed")
    assert changed["changes"] == {"region": ["370102", "370103"]}
    assert (changed["user_id"], changed["request_id"], changed["address"]) == (None, None, None)
    assert not security_log.named("roles_changed"), "the same roles set again are no change"


def test_roles_cleared_are_logged_by_name(security_log, django_capture_on_commit_callbacks):
    official = UserFactory(region_id="370102", roles=[Role.CADRE, Role.STAFF])
    with django_capture_on_commit_callbacks(execute=True):
        official.groups.clear()

    removed = security_log.one("roles_changed")
    assert removed["official_id"] == official.pk and "added" not in removed
    assert removed["removed"] == sorted([Role.CADRE.value, Role.STAFF.value])


def test_roles_given_from_the_groups_side_name_each_official(security_log, django_capture_on_commit_callbacks):
    """group.user_set.add(...): the signal names the group as the instance and the officials by key. (Sent here
    as Django sends it: the audit trail's history of User.groups does not take a change from that side yet.)"""
    first, second = UserFactory(region_id="370102"), UserFactory(region_id="370103")
    staff = Group.objects.get(name=Role.STAFF.value)
    with django_capture_on_commit_callbacks(execute=True):
        log_roles_change(
            sender=User.groups.through,
            instance=staff,
            action="post_add",
            reverse=True,
            pk_set={second.pk, first.pk},
            using="default",
        )

    roles = security_log.named("roles_changed")
    assert [(line["official_id"], line["official"], line["added"]) for line in roles] == [
        (first.pk, first.username, [Role.STAFF.value]),
        (second.pk, second.username, [Role.STAFF.value]),
    ]


def test_a_change_rolled_back_leaves_no_line(security_log, django_capture_on_commit_callbacks):
    official = UserFactory(region_id="370102")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        official.is_active = False
        official.save()
    assert len(callbacks) == 1, "the line waits for the commit"
    assert not security_log.named("official_changed")


# The fence: a 404 that hides a record outside one's region


def test_a_record_outside_ones_region_is_a_404_logged_as_out_of_region(client, cast, security_log):
    foreign = EnterpriseFactory(region_id="370103")
    client.force_login(cast["county_staff"])
    response = client.get(reverse("enterprises:detail", args=[foreign.pk]))

    assert response.status_code == 404
    line = security_log.one("out_of_region")
    assert (line["user_id"], line["region"], line["path"]) == (cast["county_staff"].pk, "370102", f"/enterprises/{foreign.pk}/")
    assert (line["model"], line["lookup"]) == ("enterprises.enterprise", {"pk": foreign.pk})
    assert line["request_id"] == response["X-Request-ID"]


def test_a_missing_record_or_a_malformed_id_is_a_404_without_a_line(client, cast, security_log):
    client.force_login(cast["county_staff"])
    own = EnterpriseFactory(region_id="370102")

    assert client.get(reverse("enterprises:detail", args=[own.pk + 1000])).status_code == 404
    assert client.get(reverse("enterprises:detail", args=[own.pk])).status_code == 200
    with pytest.raises(Http404):
        get_visible_or_404(Enterprise, cast["county_staff"], pk="not-a-number")
    assert not security_log.named("out_of_region")


def test_the_fence_asks_again_only_on_a_miss(cast, django_assert_num_queries):
    own = EnterpriseFactory(region_id="370102")
    with django_assert_num_queries(1):
        assert get_visible_or_404(Enterprise, cast["county_staff"], pk=own.pk) == own
    with django_assert_num_queries(2), pytest.raises(Http404):
        get_visible_or_404(Enterprise, cast["other_county_staff"], pk=own.pk)
