"""The client's address as the audit trail, the lockout and the security log read it."""

from django.test import RequestFactory

from core.http import client_address


def request_from(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


def test_without_proxies_the_socket_address_is_the_client_and_the_header_is_ignored(settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    assert client_address(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_one_proxy_the_last_forwarded_entry_is_the_client(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.2", "203.0.113.9")) == "203.0.113.9"


def test_a_forged_entry_left_of_the_proxies_is_not_believed(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 2
    request = request_from("10.0.0.2", "1.2.3.4, 203.0.113.9, 192.0.2.50")
    assert client_address(request) == "203.0.113.9"


def test_a_request_that_skipped_the_proxy_falls_back_to_the_socket_address(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert client_address(request_from("192.0.2.1", "203.0.113.9")) == "192.0.2.1"
    assert client_address(request_from("192.0.2.1")) == "192.0.2.1"


def test_an_intranet_client_address_is_kept(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.2", "10.8.3.4")) == "10.8.3.4"


def test_ipv6_and_garbage(settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    assert client_address(request_from("2001:db8::1")) == "2001:db8::1"
    assert client_address(request_from("not-an-address")) is None
    assert client_address(request_from("")) is None


def test_the_login_lockout_reads_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert get_client_ip_address(request_from("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
