"""Two review-reminder runs at the same moment, on PostgreSQL with their own connections, send each
reminder once: the notification layer's unique key decides, not luck."""

from datetime import date

import pytest
from django.db import connection

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from notifications.models import Notification
from reviews.reminders import send_review_reminders
from tests.concurrency import run_at_once
from tests.reference_data import restore_reference_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def test_two_concurrent_runs_send_each_reminder_once():
    restore_reference_data()
    staff = [UserFactory(username=f"rv_race_{code}", region_id=code, roles=[Role.STAFF]) for code in ("370102", "370103")]
    errors = run_at_once(lambda: send_review_reminders(today=date(2026, 7, 1)))
    assert errors == []
    for official in staff:
        keys = list(Notification.objects.filter(recipient=official).values_list("key", flat=True))
        assert keys == [f"review-due:{official.region_id}:2026H1:14d"]
