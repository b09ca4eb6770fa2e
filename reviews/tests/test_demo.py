from datetime import date

import pytest

from accounts.demo import seed_officials
from reviews.demo import demo_periods, seed_reviews
from reviews.models import Practice, Recommendation, Review, ReviewStatus

pytestmark = pytest.mark.django_db


def test_demo_periods_are_the_last_two_due():
    assert [period.label for _cadence, period in demo_periods(today=date(2026, 8, 10))] == ["2025", "2026H1"]
    assert [period.label for _cadence, period in demo_periods(today=date(2026, 5, 10))] == ["2025H1", "2025"]


def test_seed_reviews_is_idempotent_and_shows_every_state():
    seed_officials(password="Demo-Pass-2026")
    created = seed_reviews(today=date(2026, 8, 10))
    assert len(created) == 16
    assert seed_reviews(today=date(2026, 8, 10)) == []
    assert Review.objects.count() == 16 and Recommendation.objects.count() == 3
    assert set(Review.objects.values_list("status", flat=True)) == set(ReviewStatus.values)
    assert set(Review.objects.values_list("region__level", flat=True)) == {"province", "city", "county"}
    assert Practice.objects.in_library().count() >= 10
    returned = Review.objects.get(region_id="370103", period_label="2026H1")
    assert returned.status == ReviewStatus.RETURNED and returned.events.last().actor.username == "jn_staff"
    assert all(review.practices.exists() for review in Review.objects.all())
