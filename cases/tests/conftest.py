import pytest
from django.utils import translation

from enterprises.tests.factories import EnterpriseFactory


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source, whatever the catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(
        name="山东历下典型测试科技有限公司",
        contact_name="联系人王小明",
        contact_mobile="13912345678",
        legal_representative="法人李大成",
    )


@pytest.fixture
def client(client, settings):
    """Pages answer in English too, so that their messages can be asserted in the source text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
