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
    city_keys = keys_of(cast["city_staff"])
    assert "forum-missed:370102:2026Q4" in city_keys
    assert "forum-missed:370103:2026Q4" not in city_keys
    assert Notification.objects.filter(key="forum-missed:370102:2026Q4").count() == 1
    assert "forum-missed:370100:2026H2" in keys_of(cast["province_staff"])


def test_forum_eve_and_missing_minutes_reminders(cast):
    forum = ForumFactory(starts_at=at(2026, 5, 10, 14), created_by=cast["county_staff"])
    forum.invited_officials.set([cast["cadre"]])
    send_forum_reminders(today=date(2026, 5, 9))
    eve = f"forum-eve:{forum.pk}:2026-05-10"
    assert eve in keys_of(cast["cadre"]) and eve in keys_of(cast["county_staff"])
    send_forum_reminders(today=date(2026, 5, 12))
    assert f"forum-minutes:{forum.pk}" not in keys_of(cast["county_staff"])
    send_forum_reminders(today=date(2026, 5, 13))
    send_forum_reminders(today=date(2026, 5, 14))
    assert Notification.objects.filter(key=f"forum-minutes:{forum.pk}").count() == 1
    assert f"forum-minutes:{forum.pk}" in keys_of(cast["county_staff"])


def test_a_run_is_a_fixed_number_of_queries_whatever_the_regions(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert send_forum_reminders(today=date(2026, 11, 1)) == []


def test_the_daily_task_runs_on_todays_date(cast, monkeypatch):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2026, 12, 1))  # 30 days before 2026Q4 ends
    sent = tasks.send_forum_reminders.delay().get()
    assert sent == Notification.objects.filter(key__startswith="forum-due:").count() > 0
    assert "forum-due:370102:2026Q4:30d" in keys_of(cast["county_staff"])
