import pytest
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_the_right_password(client):
    official = UserFactory()
    response = client.post(reverse("login"), {"username": official.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_gets_a_clear_message_in_chinese(client):
    official = UserFactory()
    response = client.post(reverse("login"), {"username": official.username, "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()  # Django's own zh-hans message


def test_repeated_failures_lock_the_account_for_that_address(client, settings):
    official = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": official.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": official.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_inactive_account_cannot_log_in(client):
    official = UserFactory(is_active=False)
    response = client.post(reverse("login"), {"username": official.username, "password": PASSWORD})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_pages_need_a_login(client):
    response = client.get("/accounts/officials/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_password_change(client):
    official = UserFactory()
    client.force_login(official)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Another-Pass-77", "new_password2": "Another-Pass-77"},
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.check_password("Another-Pass-77")


def test_english_on_request(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    response = client.get(reverse("login"))
    assert '<html lang="en">' in response.content.decode()
    assert "Log in" in response.content.decode()


def test_simplified_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "登录" in response.content.decode()


def test_stale_form_gets_a_clear_page_not_a_technical_one():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()
