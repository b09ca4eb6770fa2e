from datetime import date

import pytest

from accounts.models import Region
from notifications.models import Notification
from reviews import reminders, tasks
from reviews.models import ReviewStatus
from reviews.reminders import send_review_reminders
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def keys_of(user):
    return set(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def test_lead_time_reminder_is_sent_once_even_when_run_twice(cast):
    send_review_reminders(today=date(2026, 7, 1))  # 2026H1 is due on 15 July: 14 days left
    send_review_reminders(today=date(2026, 7, 1))
    assert Notification.objects.filter(recipient=cast["county_staff"], key="review-due:370102:2026H1:14d").count() == 1
    assert "review-due:370100:2026H1:14d" in keys_of(cast["city_staff"])
    assert "review-due:370000:2026H1:14d" in keys_of(cast["province_staff"])
    assert not keys_of(cast["cadre"]) and not keys_of(cast["reviewer"])
    send_review_reminders(today=date(2026, 7, 5))  # between the lead times: nothing new
    assert keys_of(cast["county_staff"]) == {"review-due:370102:2026H1:14d"}
    send_review_reminders(today=date(2026, 7, 13))
    assert "review-due:370102:2026H1:3d" in keys_of(cast["county_staff"])


def test_a_run_that_missed_a_lead_time_sends_only_the_nearest(cast):
    send_review_reminders(today=date(2026, 7, 14))
    assert keys_of(cast["county_staff"]) == {"review-due:370102:2026H1:3d"}


def test_a_handed_in_review_is_not_reminded_but_a_draft_or_returned_one_is(cast):
    ReviewFactory(status=ReviewStatus.SUBMITTED)
    ReviewFactory(region_id="370103", status=ReviewStatus.RETURNED)
    ReviewFactory(region_id="370100", status=ReviewStatus.DRAFT)
    send_review_reminders(today=date(2026, 7, 1))
    assert not keys_of(cast["county_staff"])
    assert "review-due:370103:2026H1:14d" in keys_of(cast["other_county_staff"])
    assert "review-due:370100:2026H1:14d" in keys_of(cast["city_staff"])


def test_an_overdue_review_is_reminded_to_the_region_and_the_region_above_once(cast, client):
    ReviewFactory(region_id="370103", status=ReviewStatus.ACKNOWLEDGED)
    send_review_reminders(today=date(2026, 7, 16))
    send_review_reminders(today=date(2026, 7, 17))
    # Each office hears once of its own review and of those of the regions below it that are late.
    assert keys_of(cast["county_staff"]) == {"review-overdue:370102:2026H1"}
    assert keys_of(cast["city_staff"]) == {"review-overdue:370100:2026H1"}
    assert keys_of(cast["province_staff"]) == {"review-overdue:370000:2026H1"}
    assert Notification.objects.filter(key="review-overdue:370102:2026H1").count() == 1
    city = Notification.objects.get(recipient=cast["city_staff"]).body.splitlines()
    assert any("济南市 历下区" in line for line in city) and not any("市中区" in line for line in city)
    below = Region.objects.filter(parent_id="370100").count()
    assert len(city) == 1 + below - 1  # 济南市's own review and those below it but 市中区's, handed in
    assert any("济南市 " in line for line in Notification.objects.get(recipient=cast["province_staff"]).body.splitlines())
    # Its link opens the office's reviews, without a filter error, for both offices.
    for official in (cast["county_staff"], cast["city_staff"]):
        link = Notification.objects.get(recipient=official).link
        client.force_login(official)
        response = client.get(link)
        assert response.status_code == 200 and response.context["filter"].is_valid()


def test_yearly_reviews_fall_due_across_the_year_end_and_the_second_half_year_is_not_reminded(cast):
    send_review_reminders(today=date(2027, 1, 16))  # the yearly review of 2026 is due on 30 January
    assert keys_of(cast["county_staff"]) == {"review-due:370102:2026:14d"}
    send_review_reminders(today=date(2027, 1, 31))
    assert "review-overdue:370102:2026" in keys_of(cast["county_staff"])
    assert not any("2026H2" in key for key in Notification.objects.values_list("key", flat=True))


def test_overdue_periods_long_past_are_not_reminded(cast):
    send_review_reminders(today=date(2026, 9, 1))
    assert not Notification.objects.exists()


def test_two_racing_runs_send_each_reminder_once(cast, monkeypatch):
    """Worker A has planned its reminders when worker B runs in full: A's notifications are already
    claimed by their keys, so A sends nothing and raises nothing."""
    real_notify = reminders.notify_many
    raced = []

    def notify_after_the_other_worker(messages):
        if not raced:
            raced.append(True)
            assert send_review_reminders(today=date(2026, 7, 1))  # worker B
        return real_notify(messages)

    monkeypatch.setattr(reminders, "notify_many", notify_after_the_other_worker)
    assert send_review_reminders(today=date(2026, 7, 1)) == []  # worker A
    per_recipient_and_key = Notification.objects.values_list("recipient_id", "key")
    assert len(per_recipient_and_key) == len(set(per_recipient_and_key)) > 0


def test_a_run_is_a_fixed_number_of_queries_whatever_the_regions(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert send_review_reminders(today=date(2026, 9, 1)) == []  # nothing due: only the cadences are read
    with django_assert_max_num_queries(4):
        assert send_review_reminders(today=date(2026, 7, 1)) == []  # due, but no staff to remind


@pytest.mark.parametrize("regions", [3, 60])
def test_a_run_that_reminds_is_a_fixed_number_of_queries_whatever_the_regions_and_staff(
    regions, db, django_assert_max_num_queries
):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    for region in Region.objects.order_by("code")[:regions]:
        UserFactory(region_id=region.code, roles=[Role.STAFF])
    with django_assert_max_num_queries(10):
        assert len(send_review_reminders(today=date(2026, 7, 1))) == regions  # due in 14 days
    with django_assert_max_num_queries(10):
        assert len(send_review_reminders(today=date(2026, 7, 16))) == regions  # overdue: one per office


def test_the_daily_task_runs_on_todays_date(cast, monkeypatch):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2026, 7, 1))  # 2026H1 due in 14 days
    sent = tasks.send_review_reminders.delay().get()
    assert sent == Notification.objects.filter(key__startswith="review-due:").count() > 0
    assert "review-due:370102:2026H1:14d" in keys_of(cast["county_staff"])
