"""Making changes as an official in a request from an address, as HistoryRequestMiddleware records them."""

from contextlib import contextmanager

from django.test import RequestFactory
from simple_history.models import HistoricalRecords


@contextmanager
def request_by(official, address="203.0.113.9"):
    """Changes made inside are recorded as made by `official` from `address`, as in a request of theirs."""
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = official
    HistoricalRecords.context.request = request
    try:
        yield request
    finally:
        del HistoricalRecords.context.request


def latest(record):
    """The newest history row of `record`."""
    return record.history.order_by("-history_date", "-history_id").first()
