"""An invited enterprise's reply to a forum's invitation (forums.services.reply_to_invitation): given, changed
until the forum is held, cancelled or begins, refused afterwards with a reason and nothing saved; and the
replies on the forum's page for its staff."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enterprises.tests.factories import EnterpriseFactory
from forums import services
from forums.models import ForumReply, ForumStatus
from forums.tests.factories import ForumFactory, at

pytestmark = pytest.mark.django_db

BEFORE = at(2026, 5, 1)  # the factories' forum starts on 2026-05-10 at 9:00


@pytest.fixture
def enterprise():
    return EnterpriseFactory(name="历下回函测试企业")


@pytest.fixture
def forum(enterprise):
    forum = ForumFactory()
    forum.invited_enterprises.add(enterprise)
    return forum


def reply(forum, enterprise, attending=True, attendees="张三、李四", now=BEFORE):
    return services.reply_to_invitation(enterprise=enterprise, forum=forum, attending=attending, attendees=attendees, now=now)


def test_an_invited_enterprise_replies_and_changes_its_reply_keeping_the_history(forum, enterprise):
    first = reply(forum, enterprise, attendees="张三，李四\n 王 五 ")
    assert (first.attending, first.attendee_list, first.replied_via, first.region_id) == (
        True,
        ["张三", "李四", "王 五"],
        "door",
        "370102",
    )
    second = reply(forum, enterprise, attending=False, attendees="张三", now=BEFORE + timedelta(days=1))
    assert second.pk == first.pk and ForumReply.objects.count() == 1
    assert (second.attending, second.attendees, second.replied_at) == (False, "", BEFORE + timedelta(days=1))
    assert [row.attending for row in second.history.order_by("history_date", "history_id")] == [True, False]


@pytest.mark.parametrize(
    ("attendees", "message"),
    [("", "Name who will come"), ("、 ，", "Name who will come"), ("甲,乙,丙,丁,戊,己", "at most 5"), ("张" * 31, "at most 30")],
)
def test_attending_needs_a_few_named_people(forum, enterprise, attendees, message):
    with pytest.raises(ValidationError, match=message) as refused:
        reply(forum, enterprise, attendees=attendees)
    assert "attendees" in refused.value.message_dict
    assert not ForumReply.objects.exists()


def test_an_enterprise_not_invited_cannot_reply(forum):
    stranger = EnterpriseFactory()
    with pytest.raises(ValidationError, match="not invited") as refused:
        reply(forum, stranger)
    assert refused.value.code == "not_allowed"
    assert not ForumReply.objects.exists()


@pytest.mark.parametrize(
    ("status", "now", "message"),
    [
        (ForumStatus.HELD, BEFORE, "already been held"),
        (ForumStatus.CANCELLED, BEFORE, "has been cancelled"),
        (ForumStatus.PLANNED, at(2026, 5, 10), "date of this forum has passed"),
        (ForumStatus.PLANNED, at(2026, 6, 1), "date of this forum has passed"),
    ],
)
def test_a_reply_to_a_forum_held_cancelled_or_begun_is_refused_and_the_earlier_reply_stays(
    forum, enterprise, status, now, message
):
    earlier = reply(forum, enterprise, attendees="张三")
    type(forum).objects.filter(pk=forum.pk).update(status=status)
    with pytest.raises(ValidationError, match=message) as refused:
        reply(forum, enterprise, attending=False, now=now)
    assert refused.value.code == "invalid_move"
    kept = ForumReply.objects.get()
    assert (kept.attending, kept.attendees, kept.replied_at) == (True, "张三", earlier.replied_at)


def test_the_forum_says_whether_it_takes_replies(forum):
    assert forum.takes_replies(now=BEFORE)
    assert not forum.takes_replies(now=forum.starts_at)
    forum.status = ForumStatus.CANCELLED
    assert not forum.takes_replies(now=BEFORE)


def test_staff_see_the_replies_on_the_forums_page(client, cast, forum, enterprise, settings):
    settings.LANGUAGE_CODE = "en"  # the page in its English source text
    silent = EnterpriseFactory(name="未回函企业")
    forum.invited_enterprises.add(silent)
    absent = EnterpriseFactory(name="不参加企业")
    forum.invited_enterprises.add(absent)
    reply(forum, enterprise, attendees="张三、李四")
    reply(forum, absent, attending=False)
    client.force_login(cast["county_staff"])
    page = client.get(reverse("forums:detail", args=[forum.pk])).content.decode()
    table = page[page.index('data-testid="forum-replies"') :]
    table = table[: table.index("</table>")]
    assert "历下回函测试企业" in table and "张三、李四" in table and "Attending" in table
    assert "不参加企业" in table and "Not attending" in table
    assert "未回函企业" not in table
    assert "2026-05-01" in table


def test_a_forum_without_replies_says_so(client, cast, forum, settings):
    settings.LANGUAGE_CODE = "en"  # the page in its English source text
    client.force_login(cast["county_staff"])
    page = client.get(reverse("forums:detail", args=[forum.pk])).content.decode()
    assert "No invited enterprise has replied yet." in page
