from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Region
from notifications.models import Notification
from reviews import services
from reviews.models import Practice, PracticeTopic, Recommendation, Review, ReviewEventKind, ReviewStatus
from reviews.tests.factories import PracticeFactory, ReviewFactory, acknowledged_practice, cadence

pytestmark = pytest.mark.django_db

JULY = date(2026, 7, 2)  # 2026H1 has just ended and is due on 15 July


def lixia():
    return Region.objects.get(code="370102")


def keys_of(user):
    return set(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def new_practice(title="楼宇服务驿站"):
    return Practice(title=title, description="在商务楼宇设立服务驿站。", topic=PracticeTopic.BUSINESS_ENVIRONMENT)


def refused(function, **kwargs):
    with pytest.raises(ValidationError) as refusal:
        function(**kwargs)
    return " ".join(refusal.value.messages)


def test_write_submit_return_resubmit_acknowledge(cast):
    staff, city = cast["county_staff"], cast["city_staff"]
    review = services.start_review(actor=staff, region=lixia(), cadence=cadence(6), period_label="2026H1", today=JULY)
    assert (review.status, review.period_start, review.period_end, review.due_on) == (
        ReviewStatus.DRAFT,
        date(2026, 1, 1),
        date(2026, 6, 30),
        date(2026, 7, 15),
    )
    services.save_review(actor=staff, review=review, lessons="教训", measures="制度", plan="计划", practices=[new_practice()])
    review = services.submit_review(actor=staff, review=review)
    assert (review.status, review.revision) == (ReviewStatus.SUBMITTED, 1)
    assert f"review-submitted:{review.pk}:1" in keys_of(city)

    review = services.return_review(actor=city, review=review, comment="请补充成效数据")
    assert review.status == ReviewStatus.RETURNED
    assert f"review-returned:{review.pk}:1" in keys_of(staff)

    practice = review.practices.get()
    practice.description = "在 12 座商务楼宇设立服务驿站，诉求一周内反馈。"
    services.save_review(actor=staff, review=review, lessons="教训", measures="制度", plan="计划", practices=[practice])
    review = services.submit_review(actor=staff, review=review)
    assert (review.status, review.revision) == (ReviewStatus.SUBMITTED, 2)
    assert f"review-submitted:{review.pk}:2" in keys_of(city)

    review = services.acknowledge_review(actor=city, review=review, comment="做法具体")
    assert (review.status, review.acknowledged_by) == (ReviewStatus.ACKNOWLEDGED, city)
    assert f"review-acknowledged:{review.pk}" in keys_of(staff)
    steps = [(event.kind, event.comment) for event in review.events.all()]
    assert steps == [
        (ReviewEventKind.SUBMITTED, ""),
        (ReviewEventKind.RETURNED, "请补充成效数据"),
        (ReviewEventKind.SUBMITTED, ""),
        (ReviewEventKind.ACKNOWLEDGED, "做法具体"),
    ]
    assert list(Practice.objects.in_library()) == [practice]


def test_a_second_review_for_the_same_period_is_refused(cast):
    staff = cast["county_staff"]
    services.start_review(actor=staff, region=lixia(), cadence=cadence(6), period_label="2026H1", today=JULY)
    message = refused(services.start_review, actor=staff, region=lixia(), cadence=cadence(6), period_label="2026H1", today=JULY)
    assert "already has a Half-yearly review for 2026H1" in message
    assert Review.objects.count() == 1


def test_only_the_period_under_way_or_the_last_one_can_be_started(cast):
    staff = cast["county_staff"]
    for label in ("2025H1", "2026H2", "2024"):
        kind = cadence(12 if label == "2024" else 6)
        message = refused(services.start_review, actor=staff, region=lixia(), cadence=kind, period_label=label, today=JULY)
        assert "cannot be written for" in message
    assert not Review.objects.exists()


def test_a_region_writes_only_its_own_review(cast):
    message = refused(
        services.start_review, actor=cast["city_staff"], region=lixia(), cadence=cadence(6), period_label="2026H1", today=JULY
    )
    assert "Only the staff of 历下区" in message
    review = ReviewFactory()
    refused(services.save_review, actor=cast["city_staff"], review=review, lessons="", measures="", plan="", practices=[])
    refused(services.submit_review, actor=cast["other_county_staff"], review=review)
    message = refused(services.submit_review, actor=cast["cadre"], review=review)
    assert message == "You cannot write reviews."
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_an_empty_review_cannot_be_submitted(cast):
    review = ReviewFactory(lessons="", measures=" ", plan="")
    with pytest.raises(ValidationError) as refusal:
        services.submit_review(actor=cast["county_staff"], review=review)
    assert set(refusal.value.message_dict) == {"lessons", "measures", "plan", "practices"}
    assert "List at least one good practice." in refusal.value.message_dict["practices"]
    review.refresh_from_db()
    assert (review.status, review.revision, review.events.count()) == (ReviewStatus.DRAFT, 0, 0)


def test_a_practice_needs_a_title_a_description_and_a_topic(cast):
    review = ReviewFactory()
    for practice in (Practice(title=" ", description="x", topic="dialogue"), Practice(title="x", description="x", topic="nope")):
        refused(
            services.save_review,
            actor=cast["county_staff"],
            review=review,
            lessons="a",
            measures="b",
            plan="c",
            practices=[practice],
        )
    assert not review.practices.exists()


def test_saving_drops_removed_practices_and_cannot_take_another_reviews(cast):
    review = PracticeFactory().review
    other = PracticeFactory(review=ReviewFactory(months=12))
    message = refused(
        services.save_review, actor=cast["county_staff"], review=review, lessons="a", measures="b", plan="c", practices=[other]
    )
    assert "another review" in message
    old = review.practices.get()
    services.save_review(
        actor=cast["county_staff"],
        review=review,
        lessons="a",
        measures="b",
        plan="c",
        practices=[new_practice("新做法")],
        removed=[old],
    )
    assert [practice.title for practice in review.practices.all()] == ["新做法"]
    message = refused(
        services.save_review,
        actor=cast["county_staff"],
        review=review,
        lessons="a",
        measures="b",
        plan="c",
        practices=[],
        removed=[other],
    )
    assert "another review" in message and other.review.practices.count() == 1
    assert other.review.practices.count() == 1


def test_only_the_staff_of_the_region_directly_above_acknowledge_or_return(cast):
    review = PracticeFactory(review=ReviewFactory(status=ReviewStatus.SUBMITTED)).review
    message = refused(services.acknowledge_review, actor=cast["county_staff"], review=review)
    assert "cannot acknowledge or return its own review" in message
    message = refused(services.acknowledge_review, actor=cast["province_staff"], review=review)
    assert "directly above 历下区" in message
    refused(services.return_review, actor=cast["other_county_staff"], review=review, comment="退回")
    assert (
        refused(services.acknowledge_review, actor=cast["reviewer"], review=review) == "You cannot acknowledge or return reviews."
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and not review.events.exists()


def test_acting_in_the_wrong_state_is_refused_and_changes_nothing(cast):
    city, staff = cast["city_staff"], cast["county_staff"]
    draft = PracticeFactory().review
    assert "Only a submitted review" in refused(services.acknowledge_review, actor=city, review=draft)
    acknowledged = ReviewFactory(months=12, status=ReviewStatus.ACKNOWLEDGED)
    assert "this one is acknowledged" in refused(services.return_review, actor=city, review=acknowledged, comment="再改改")
    assert "can no longer be changed" in refused(services.submit_review, actor=staff, review=acknowledged)
    submitted = ReviewFactory(on=date(2025, 3, 1), status=ReviewStatus.SUBMITTED)
    refused(services.save_review, actor=staff, review=submitted, lessons="x", measures="x", plan="x", practices=[])
    refused(services.submit_review, actor=staff, review=submitted)
    assert refused(services.return_review, actor=city, review=submitted, comment=" ") == "Say what should be revised."
    statuses = dict(Review.objects.values_list("pk", "status"))
    assert statuses == {draft.pk: "draft", acknowledged.pk: "acknowledged", submitted.pk: "submitted"}
    assert not Notification.objects.exists()


def test_the_provinces_review_is_acknowledged_when_submitted(cast):
    review = PracticeFactory(review=ReviewFactory(region=Region.objects.get(code="370000"))).review
    review = services.submit_review(actor=cast["province_staff"], review=review)
    assert review.status == ReviewStatus.ACKNOWLEDGED and review.acknowledged_by is None
    assert [event.kind for event in review.events.all()] == [ReviewEventKind.SUBMITTED, ReviewEventKind.ACKNOWLEDGED]


def test_recommending_practices(cast):
    staff = cast["province_staff"]
    practice = acknowledged_practice()
    recommendation = services.recommend_practice(actor=staff, practice=practice)
    assert (recommendation.region_id, recommendation.recommended_by) == ("370000", staff)
    assert "already recommends" in refused(services.recommend_practice, actor=staff, practice=practice)
    services.recommend_practice(actor=cast["city_staff"], practice=practice)
    services.unrecommend_practice(actor=staff, practice=practice)
    assert list(Recommendation.objects.values_list("region_id", flat=True)) == ["370100"]
    assert "does not recommend" in refused(services.unrecommend_practice, actor=staff, practice=practice)
    draft_practice = PracticeFactory(review=ReviewFactory(months=12))
    assert "acknowledged reviews" in refused(services.recommend_practice, actor=staff, practice=draft_practice)
    assert refused(services.recommend_practice, actor=cast["cadre"], practice=practice) == "You cannot recommend practices."
