"""Who may act on a review. What a user may *see* is `Review.objects.visible_to(user)` (their region and
the regions below); these say what they may *do*, and reviews.lifecycle asks them before every move.

Two kinds of actor on a review, each a named predicate taking the user first:

- the writer (`can_edit`): united-front staff of the review's own region, who start, edit and submit it;
- the decider (`can_decide`): staff of the region directly above, who acknowledge it or return it with
  comments. Nobody decides on the province's review: it is acknowledged when it is submitted.

And one on the practice library (province-wide, see reviews.models): `can_recommend`, staff with a
region, who recommend an acknowledged review's practice to their region and the regions below it.

Whether the review's *state* allows the move is not asked here: that is the table of reviews.lifecycle.
"""

WRITE_PERMISSION = "reviews.change_review"
START_PERMISSION = "reviews.add_review"
DECIDE_PERMISSION = "reviews.acknowledge_reviews"
RECOMMEND_PERMISSION = "reviews.recommend_practices"


def is_own_region_staff(user, region_id):
    """An official of the region itself (not of a region above it)."""
    return user.region_id is not None and user.region_id == region_id


def is_directly_above(user, region):
    """An official of the region directly above `region` (none for the province)."""
    return region.parent_id is not None and user.region_id == region.parent_id


def can_start(user, region=None):
    """Whether `user` may start a review: of their own region (of `region`, when given)."""
    if not user.has_perm(START_PERMISSION) or user.region_id is None:
        return False
    return region is None or is_own_region_staff(user, region.pk)


def can_edit(user, review):
    """The writer: staff of the review's own region, who edit and submit it."""
    return is_own_region_staff(user, review.region_id) and user.has_perm(WRITE_PERMISSION)


def can_decide(user, review):
    """The decider: staff of the region directly above the review's, who acknowledge or return it."""
    return is_directly_above(user, review.region) and user.has_perm(DECIDE_PERMISSION)


def can_recommend(user, review=None):
    """Staff with a region, who recommend practices of the library to it and the regions below."""
    return user.region_id is not None and user.has_perm(RECOMMEND_PERMISSION)


def can_withdraw_recommendation(user):
    """Who may withdraw their region's recommendation (the services refuse when there is none)."""
    return user.has_perm(RECOMMEND_PERMISSION)
