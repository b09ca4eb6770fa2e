import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the services' refusals in their English source text."""
    with translation.override("en"):
        yield
