"""The review's lifecycle, table by table: every state × every action × every role of the `cast`, taken
through the service functions, is either allowed (the review moves to the expected state) or refused with
the expected code (and changes nothing); `available_actions` offers exactly the allowed ones.

The tables below are written out by hand, not read from reviews.lifecycle: they are what the campaign's
rules say, and the lifecycle must agree with them.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Region
from reviews import services
from reviews.lifecycle import LIFECYCLE, Action, available_actions, practice_offers
from reviews.models import Practice, PracticeTopic, Recommendation, Review, ReviewStatus
from reviews.tests.factories import PracticeFactory, ReviewFactory, cadence
from tests.cast import CAST_ROLES

pytestmark = pytest.mark.django_db

S, A = ReviewStatus, Action
ROLES = [*CAST_ROLES]
STATES = list(ReviewStatus)
ACTIONS = [A.EDIT, A.SUBMIT, A.ACKNOWLEDGE, A.RETURN, A.RECOMMEND]

# The review is 历下区's (370102), below 济南市 (370100), below the province (370000).
WRITERS = {"county_staff", "county_admin"}  # 历下区's staff
DECIDERS = {"city_staff"}  # 济南市's staff, directly above (not the province: two levels up)
RECOMMENDERS = {"admin", "province_staff", "city_staff", "county_staff", "county_admin", "other_county_staff"}

# (state, action) -> who may take it, and the state it leads to. Any other pair is refused `invalid_move`.
ALLOWED = {
    (S.DRAFT, A.EDIT): (WRITERS, S.DRAFT),
    (S.RETURNED, A.EDIT): (WRITERS, S.RETURNED),
    (S.DRAFT, A.SUBMIT): (WRITERS, S.SUBMITTED),
    (S.RETURNED, A.SUBMIT): (WRITERS, S.SUBMITTED),
    (S.SUBMITTED, A.ACKNOWLEDGE): (DECIDERS, S.ACKNOWLEDGED),
    (S.SUBMITTED, A.RETURN): (DECIDERS, S.RETURNED),
    (S.ACKNOWLEDGED, A.RECOMMEND): (RECOMMENDERS, S.ACKNOWLEDGED),
}


def take(action, user, review):
    """Take `action` on `review` as `user`, through the service that does it."""
    if action == A.EDIT:
        new = Practice(title="新做法", description="新的描述", topic=PracticeTopic.VISITS)
        return services.save_review(actor=user, review=review, lessons="教训", measures="制度", plan="计划", practices=[new])
    if action == A.SUBMIT:
        return services.submit_review(actor=user, review=review)
    if action == A.ACKNOWLEDGE:
        return services.acknowledge_review(actor=user, review=review, comment="很好")
    if action == A.RETURN:
        return services.return_review(actor=user, review=review, comment="请补充")
    return services.recommend_practice(actor=user, practice=review.practices.get())


def complete_review(status):
    """A complete review of 历下区 in `status`, with one practice: only the state can refuse a move."""
    review = ReviewFactory(status=status)
    PracticeFactory(review=review)
    return review


def snapshot(review):
    return (
        Review.objects.get(pk=review.pk).status,
        review.events.count(),
        review.practices.count(),
        Recommendation.objects.count(),
    )


def test_the_lifecycle_is_the_table_of_this_test():
    assert set(LIFECYCLE.table) == set(ALLOWED)
    assert {key: move.to for key, move in LIFECYCLE.table.items()} == {key: to for key, (_who, to) in ALLOWED.items()}
    assert LIFECYCLE.actions() == ACTIONS


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_state_action_and_role(cast, state, action):
    allowed_roles, to = ALLOWED.get((state, action), (set(), None))
    for role in ROLES:
        user = cast[role]
        review = complete_review(state)
        allowed = role in allowed_roles
        assert (action in available_actions(user, review)) == allowed, (role, state, action)
        assert bool(LIFECYCLE.offers(user, review).get(str(action))) == allowed, (role, state, action)
        if action == A.RECOMMEND:
            offered = practice_offers(user, review.practices.get(), recommended=False)
            assert bool(offered.get("recommend")) == allowed, (role, state)
        before = snapshot(review)
        if allowed:
            take(action, user, review)
            assert Review.objects.get(pk=review.pk).status == to, (role, state, action)
        else:
            with pytest.raises(ValidationError) as refusal:
                take(action, user, review)
            expected = "invalid_move" if (state, action) not in ALLOWED else "not_allowed"
            assert refusal.value.code == expected, (role, state, action, refusal.value.messages)
            assert snapshot(review) == before, (role, state, action)
        review.delete()


@pytest.mark.parametrize("state", STATES)
def test_available_actions_are_the_allowed_ones_in_the_tables_order(cast, state):
    review = complete_review(state)
    for role in ROLES:
        expected = [action for action in ACTIONS if role in ALLOWED.get((state, action), (set(), None))[0]]
        assert available_actions(cast[role], review) == expected, (role, state)


def test_starting_is_for_the_regions_own_staff(cast):
    july = date(2026, 7, 2)
    lixia = Region.objects.get(code="370102")
    for role in ROLES:
        if role in WRITERS:
            review = services.start_review(actor=cast[role], region=lixia, cadence=cadence(6), period_label="2026H1", today=july)
            assert review.status == S.DRAFT
            review.delete()
        else:
            with pytest.raises(ValidationError) as refusal:
                services.start_review(actor=cast[role], region=lixia, cadence=cadence(6), period_label="2026H1", today=july)
            assert refusal.value.code == "not_allowed", role
    assert not Review.objects.exists()


# The refusal each role reads, for the move it may not take on a review in the state that allows it: the
# same sentences the pages showed before the lifecycle had a table.
WRITER_REFUSALS = {
    "admin": "Only the staff of 历下区 can write its review.",
    "province_staff": "Only the staff of 历下区 can write its review.",
    "city_staff": "Only the staff of 历下区 can write its review.",
    "other_county_staff": "Only the staff of 历下区 can write its review.",
    "reviewer": "You cannot write reviews.",
    "cadre": "You cannot write reviews.",
    "handler": "You cannot write reviews.",
    "other_county_cadre": "You cannot write reviews.",
}
DECIDER_REFUSALS = {
    "admin": "Only the staff of the region directly above 历下区 can acknowledge or return its review.",
    "province_staff": "Only the staff of the region directly above 历下区 can acknowledge or return its review.",
    "other_county_staff": "Only the staff of the region directly above 历下区 can acknowledge or return its review.",
    "county_staff": "A region cannot acknowledge or return its own review: the region above does.",
    "county_admin": "A region cannot acknowledge or return its own review: the region above does.",
    "reviewer": "You cannot acknowledge or return reviews.",
    "cadre": "You cannot acknowledge or return reviews.",
    "handler": "You cannot acknowledge or return reviews.",
    "other_county_cadre": "You cannot acknowledge or return reviews.",
}
RECOMMENDER_REFUSALS = {role: "You cannot recommend practices." for role in set(ROLES) - RECOMMENDERS}
STATE_REFUSALS = {
    A.EDIT: "A review that is {status} can no longer be changed.",
    A.SUBMIT: "A review that is {status} can no longer be changed.",
    A.ACKNOWLEDGE: "Only a submitted review can be acknowledged or returned; this one is {status}.",
    A.RETURN: "Only a submitted review can be acknowledged or returned; this one is {status}.",
    A.RECOMMEND: "Only practices of acknowledged reviews can be recommended.",
}


@pytest.mark.parametrize(
    "state, action, refusals",
    [
        (S.DRAFT, A.SUBMIT, WRITER_REFUSALS),
        (S.RETURNED, A.EDIT, WRITER_REFUSALS),
        (S.SUBMITTED, A.ACKNOWLEDGE, DECIDER_REFUSALS),
        (S.SUBMITTED, A.RETURN, DECIDER_REFUSALS),
        (S.ACKNOWLEDGED, A.RECOMMEND, RECOMMENDER_REFUSALS),
    ],
)
def test_who_may_not_act_reads_why(cast, state, action, refusals):
    review = complete_review(state)
    for role, message in refusals.items():
        with pytest.raises(ValidationError) as refusal:
            take(action, cast[role], review)
        assert refusal.value.messages == [message], role


def test_a_move_the_state_does_not_allow_reads_why(cast):
    for (state, action), message in [
        ((state, action), STATE_REFUSALS[action]) for state in STATES for action in ACTIONS if (state, action) not in ALLOWED
    ]:
        review = complete_review(state)
        with pytest.raises(ValidationError) as refusal:
            take(action, cast["county_staff"], review)
        assert refusal.value.messages == [message.format(status=review.get_status_display().lower())], (state, action)
        review.delete()


def test_a_region_without_a_region_above_is_acknowledged_by_the_portal_on_submission(cast):
    review = PracticeFactory(review=ReviewFactory(region=Region.objects.get(code="370000"), on=date(2025, 3, 1))).review
    assert available_actions(cast["province_staff"], review) == [A.EDIT, A.SUBMIT]
    review = services.submit_review(actor=cast["province_staff"], review=review)
    assert review.status == S.ACKNOWLEDGED
    assert available_actions(cast["admin"], review) == [A.RECOMMEND]  # nobody acknowledges or returns it


def test_withdrawing_a_recommendation_is_offered_only_to_the_region_that_made_it(cast):
    practice = complete_review(S.ACKNOWLEDGED).practices.get()
    services.recommend_practice(actor=cast["city_staff"], practice=practice)
    assert practice_offers(cast["city_staff"], practice, recommended=True) == {"withdraw": True}
    assert practice_offers(cast["cadre"], practice, recommended=True) == {}
    with pytest.raises(ValidationError) as refusal:
        services.unrecommend_practice(actor=cast["cadre"], practice=practice)
    assert refusal.value.code == "not_allowed"
    with pytest.raises(ValidationError) as refusal:
        services.unrecommend_practice(actor=cast["county_staff"], practice=practice)
    assert refusal.value.messages == ["Your region does not recommend this practice."]
    services.unrecommend_practice(actor=cast["city_staff"], practice=practice)
    assert not Recommendation.objects.exists()
