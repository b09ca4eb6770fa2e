"""A signed-in session ends after SESSION_IDLE_MINUTES without activity (the login page says so), and
SESSION_COOKIE_AGE after sign-in however active the reader; background polling is not activity."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.sessions import LAST_ACTIVITY, POLL_HEADER, WRITE_EVERY, signed_out_message
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

POLL = {"headers": {POLL_HEADER: "1"}}


@pytest.fixture
def official():
    return UserFactory(username="idle_official")


@pytest.fixture
def signed_in(official):
    """A browser signed in through the login form, as a reader is."""
    client = Client()
    response = client.post(reverse("login"), {"username": official.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def last_active(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds_ago
    session.save()


def stored_session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_signing_in_notes_the_activity_and_fixes_the_end_of_the_session(signed_in, settings):
    assert abs(signed_in.session[LAST_ACTIVITY] - time.time()) < 5
    expected_end = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((stored_session(signed_in).expire_date - expected_end).total_seconds()) < 5


def test_a_reader_idle_past_the_limit_is_signed_out_and_told_why_on_the_login_page(signed_in, settings):
    last_active(signed_in, settings.SESSION_IDLE_MINUTES * 60 + 5)
    response = signed_in.get(reverse("notifications:list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert not response.wsgi_request.user.is_authenticated
    html = response.content.decode()
    assert "30 分钟" in html or "30 minutes" in html
    with translation.override("zh-hans"):
        assert signed_out_message(30) in html
        # Said once: the next page does not repeat it
        assert signed_out_message(30) not in signed_in.get(reverse("login")).content.decode()


def test_a_reader_active_within_the_limit_stays_signed_in(signed_in, settings):
    last_active(signed_in, settings.SESSION_IDLE_MINUTES * 60 - 60)
    response = signed_in.get(reverse("notifications:list"))
    assert response.status_code == 200 and response.wsgi_request.user.is_authenticated
    assert abs(signed_in.session[LAST_ACTIVITY] - time.time()) < 5  # the request counted as activity


def test_the_limit_comes_from_the_environment(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 5
    last_active(signed_in, 6 * 60)
    response = signed_in.get(reverse("notifications:list"), follow=True)
    assert not response.wsgi_request.user.is_authenticated
    with translation.override("zh-hans"):
        assert signed_out_message(5) in response.content.decode()


def test_the_activity_is_written_at_most_once_a_minute(signed_in):
    last_active(signed_in, WRITE_EVERY - 20)
    noted = signed_in.session[LAST_ACTIVITY]
    signed_in.get(reverse("notifications:list"))
    assert signed_in.session[LAST_ACTIVITY] == noted
    last_active(signed_in, WRITE_EVERY + 20)
    signed_in.get(reverse("notifications:list"))
    assert abs(signed_in.session[LAST_ACTIVITY] - time.time()) < 5


def test_background_polling_is_not_activity(signed_in, settings):
    idle = settings.SESSION_IDLE_MINUTES * 60 - 120
    last_active(signed_in, idle)
    noted = signed_in.session[LAST_ACTIVITY]
    assert signed_in.get(reverse("exports:list"), **POLL).status_code == 200
    assert signed_in.session[LAST_ACTIVITY] == noted
    # Once past the limit a poll signs the reader out too, but the message waits for a page the reader sees
    last_active(signed_in, settings.SESSION_IDLE_MINUTES * 60 + 5)
    polled = signed_in.get(reverse("exports:list"), follow=True, **POLL)
    assert not polled.wsgi_request.user.is_authenticated
    with translation.override("zh-hans"):
        message = signed_out_message(settings.SESSION_IDLE_MINUTES)
        assert message not in polled.content.decode()
        assert message in signed_in.get(reverse("login")).content.decode()


def test_activity_does_not_push_back_the_end_of_the_session(signed_in):
    """The 12-hour cap holds for a reader active all day: each minute's write keeps the end fixed at sign-in."""
    end = stored_session(signed_in).expire_date
    last_active(signed_in, WRITE_EVERY + 20)
    signed_in.get(reverse("notifications:list"))
    assert stored_session(signed_in).expire_date == end
    assert signed_in.cookies["sessionid"]["max-age"] <= (end - timezone.now()).total_seconds() + 1
    # Once the end has passed, the reader is signed out, active or not
    Session.objects.filter(pk=stored_session(signed_in).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    last_active(signed_in, 10)
    response = signed_in.get(reverse("notifications:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
