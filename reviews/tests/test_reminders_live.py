"""Two review-reminder runs at the same moment, on PostgreSQL with their own connections, send each
reminder once: the notification layer's unique key decides, not luck."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from notifications.models import Notification
from reviews.reminders import send_review_reminders
from tests.reference_data import restore_reference_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def test_two_concurrent_runs_send_each_reminder_once():
    restore_reference_data()
    staff = [UserFactory(username=f"rv_race_{code}", region_id=code, roles=[Role.STAFF]) for code in ("370102", "370103")]
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            send_review_reminders(today=date(2026, 7, 1))
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    for official in staff:
        keys = list(Notification.objects.filter(recipient=official).values_list("key", flat=True))
        assert keys == [f"review-due:{official.region_id}:2026H1:14d"]
