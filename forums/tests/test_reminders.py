from datetime import date

import pytest

from forums import tasks
from forums.models import ForumStatus
from forums.reminders import send_forum_reminders
from forums.tests.factories import AttendanceFactory, ForumFactory, at
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def keys_of(user):
    return set(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def test_lead_time_reminder_is_sent_once_even_when_run_twice(cast):
    send_forum_reminders(today=date(2026, 12, 1))  # 30 days before 2026Q4 ends
    send_forum_reminders(today=date(2026, 12, 1))
    assert Notification.objects.filter(recipient=cast["county_staff"], key="forum-due:370102:2026Q4:30d").count() == 1
    assert "forum-due:370100:2026H2:30d" in keys_of(cast["city_staff"])
    assert not keys_of(cast["cadre"])
    send_forum_reminders(today=date(2026, 12, 24))
    assert "forum-due:370102:2026Q4:7d" in keys_of(cast["county_staff"])


def test_no_lead_time_reminder_when_a_forum_is_planned_or_mid_period(cast):
    send_forum_reminders(today=date(2026, 11, 1))  # 60 days left: too early
    assert not keys_of(cast["other_county_staff"])
    ForumFactory(starts_at=at(2026, 12, 20))
    send_forum_reminders(today=date(2026, 12, 1))
    assert not any(key.startswith("forum-due:370102:") for key in keys_of(cast["county_staff"]))
    assert "forum-due:370103:2026Q4:30d" in keys_of(cast["other_county_staff"])


def test_a_period_ended_without_a_held_forum_is_escalated_to_the_region_above(cast):
    AttendanceFactory(forum=ForumFactory(region_id="370103", starts_at=at(2026, 11, 5), status=ForumStatus.HELD, minutes="纪要"))
    ForumFactory(starts_at=at(2026, 12, 20))  # planned, never recorded as held
    send_forum_reminders(today=date(2027, 1, 2))
    send_forum_reminders(today=date(2027, 1, 2))
    # One reminder to the office above, naming every region below that held none (历下区, not 市中区).
    assert keys_of(cast["city_staff"]) == {"forum-missed:370100:2026Q4"}
    missed = Notification.objects.get(key="forum-missed:370100:2026Q4")
    assert "济南市 历下区" in missed.body.splitlines() and "市中区" not in missed.body
    assert missed.link == "/forums/compliance/?region=370100"
    assert "forum-missed:370000:2026H2" in keys_of(cast["province_staff"])


def test_the_office_above_hears_once_of_every_region_below_that_held_no_forum(cast):
    send_forum_reminders(today=date(2027, 1, 2))
    [missed] = Notification.objects.filter(recipient=cast["city_staff"], key__startswith="forum-missed:")
    assert missed.key == "forum-missed:370100:2026Q4"
    assert {"济南市 历下区", "济南市 市中区"} <= set(missed.body.splitlines())
    from accounts.models import Region

    assert missed.title.startswith(str(Region.objects.filter(parent_id="370100").count()))  # every region below 济南市


def test_the_province_hears_of_every_city_that_held_none_in_one_reminder(cast):
    from accounts.models import Region

    AttendanceFactory(forum=ForumFactory(region_id="370100", starts_at=at(2026, 11, 5), status=ForumStatus.HELD, minutes="纪要"))
    send_forum_reminders(today=date(2027, 1, 2))
    # 济南市 held its half-year forum; of the province's cities, only the others are named.
    [missed] = Notification.objects.filter(recipient=cast["province_staff"], key__startswith="forum-missed:")
    assert "济南市" not in missed.body.splitlines()
    assert len(missed.body.splitlines()) == 1 + Region.objects.filter(parent_id="370000").count() - 1


def test_forum_eve_and_missing_minutes_reminders(cast):
    forum = ForumFactory(starts_at=at(2026, 5, 10, 14), created_by=cast["county_staff"])
    forum.invited_officials.set([cast["cadre"]])
    send_forum_reminders(today=date(2026, 5, 9))
    eve = "forum-eve:2026-05-10"
    assert eve in keys_of(cast["cadre"]) and eve in keys_of(cast["county_staff"])
    assert Notification.objects.get(recipient=cast["cadre"], key=eve).link == f"/forums/{forum.pk}/"
    send_forum_reminders(today=date(2026, 5, 12))
    assert "forum-minutes:2026-05-10" not in keys_of(cast["county_staff"])
    send_forum_reminders(today=date(2026, 5, 13))
    send_forum_reminders(today=date(2026, 5, 14))
    assert Notification.objects.filter(recipient=cast["county_staff"], key="forum-minutes:2026-05-10").count() == 1
    assert Notification.objects.get(recipient=cast["county_staff"], key="forum-minutes:2026-05-10").link == f"/forums/{forum.pk}/"


def test_two_forums_on_the_same_day_make_one_eve_reminder_and_one_minutes_reminder(cast):
    forums = [ForumFactory(starts_at=at(2026, 5, 10, hour), theme=f"座谈会{hour}") for hour in (9, 14)]
    for forum in forums:
        forum.invited_officials.set([cast["cadre"]])
    send_forum_reminders(today=date(2026, 5, 9))
    [eve] = Notification.objects.filter(recipient=cast["cadre"])
    assert eve.key == "forum-eve:2026-05-10" and eve.link == "/forums/"
    assert [line.split(":")[0] for line in eve.body.splitlines()] == ["座谈会9", "座谈会14"]
    assert all(f"/forums/{forum.pk}/" in eve.body for forum in forums)
    send_forum_reminders(today=date(2026, 5, 13))
    [minutes] = Notification.objects.filter(recipient=cast["county_staff"], key__startswith="forum-minutes:")
    assert minutes.key == "forum-minutes:2026-05-10" and all(f"/forums/{forum.pk}/" in minutes.body for forum in forums)


def test_a_run_is_a_fixed_number_of_queries_whatever_the_regions(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert send_forum_reminders(today=date(2026, 11, 1)) == []


@pytest.mark.parametrize("counties, forums", [(2, 1), (40, 12)])
def test_a_run_that_reminds_is_a_fixed_number_of_queries_whatever_the_regions_and_forums(
    counties, forums, cast, django_assert_max_num_queries
):
    from accounts.models import Region
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    for region in Region.objects.filter(level="county").order_by("code")[:counties]:
        UserFactory(region_id=region.code, roles=[Role.STAFF])
    for number in range(forums):
        ForumFactory(starts_at=at(2026, 12, 2, 9 + number % 8), created_by=cast["county_staff"]).invited_officials.set(
            [cast["cadre"]]
        )
    with django_assert_max_num_queries(12):  # 30 days before 2026Q4 ends, and forums tomorrow
        created = send_forum_reminders(today=date(2026, 12, 1))
    assert len(created) >= counties
    assert Notification.objects.filter(recipient=cast["cadre"]).count() == 1
    with django_assert_max_num_queries(12):
        assert send_forum_reminders(today=date(2026, 12, 1)) == []


def test_the_daily_task_runs_on_todays_date(cast, monkeypatch):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2026, 12, 1))  # 30 days before 2026Q4 ends
    sent = tasks.send_forum_reminders.delay().get()
    assert sent == Notification.objects.filter(key__startswith="forum-due:").count() > 0
    assert "forum-due:370102:2026Q4:30d" in keys_of(cast["county_staff"])
