"""A browser holding an enterprise's door session, for the tests of the pages behind the door."""

from django.conf import settings
from django.test import Client

from door import links

from .factories import issued


def door_client(enterprise, *, language=None, **options):
    """A test client that opened a new link of `enterprise`: its session is the enterprise's. `language`
    ("en") is the language the reader chose with the switch; the portal's own (zh-hans) otherwise."""
    _access, token = issued(enterprise, **options)
    client = Client()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(links.link_path(token))
    assert response.status_code == 302, response.status_code
    return client
