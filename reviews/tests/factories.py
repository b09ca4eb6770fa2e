"""Factories of reviews and practices, shared by the tests."""

from datetime import date

import factory

from accounts.models import Region
from reviews.models import Practice, PracticeTopic, Review, ReviewCadence, ReviewStatus


def cadence(months=6):
    """A cadence seeded by the data migration: 6 (half-yearly) or 12 (yearly)."""
    return ReviewCadence.objects.get(months=months)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A complete draft review of 历下区 for 2026H1; pass `on=` a day of another period, `months=12` for a yearly one."""

    class Meta:
        model = Review
        exclude = ["on", "months", "period"]

    on = date(2026, 3, 1)
    months = 6
    region = factory.LazyFunction(lambda: Region.objects.get(code="370102"))
    cadence = factory.LazyAttribute(lambda review: cadence(review.months))
    period = factory.LazyAttribute(lambda review: review.cadence.period_of(review.on))
    period_label = factory.LazyAttribute(lambda review: review.period.label)
    period_start = factory.LazyAttribute(lambda review: review.period.start)
    period_end = factory.LazyAttribute(lambda review: review.period.end)
    lessons = "部分走访流于形式。"
    measures = "制定了联系企业工作办法。"
    plan = "下半年实现走访全覆盖。"
    status = ReviewStatus.DRAFT


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    review = factory.SubFactory(ReviewFactory)
    region = factory.LazyAttribute(lambda practice: practice.review.region)
    title = factory.Sequence(lambda n: f"好做法{n}")
    description = "每月召开一次政企早餐会，现场解决企业诉求。"
    topic = PracticeTopic.DIALOGUE


def acknowledged_practice(*, region="370102", on=date(2026, 3, 1), months=6, **practice_fields):
    """A practice of an acknowledged review of `region`: in the practice library."""
    review = Review.objects.filter(region_id=region, cadence__months=months, period_label=cadence(months).period_of(on).label)
    review = review.first() or ReviewFactory(
        region=Region.objects.get(code=region), on=on, months=months, status=ReviewStatus.ACKNOWLEDGED
    )
    return PracticeFactory(review=review, **practice_fields)
