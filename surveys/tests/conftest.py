import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages(settings):
    """These tests read the services' refusals and the pages' messages in their English source text: the
    services run under English, and a page asked for without a language cookie falls back to English."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
