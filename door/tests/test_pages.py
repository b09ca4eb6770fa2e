"""The enterprise's home page behind the door, section by section, and its policies: only what belongs to the
enterprise and is meant for it (door.selectors), in a bounded number of queries."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from enterprises.models import Industry, Size
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums import services as forum_services
from forums.models import ForumStatus
from forums.tests.factories import ForumFactory
from tests.test_visible_words import shared_labels
from visits.models import Policy, Visit, VisitStatus

from .clients import door_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def enterprise():
    return EnterpriseFactory(name="历下门户测试企业", industry=Industry.objects.get(code="C"), size=Size.SMALL)


@pytest.fixture
def client(enterprise):
    return door_client(enterprise, language="en")


def home(client):
    response = client.get(reverse("door:home"))
    assert response.status_code == 200
    return response.content.decode()


def section(page, name):
    start = page.index(f'data-testid="door-{name}"')
    return page[start : page.index("</ul>", start)]


def in_days(days):
    return timezone.now() + timedelta(days=days)


def policy(title, *, region_id="370102", document=None, **fields):
    fields = {"issuer": "历下区人民政府", "level": "county", "issued_on": "2026-01-01", **fields}
    if document:
        fields["document"] = ContentFile(b"%PDF-1.4 " + document.encode(), name="policy.pdf")
    return Policy.objects.create(title=title, region_id=region_id, **fields)


def visit(enterprise, *, days_ago, purpose, status=VisitStatus.SUBMITTED, **fields):
    cadre = fields.pop("cadre", None) or UserFactory(roles=[Role.CADRE])
    extra = {"voided_at": timezone.now(), "void_reason": "重复录入"} if status == VisitStatus.VOIDED else {}
    return Visit.objects.create(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        cadre=cadre,
        level="county",
        visited_on=timezone.localdate() - timedelta(days=days_ago),
        purpose=purpose,
        status=status,
        **extra,
        **fields,
    )


def test_the_current_liaison_cadres_of_every_level_with_their_post_and_office(client, enterprise):
    county_office = DepartmentFactory(name="历下区委统战部经济科")
    county = UserFactory(
        full_name="赵联络", title="区委常委", mobile="13900001111", email="zhao@example.com", username="zhao_private"
    )
    province = UserFactory(full_name="钱联络", title="省工信厅副厅长", region=Region.objects.get(code="370000"))
    province.department = DepartmentFactory(region_id="370000", name="山东省工业和信息化厅")
    province.save()
    AssignmentFactory(enterprise=enterprise, official=county, department=county_office)
    AssignmentFactory(enterprise=enterprise, official=province)
    ended = AssignmentFactory(
        enterprise=enterprise,
        official=UserFactory(full_name="孙已离任", region=Region.objects.get(code="370100")),
        started_on=timezone.localdate() - timedelta(days=400),
    )
    ended.ended_on = timezone.localdate() - timedelta(days=3)
    ended.save()
    AssignmentFactory(official=UserFactory(full_name="李别家联络"))  # another enterprise's

    liaisons = section(home(client), "liaisons")
    assert "钱联络" in liaisons and "省工信厅副厅长" in liaisons and "山东省工业和信息化厅（山东省）" in liaisons
    assert "赵联络" in liaisons and "区委常委" in liaisons and "历下区委统战部经济科（济南市 历下区）" in liaisons
    assert liaisons.index("钱联络") < liaisons.index("赵联络"), "the province's liaison first"
    assert "Provincial" in liaisons and "County-level" in liaisons
    for hidden in ("孙已离任", "李别家联络", "13900001111", "zhao@example.com", "zhao_private"):
        assert hidden not in liaisons


def test_the_page_leads_to_the_demands_and_the_confidence_survey(client):
    page = home(client)
    for url in (reverse("door:demands"), reverse("door:demand_new"), reverse("surveys:answer")):
        assert f'href="{url}"' in page


def test_without_a_liaison_the_page_says_so(client):
    assert "No liaison cadre is assigned" in section(home(client), "liaisons")


def test_only_the_forums_that_invited_the_enterprise_with_a_reply_form_while_open(client, enterprise):
    upcoming = ForumFactory(theme="即将召开的座谈会", starts_at=in_days(10), venue="区政务中心")
    held = ForumFactory(theme="已召开的座谈会", starts_at=in_days(-20), status=ForumStatus.HELD, minutes="纪要")
    long_ago = ForumFactory(theme="两年前的座谈会", starts_at=in_days(-700))
    other = ForumFactory(theme="未邀请本企业的座谈会", starts_at=in_days(5))
    for forum in (upcoming, held, long_ago):
        forum.invited_enterprises.add(enterprise)
    other.invited_enterprises.add(EnterpriseFactory())

    invitations = section(home(client), "invitations")
    assert "即将召开的座谈会" in invitations and "区政务中心" in invitations and "济南市 历下区" in invitations
    assert "已召开的座谈会" in invitations and "Held" in invitations
    assert "两年前的座谈会" not in invitations and "未邀请本企业的座谈会" not in invitations
    assert invitations.count('data-testid="door-reply-form"') == 1
    assert reverse("door:forum_reply", args=[upcoming.pk]) in invitations
    assert reverse("door:forum_reply", args=[held.pk]) not in invitations


def test_the_reply_through_the_page_is_shown_and_changed(client, enterprise):
    forum = ForumFactory(theme="回函座谈会", starts_at=in_days(10))
    forum.invited_enterprises.add(enterprise)
    url = reverse("door:forum_reply", args=[forum.pk])
    prefix = f"forum-{forum.pk}"

    response = client.post(url, {f"{prefix}-attending": "yes", f"{prefix}-attendees": "张总，李经理"})
    assert response.status_code == 302 and response["Location"] == f"{reverse('door:home')}#forum-{forum.pk}"
    reply = forum.replies.get()
    assert (reply.enterprise, reply.attending, reply.attendees) == (enterprise, True, "张总、李经理")
    page = client.get(response["Location"]).content.decode()
    assert "Your reply is saved" in page
    assert "Your reply: attending (张总、李经理)." in section(page, "invitations")
    assert "Change the reply" in page

    client.post(url, {f"{prefix}-attending": "no", f"{prefix}-attendees": ""})
    reply.refresh_from_db()
    assert (reply.attending, reply.attendees) == (False, "")
    assert "Your reply: not attending." in section(home(client), "invitations")
    assert reply.history.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": ForumStatus.HELD}, "already been held"),
        ({"status": ForumStatus.CANCELLED}, "has been cancelled"),
        ({"starts_at": in_days(-1)}, "date of this forum has passed"),
    ],
)
def test_a_reply_to_a_forum_held_cancelled_or_past_is_refused_with_a_message_and_nothing_saved(
    client, enterprise, change, message
):
    forum = ForumFactory(starts_at=in_days(10))
    forum.invited_enterprises.add(enterprise)
    forum_services.reply_to_invitation(enterprise=enterprise, forum=forum, attending=True, attendees="张总")
    type(forum).objects.filter(pk=forum.pk).update(**change)
    prefix = f"forum-{forum.pk}"
    response = client.post(
        reverse("door:forum_reply", args=[forum.pk]), {f"{prefix}-attending": "no", f"{prefix}-attendees": ""}, follow=True
    )
    assert message in response.content.decode()
    reply = forum.replies.get()
    assert (reply.attending, reply.attendees, reply.history.count()) == (True, "张总", 1)


def test_a_reply_without_a_choice_or_names_is_refused_with_a_message(client, enterprise):
    forum = ForumFactory(starts_at=in_days(10))
    forum.invited_enterprises.add(enterprise)
    url, prefix = reverse("door:forum_reply", args=[forum.pk]), f"forum-{forum.pk}"
    page = client.post(url, {}, follow=True).content.decode()
    assert "Say whether your enterprise will attend." in page
    page = client.post(url, {f"{prefix}-attending": "yes", f"{prefix}-attendees": " "}, follow=True).content.decode()
    assert "Name who will come." in page
    assert not forum.replies.exists()


def test_a_forum_that_did_not_invite_the_enterprise_is_missing(client, enterprise):
    neighbour = EnterpriseFactory(name="同区另一企业")
    forum = ForumFactory(starts_at=in_days(10))
    forum.invited_enterprises.add(neighbour)
    prefix = f"forum-{forum.pk}"
    response = client.post(reverse("door:forum_reply", args=[forum.pk]), {f"{prefix}-attending": "no"})
    assert response.status_code == 404
    assert not forum.replies.exists()
    # The neighbour's own session answers it; its reply never shows on this enterprise's page.
    neighbour_client = door_client(neighbour, contact_name="邻居经理", language="en")
    assert neighbour_client.post(reverse("door:forum_reply", args=[forum.pk]), {f"{prefix}-attending": "no"}).status_code == 302
    assert forum.replies.get().enterprise == neighbour
    assert "同区另一企业" not in home(client)


def test_only_the_policies_in_force_that_fit_the_enterprise(client, enterprise, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fits = policy("惠企政策（适用）", summary="对小微企业减免房租。", document="fits")
    fits.industries.add(Industry.objects.get(code="C"))
    Policy.objects.filter(pk=fits.pk).update(sizes="small,micro")
    province = policy("全省通用政策", region_id="370000", level="province", issuer="山东省人民政府")
    other_industry = policy("建筑业专项政策")
    other_industry.industries.add(Industry.objects.get(code="E"))
    policy("大型企业专项政策", sizes="large")
    policy("市中区政策", region_id="370103")
    policy("已失效政策", valid_until=timezone.localdate() - timedelta(days=1))

    policies = section(home(client), "policies")
    assert "惠企政策（适用）" in policies and "对小微企业减免房租。" in policies and "历下区人民政府" in policies
    assert "全省通用政策" in policies
    for hidden in ("建筑业专项政策", "大型企业专项政策", "市中区政策", "已失效政策"):
        assert hidden not in policies
    assert reverse("door:policy_document", args=[fits.pk]) in policies
    assert reverse("door:policy_document", args=[province.pk]) not in policies, "no document, no link"


def test_a_policy_document_is_handed_out_only_for_a_policy_that_fits(client, enterprise, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fits = policy("适用政策", document="fits", document_number="历政发〔2026〕1号")
    elsewhere = policy("市中区政策", region_id="370103", document="elsewhere")
    other_size = policy("大型企业政策", sizes="large", document="large")
    without = policy("无附件政策")

    response = client.get(reverse("door:policy_document", args=[fits.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 fits"
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "private" in response["Cache-Control"]
    for other in (elsewhere, other_size, without):
        assert client.get(reverse("door:policy_document", args=[other.pk])).status_code == 404
    assert client.get(reverse("door:policy_document", args=[999999])).status_code == 404


def test_the_policy_list_pages_through_every_policy_that_fits(client, enterprise):
    for number in range(25):
        policy(f"第{number:02d}号惠企政策", issued_on=f"2026-01-{number + 1:02d}")
    policy("市中区政策", region_id="370103")
    page = home(client)
    assert section(page, "policies").count('data-testid="door-policy"') == 10
    assert reverse("door:policies") in page
    first = client.get(reverse("door:policies")).content.decode()
    second = client.get(reverse("door:policies"), {"page": 2}).content.decode()
    assert first.count('data-testid="door-policy"') == 20 and second.count('data-testid="door-policy"') == 5
    assert "第24号惠企政策" in first and "第00号惠企政策" in second
    assert "市中区政策" not in first + second


def test_the_dates_modes_and_purposes_of_the_submitted_visits_of_the_last_twelve_months(client, enterprise):
    visit(enterprise, days_ago=3, purpose="了解用工需求", situation="经营情况内部记录", needs="融资需求内部记录")
    visit(enterprise, days_ago=300, purpose="宣讲惠企政策")
    visit(enterprise, days_ago=400, purpose="一年多以前的走访")
    visit(enterprise, days_ago=1, purpose="草稿走访", status=VisitStatus.DRAFT)
    visit(enterprise, days_ago=2, purpose="作废的走访", status=VisitStatus.VOIDED)
    visit(EnterpriseFactory(), days_ago=2, purpose="别家企业的走访")

    visits = section(home(client), "visits")
    assert "了解用工需求" in visits and "宣讲惠企政策" in visits and "On site" in visits
    assert (timezone.localdate() - timedelta(days=3)).isoformat() in visits
    assert visits.index("了解用工需求") < visits.index("宣讲惠企政策")
    for hidden in ("经营情况内部记录", "融资需求内部记录", "一年多以前的走访", "草稿走访", "作废的走访", "别家企业的走访"):
        assert hidden not in visits


def test_the_home_page_is_read_in_a_bounded_number_of_queries(client, enterprise, django_assert_max_num_queries):
    def add(count):
        for _ in range(count):
            AssignmentFactory(enterprise=EnterpriseFactory(), official=UserFactory())
        for number in range(count):
            forum = ForumFactory(starts_at=in_days(number + 1))
            forum.invited_enterprises.add(enterprise)
            forum_services.reply_to_invitation(enterprise=enterprise, forum=forum, attending=True, attendees="张总")
            policy(f"政策{number}-{forum.pk}")
            visit(enterprise, days_ago=number, purpose=f"走访{number}")

    levels = {"370000": "province", "370100": "city", "370102": "county"}
    for code in levels:
        AssignmentFactory(
            enterprise=enterprise,
            official=UserFactory(region=Region.objects.get(code=code)),
            department=DepartmentFactory(region_id=code),
        )
    add(2)
    with django_assert_max_num_queries(12) as few:
        home(client)
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = home(client)
    assert section(page, "invitations").count('data-testid="door-invitation"') == 17
    assert section(page, "liaisons").count("list-group-item") == 3


def test_a_door_page_carries_the_portals_security_headers(client):
    response = client.get(reverse("door:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_home_page_reads_in_chinese_and_switches_to_english(enterprise):
    client = door_client(enterprise)
    page = home(client)
    assert '<html lang="zh-hans">' in page and 'data-testid="language-switch"' in page
    assert "座谈会" in page  # the section links, in Chinese
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("door:home")})
    assert response.status_code == 302 and response["Location"] == reverse("door:home")
    page = home(client)
    assert '<html lang="en">' in page and "Your liaison cadres" in page


def test_each_reply_form_names_its_forum_for_a_screen_reader(client, enterprise):
    for theme in ("春季座谈会", "秋季座谈会"):
        forum = ForumFactory(theme=theme, starts_at=in_days(10))
        forum.invited_enterprises.add(enterprise)
    page = home(client)
    assert page.count('data-testid="door-reply-form"') == 2
    assert shared_labels(page) == []
    assert 'aria-label="We will attend: 春季座谈会"' in page and 'aria-label="Who will come to 秋季座谈会"' in page
