"""The forum pages beyond the core flow: invitations, attending officials, attachments, corrections of the
minutes, the printable sheets and the .xlsx exports."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.tests.factories import DepartmentFactory
from enterprises.tests.factories import EnterpriseFactory
from forums import services
from forums.models import Forum, ForumAttachment, ForumStatus, Opinion
from forums.tests.factories import ForumFactory, at

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def held_forum(cast, **kwargs):
    forum = ForumFactory(starts_at=at(2026, 5, 10), **kwargs)
    enterprise = EnterpriseFactory(region_id="370102", name="历下示范科技有限公司")
    return services.record_held(
        actor=cast["county_staff"], forum=forum, minutes="纪要", attendance=[(enterprise, "张三", "董事长")]
    )


def test_planning_with_organisers_invitations_and_officials(client, cast):
    department = DepartmentFactory(region_id="370102", name="历下区委统战部")
    enterprise = EnterpriseFactory(region_id="370102", name="受邀企业有限公司")
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("forums:create"),
        {
            "region": "370102",
            "starts_at": "2026-12-10T09:00",
            "venue": "区政务中心",
            "theme": "年终座谈会",
            "organisers": [department.pk],
            "invited_enterprises": [enterprise.pk],
            "invited_officials": [cast["cadre"].pk, cast["city_staff"].pk],
        },
    )
    forum = Forum.objects.get()
    assert response.status_code == 302
    assert list(forum.organisers.all()) == [department]
    assert list(forum.invited_enterprises.all()) == [enterprise]
    assert set(forum.invited_officials.all()) == {cast["cadre"], cast["city_staff"]}

    page = client.get(reverse("forums:detail", args=[forum.pk])).content.decode()
    assert "历下区委统战部" in page and "受邀企业有限公司" in page

    # Recording it held offers the invited officials as attending and lists the invited enterprises.
    form_page = client.get(reverse("forums:detail", args=[forum.pk]))
    held_form = dict(form_page.context["action_forms"])["held"]
    assert set(held_form.initial["attending_officials"]) == {cast["cadre"].pk, cast["city_staff"].pk}
    assert enterprise.credit_code in held_form.initial["attendance"]


def test_planning_refuses_an_enterprise_of_another_county_and_saves_nothing(client, cast):
    outsider = EnterpriseFactory(region_id="370103")
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("forums:create"),
        {
            "region": "370102",
            "starts_at": "2026-12-10T09:00",
            "venue": "区政务中心",
            "theme": "年终座谈会",
            "invited_enterprises": [outsider.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["invited_enterprises"]
    assert not Forum.objects.exists()


def test_a_county_plans_for_its_city_only_with_reach_of_that_city(client, cast):
    """A city forum may invite the officials of any county of the city; an official of another city is refused."""
    from accounts.tests.factories import UserFactory

    elsewhere = UserFactory(username="qd_official", region_id="370200")
    client.force_login(cast["city_staff"])
    response = client.post(
        reverse("forums:create"),
        {
            "region": "370100",
            "starts_at": "2026-12-10T09:00",
            "venue": "市民中心",
            "theme": "市座谈会",
            "invited_officials": [cast["cadre"].pk, elsewhere.pk],
        },
    )
    assert response.status_code == 200 and not Forum.objects.exists()
    assert response.context["form"].errors["invited_officials"]


def test_recording_held_with_attending_officials(client, cast):
    forum = ForumFactory(starts_at=at(2026, 5, 10))
    enterprise = EnterpriseFactory(region_id="370102")
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("forums:act", args=[forum.pk, "held"]),
        {
            "held-minutes": "纪要",
            "held-attendance": f"{enterprise.credit_code}，张三",
            "held-attending_officials": [cast["cadre"].pk],
        },
    )
    assert response.status_code == 302, texts(response)
    forum.refresh_from_db()
    assert forum.status == ForumStatus.HELD
    assert list(forum.attending_officials.all()) == [cast["cadre"]]


def test_actions_are_offered_by_status(client, cast):
    planned = ForumFactory(starts_at=at(2026, 5, 10))
    held = held_forum(cast)
    client.force_login(cast["county_staff"])

    def offered(forum):
        return {action for action, _form in client.get(reverse("forums:detail", args=[forum.pk])).context["action_forms"]}

    assert offered(planned) == {"held", "cancel"}
    assert offered(held) == {"opinion", "minutes", "attach"}
    client.force_login(cast["cadre"])
    assert client.get(reverse("forums:detail", args=[held.pk])).context["action_forms"] == []


def test_correcting_the_minutes(client, cast):
    forum = held_forum(cast)
    client.force_login(cast["county_staff"])
    client.post(reverse("forums:act", args=[forum.pk, "minutes"]), {"minutes-minutes": "修订后的纪要"})
    forum.refresh_from_db()
    assert forum.minutes == "修订后的纪要"
    # Minutes on a forum not yet held: a message, nothing written.
    planned = ForumFactory(starts_at=at(2026, 5, 10))
    response = client.post(reverse("forums:act", args=[planned.pk, "minutes"]), {"minutes-minutes": "纪要"})
    with translation.override("zh-hans"):
        refusal = gettext("Minutes can be written only for a forum that has been held.")
    assert response.status_code == 302 and texts(response)[-1] == refusal
    planned.refresh_from_db()
    assert planned.minutes == ""


def test_attachments_upload_download_and_fence(client, cast):
    forum = held_forum(cast)
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("forums:act", args=[forum.pk, "attach"]),
        {"attach-attachments": [SimpleUploadedFile("合影.png", PNG, content_type="image/png")]},
    )
    assert response.status_code == 302, texts(response)
    attachment = ForumAttachment.objects.get()
    assert attachment.original_name == "合影.png" and attachment.content_type == "image/png"

    # A renamed file is refused, and nothing is stored.
    response = client.post(
        reverse("forums:act", args=[forum.pk, "attach"]),
        {"attach-attachments": [SimpleUploadedFile("纪要.pdf", PNG, content_type="application/pdf")]},
    )
    assert "纪要.pdf" in " ".join(texts(response))
    assert ForumAttachment.objects.count() == 1

    download = client.get(reverse("forums:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert (
        reverse("forums:attachment", args=[attachment.pk])
        in client.get(reverse("forums:detail", args=[forum.pk])).content.decode()
    )
    client.force_login(cast["other_county_staff"])
    assert client.get(reverse("forums:attachment", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("forums:attachment", args=[attachment.pk + 99])).status_code == 404


def test_printable_invitation_list_and_sign_in_sheet(client, cast):
    forum = ForumFactory(starts_at=at(2026, 12, 10), theme="年终座谈会")
    enterprise = EnterpriseFactory(region_id="370102", name="受邀企业有限公司", legal_representative="王五")
    forum.invited_enterprises.add(enterprise)
    forum.invited_officials.add(cast["cadre"])
    client.force_login(cast["cadre"])
    invitations = client.get(reverse("forums:print", args=[forum.pk, "invitations"]))
    page = invitations.content.decode()
    assert invitations.status_code == 200
    assert "受邀企业有限公司" in page and "王五" in page and cast["cadre"].display_name in page
    assert "data-print" in page
    sign_in = client.get(reverse("forums:print", args=[forum.pk, "sign-in"]))
    assert sign_in.status_code == 200 and "受邀企业有限公司" in sign_in.content.decode()
    assert len(sign_in.context["blank_rows"]) == 11
    assert client.get(reverse("forums:print", args=[forum.pk, "badges"])).status_code == 404

    client.force_login(cast["other_county_staff"])
    assert client.get(reverse("forums:print", args=[forum.pk, "invitations"])).status_code == 404

    services.cancel(actor=cast["county_staff"], forum=forum, reason="改期")
    client.force_login(cast["county_staff"])
    response = client.get(reverse("forums:print", args=[forum.pk, "sign-in"]))
    assert response.status_code == 302 and texts(response)


def _sheet_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(min_row=2, values_only=True))  # below the title row


def test_forum_and_opinion_exports_are_fenced_and_filtered(client, cast):
    forum = held_forum(cast, theme="历下区座谈会")
    enterprise = forum.attendances.get().enterprise
    services.add_opinion(actor=cast["county_staff"], forum=forum, enterprise=enterprise, text="融资难，请协调")
    ForumFactory(region_id="370103", level="county", theme="市中区座谈会", starts_at=at(2026, 5, 11))
    ForumFactory(theme="计划中的座谈会", starts_at=at(2026, 6, 1))

    client.force_login(cast["city_staff"])
    rows = _sheet_rows(client.get(reverse("forums:export")))
    assert rows[0][0] == "序号"
    themes = {row[4] for row in rows[1:]}
    assert themes == {"历下区座谈会", "市中区座谈会", "计划中的座谈会"}
    held_row = next(row for row in rows if row[4] == "历下区座谈会")
    assert held_row[7] == "已召开" and held_row[8] == 1 and "张三" in held_row[9] and held_row[10] == 1

    held_only = _sheet_rows(client.get(reverse("forums:export"), {"status": "held"}))
    assert [row[4] for row in held_only[1:]] == ["历下区座谈会"]

    client.force_login(cast["other_county_staff"])
    assert {row[4] for row in _sheet_rows(client.get(reverse("forums:export")))[1:]} == {"市中区座谈会"}
    assert _sheet_rows(client.get(reverse("forums:opinion_export")))[1:] == []

    client.force_login(cast["county_staff"])
    opinions = _sheet_rows(client.get(reverse("forums:opinion_export")))
    assert opinions[1][4] == enterprise.name and opinions[1][6] == "融资难，请协调" and opinions[1][7] is None


def test_list_filters_by_status_and_keeps_queries_bounded(client, cast, django_assert_max_num_queries):
    for day in range(1, 25):
        ForumFactory(starts_at=at(2026, 3, day))
    held_forum(cast, theme="已召开的座谈会")
    client.force_login(cast["county_staff"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("forums:list"))
    assert response.status_code == 200
    response = client.get(reverse("forums:list"), {"status": "held"})
    assert [forum.theme for forum in response.context["page"]] == ["已召开的座谈会"]
    response = client.get(reverse("forums:list"), {"status": "nonsense"})
    assert response.status_code == 200 and len(response.context["page"]) > 1


def test_an_opinion_problem_links_back_to_its_forum(client, cast):
    from problems.tests.factories import category

    forum = held_forum(cast, theme="历下区座谈会")
    opinion = services.add_opinion(
        actor=cast["county_staff"], forum=forum, enterprise=forum.attendances.get().enterprise, text="用地难"
    )
    opinion = services.opinion_to_problem(actor=cast["county_staff"], opinion=opinion, category=category())
    client.force_login(cast["county_staff"])
    page = client.get(reverse("problems:detail", args=[opinion.problem_id])).content.decode()
    assert reverse("forums:detail", args=[forum.pk]) in page
    assert Opinion.objects.get().problem_id == opinion.problem_id


def test_the_enterprise_timeline_shows_forums_attended_and_opinions_raised(client, cast):
    from problems.tests.factories import category

    forum = held_forum(cast, theme="历下区民营经济座谈会")
    enterprise = forum.attendances.get().enterprise
    opinion = services.add_opinion(actor=cast["county_staff"], forum=forum, enterprise=enterprise, text="希望简化审批")
    services.opinion_to_problem(actor=cast["county_staff"], opinion=opinion, category=category())
    client.force_login(cast["cadre"])
    response = client.get(reverse("enterprises:detail", args=[enterprise.pk]))
    events = {event.kind: event for event in response.context["timeline"]}
    assert "历下区民营经济座谈会" in events["forum"].title and "张三" in events["forum"].title
    assert events["forum"].url == reverse("forums:detail", args=[forum.pk])
    assert events["forum-opinion"].detail.startswith("希望简化审批")
    assert f"#{Opinion.objects.get().problem_id}" in events["forum-opinion"].detail
    # Another enterprise's page shows none of it.
    other = EnterpriseFactory(region_id="370102")
    kinds = {event.kind for event in client.get(reverse("enterprises:detail", args=[other.pk])).context["timeline"]}
    assert not kinds & {"forum", "forum-opinion"}


def test_staff_home_page_shows_the_current_period_of_their_region(client, cast):
    from django.utils import timezone

    today = timezone.localdate()
    client.force_login(cast["county_staff"])

    def status():
        response = client.get(reverse("home"))
        return response.context["panels_before"][0].context["status"]

    assert status().cell.state == "missing" and status().days_left >= 0
    assert 'data-testid="home-forum-status"' in client.get(reverse("home")).content.decode()
    forum = ForumFactory(starts_at=at(today.year, today.month, today.day))
    assert status().cell.state == "planned" and status().cell.forum_id == forum.pk
    enterprise = EnterpriseFactory(region_id="370102")
    services.record_held(
        actor=cast["county_staff"], forum=forum, minutes="纪要", attendance=[(enterprise, "张三", "")], today=today
    )
    assert status().cell.state == "held"
    # Another county's forum does not count for 历下区, and cadres have no such card.
    client.force_login(cast["other_county_staff"])
    assert status().cell.state == "missing"
    client.force_login(cast["cadre"])
    assert client.get(reverse("home")).context["panels_before"] == []


def test_changing_a_planned_forum(client, cast):
    forum = ForumFactory(starts_at=at(2026, 12, 10), theme="原定主题", created_by=cast["county_staff"])
    forum.invited_officials.add(cast["cadre"])
    enterprise = EnterpriseFactory(region_id="370102", name="新邀请企业有限公司")
    client.force_login(cast["county_staff"])
    page = client.get(reverse("forums:update", args=[forum.pk]))
    assert page.status_code == 200 and page.context["form"].initial["invited_officials"] == [cast["cadre"].pk]
    response = client.post(
        reverse("forums:update", args=[forum.pk]),
        {
            "region": "370102",
            "starts_at": "2026-12-18T14:30",
            "venue": "区政务中心二楼",
            "theme": "改期后的座谈会",
            "invited_enterprises": [enterprise.pk],
        },
    )
    assert response.status_code == 302
    forum.refresh_from_db()
    assert (forum.theme, forum.venue, forum.starts_date.isoformat()) == ("改期后的座谈会", "区政务中心二楼", "2026-12-18")
    assert list(forum.invited_enterprises.all()) == [enterprise] and not forum.invited_officials.exists()

    # A date far in the past: the form says so and nothing changes.
    response = client.post(
        reverse("forums:update", args=[forum.pk]),
        {"region": "370102", "starts_at": "2001-01-01T09:00", "venue": "某地", "theme": "错误日期"},
    )
    assert response.status_code == 200 and response.context["form"].errors["starts_at"]
    forum.refresh_from_db()
    assert forum.theme == "改期后的座谈会"

    # A held forum's plan is history: a message and the forum's page.
    held = held_forum(cast)
    response = client.get(reverse("forums:update", args=[held.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("forums:detail", args=[held.pk])
    with pytest.raises(ValidationError):
        services.change_plan(
            actor=cast["county_staff"], forum=held, region=held.region, starts_at=held.starts_at, venue="x", theme="y"
        )
    client.force_login(cast["cadre"])
    assert client.get(reverse("forums:update", args=[forum.pk])).status_code == 403
    client.force_login(cast["other_county_staff"])
    assert client.get(reverse("forums:update", args=[forum.pk])).status_code == 404


def test_a_forum_moved_to_another_day_is_announced_again_the_day_before(cast):
    from datetime import date

    from forums.reminders import send_forum_reminders
    from notifications.models import Notification

    forum = ForumFactory(starts_at=at(2026, 12, 10), created_by=cast["county_staff"])
    send_forum_reminders(today=date(2026, 12, 9))
    services.change_plan(
        actor=cast["county_staff"],
        forum=forum,
        region=forum.region,
        starts_at=at(2026, 12, 15),
        venue=forum.venue,
        theme=forum.theme,
        today=date(2026, 12, 9),
    )
    send_forum_reminders(today=date(2026, 12, 14))
    keys = set(Notification.objects.filter(recipient=cast["county_staff"]).values_list("key", flat=True))
    # The day-before reminder lists an official's forums of a day; the moved forum is in that of its new day.
    assert {"forum-eve:2026-12-10", "forum-eve:2026-12-15"} <= keys
    moved = Notification.objects.get(recipient=cast["county_staff"], key="forum-eve:2026-12-15")
    assert forum.theme in moved.title
