"""Django's password checks speak the reader's language: in zh-hans, a short, common or numeric password is
refused in Chinese, on the password change page and in the admin alike (accounts/passwords.py says why the
length message needed help)."""

import re

import pytest
from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def refusals(password, user=None):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return refused.value.messages


def test_every_password_check_refuses_in_chinese():
    user = UserFactory(username="zhangsanfeng", first_name="三丰")
    with translation.override("zh-hans"):
        messages = refusals("1234", user) + refusals("zhangsanfeng1", user)
    assert "密码长度太短。密码必须包含至少 8 个字符。" in messages
    assert "这个密码太常见了。" in messages
    assert "密码只包含数字。" in messages
    assert any(message.startswith("这个密码和") or "太相似" in message for message in messages)
    assert [message for message in messages if LATIN_WORD.search(message)] == []


def test_each_configured_check_has_a_chinese_message():
    """A Django upgrade whose zh_Hans catalogue lags behind one of its messages shows up here."""
    for validator in get_default_password_validators():
        if not hasattr(validator, "get_error_message"):
            continue
        with translation.override("en"):
            english = validator.get_error_message()
        with translation.override("zh-hans"):
            chinese = validator.get_error_message()
        words = LATIN_WORD.findall(re.sub(r"%\(\w+\)\w", "", chinese))
        assert chinese != english and words == [], type(validator)


def test_the_length_message_reads_as_djangos_in_english():
    with translation.override("en"):
        assert refusals("Ab1!") == ["This password is too short. It must contain at least 8 characters."]


def test_the_password_change_page_refuses_a_short_common_password_in_chinese():
    official = UserFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(official)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "abc123", "new_password2": "abc123"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "密码长度太短。密码必须包含至少 8 个字符。" in html and "这个密码太常见了。" in html
    assert "too short" not in html and "too common" not in html
