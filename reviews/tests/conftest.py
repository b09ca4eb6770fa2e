import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the services' refusals in their English source text."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    """Pages answer in English too, so that their messages can be asserted in the source text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
