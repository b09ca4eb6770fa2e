"""A forum's words in Chinese: a planned forum is 已计划 (a planned visit stays 计划走访), and the
printed sheets' column of people is 姓名 (a person's name, not an enterprise's 名称)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.traffic import Light
from forums.compliance import ComplianceState
from forums.models import ForumStatus
from forums.tests.factories import ForumFactory, at
from visits.plan.cadence import MARK_LOOKS

pytestmark = pytest.mark.django_db


def test_a_planned_forum_is_not_a_planned_visit():
    with translation.override("zh-hans"):
        assert str(ForumStatus.PLANNED.label) == "已计划"
        assert str(ComplianceState.PLANNED.label) == "已计划"
        assert str(MARK_LOOKS[Light.ON_TRACK].title) == "计划走访"


def test_the_forum_list_says_planned_as_a_forum_is(cast):
    ForumFactory(starts_at=at(2026, 12, 10), theme="年终座谈会")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(cast["county_staff"])
    page = client.get(reverse("forums:list")).content.decode()
    assert "年终座谈会" in page and "已计划" in page and "计划走访" not in page


def test_the_sign_in_sheet_and_invitation_list_head_their_people_with_name(cast):
    forum = ForumFactory(starts_at=at(2026, 12, 10), theme="年终座谈会")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(cast["county_staff"])
    for kind in ("sign-in", "invitations"):
        page = client.get(reverse("forums:print", args=[forum.pk, kind])).content.decode()
        headers = [re.sub(r"<[^>]+>|\s", "", cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)]
        assert "姓名" in headers, (kind, headers)
    sign_in = client.get(reverse("forums:print", args=[forum.pk, "sign-in"])).content.decode()
    assert "名称" not in re.findall(r'<th class="sign-col-name">(.*?)</th>', sign_in)[0]
