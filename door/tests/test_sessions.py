"""The enterprise's session: a link opens it, every page behind the door reads it, and it ends with the access."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from door import links, services
from door.models import EnterpriseAccess, EventKind
from door.sessions import ACCESS_KEY
from enterprises.tests.factories import EnterpriseFactory

from .factories import issued

pytestmark = pytest.mark.django_db


def open_link(client, token):
    return client.get(links.link_path(token))


def test_a_link_opens_its_enterprise_home_and_leaves_the_token_behind():
    access, token = issued(EnterpriseFactory(name="山东晨光机械有限公司"), contact_name="刘经理")
    client = Client()
    response = open_link(client, token)
    assert response.status_code == 302 and response["Location"] == reverse("door:home")
    assert response["Referrer-Policy"] == "same-origin"
    home = client.get(reverse("door:home"))
    assert home.status_code == 200
    assert "山东晨光机械有限公司" in home.content.decode() and "刘经理" in home.content.decode()
    assert home["Referrer-Policy"] == "same-origin"
    assert token not in home.content.decode()
    access.refresh_from_db()
    assert access.use_count == 1 and access.last_used_at is not None
    assert access.events.filter(kind=EventKind.OPENED).count() == 1


def test_opening_a_link_gives_a_new_session_key():
    _access, token = issued()
    client = Client()
    client.get(reverse("door:start"))
    client.cookies["sessionid"] = "fixated-by-someone-else"
    open_link(client, token)
    assert client.cookies["sessionid"].value != "fixated-by-someone-else"


def test_without_a_session_the_home_page_sends_to_the_start_page():
    response = Client().get(reverse("door:home"))
    assert response.status_code == 302 and response["Location"] == reverse("door:start")
    start = Client().get(reverse("door:start"))
    assert start.status_code == 200 and 'data-testid="door-start"' in start.content.decode()


def test_a_revoked_access_shuts_its_open_session_out_at_the_next_request(cast):
    access, token = issued(issued_by=cast["county_staff"])
    client = Client()
    open_link(client, token)
    assert client.get(reverse("door:home")).status_code == 200
    services.revoke_access(actor=cast["county_staff"], access=access, reason="联系人离职")
    response = client.get(reverse("door:home"), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.redirect_chain[-1][0] == reverse("door:start")
    assert "Your access has ended." in response.content.decode()


def test_an_expired_access_shuts_its_session_out():
    access, token = issued()
    client = Client()
    open_link(client, token)
    EnterpriseAccess.objects.filter(pk=access.pk).update(expires_at=timezone.now())
    assert client.get(reverse("door:home"))["Location"] == reverse("door:start")
    assert ACCESS_KEY not in client.session


def test_signing_out_ends_the_session_and_is_recorded():
    access, token = issued()
    client = Client()
    open_link(client, token)
    response = client.post(reverse("door:sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("door:start")
    assert client.get(reverse("door:home"))["Location"] == reverse("door:start")
    assert access.events.filter(kind=EventKind.SIGNED_OUT).count() == 1


def test_an_official_is_asked_to_sign_out_before_opening_a_link(cast):
    access, token = issued()
    client = Client()
    client.force_login(cast["county_staff"])
    response = open_link(client, token)
    assert response.status_code == 200 and 'data-testid="door-official"' in response.content.decode()
    access.refresh_from_db()
    assert access.use_count == 0
    assert client.get(reverse("door:home"))["Location"] == reverse("door:start")
