"""The enterprise page's change log reads true: a new enterprise's tags are part of its creation (no
"标签：— → ?"), later tag changes name the tags, and an empty figure shows a dash, not "None"."""

import pytest
from django.test import Client
from django.urls import reverse

from enterprises.history import change_log
from enterprises.models import Enterprise, Tag
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.test_views import enterprise_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(cast["county_staff"])
    return client


def test_a_new_enterprise_with_tags_shows_one_creation_and_no_unknown_tag(reader):
    reader.post(reverse("enterprises:create"), enterprise_data())
    enterprise = Enterprise.objects.get()
    assert enterprise.tags.exists()
    [created] = change_log(enterprise)
    assert created.fields == []
    page = reader.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "→ ?" not in history and "标签：—" not in history


def test_a_later_change_of_tags_names_them(reader):
    reader.post(reverse("enterprises:create"), enterprise_data())
    enterprise = Enterprise.objects.get()
    other = Tag.objects.exclude(name="专精特新").order_by("pk").first()
    reader.post(reverse("enterprises:update", args=[enterprise.pk]), enterprise_data(tags=[other.pk]))
    latest = change_log(enterprise)[0]
    assert [(old, new) for _label, old, new in latest.fields] == [("专精特新", other.name)]


def test_an_empty_figure_shows_a_dash_not_none(reader):
    enterprise = EnterpriseFactory(employees=None, annual_revenue=None)
    page = reader.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "None" not in page
