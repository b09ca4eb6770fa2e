"""Reads that other pages use: the recommended practices of a user's home page, and the to-do entries.

The practice library is not fenced by region (see reviews.models): a practice recommended by a region
shows on the home pages of that region and of every region below it, wherever the practice comes from.
"""

from django.db.models import Max, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import ancestor_codes

from .models import Practice, Recommendation, Review, ReviewStatus

HOME_ITEMS_LIMIT = 10


def region_chain(code):
    """The codes of a region and of the regions above it, without a query: 370102 -> 370000, 370100, 370102."""
    return [*ancestor_codes(code), code] if code else []


def recommended_practices_for(user, *, limit=5):
    """The library's practices recommended by the user's region or a region above it, latest first.

    Two queries whatever the number: the practices (with their region and review), and the
    recommendations that put them there (`practice.shown_by`, with the recommending regions).
    """
    if not user.is_authenticated or not user.region_id or not user.has_perm("reviews.view_practice"):
        return []
    chain = region_chain(user.region_id)
    by_chain = Q(recommendations__region_id__in=chain)
    recommendations = Recommendation.objects.filter(region_id__in=chain).select_related("region__parent")
    return list(
        Practice.objects.in_library()
        .filter(by_chain)
        .annotate(latest_recommendation=Max("recommendations__recommended_at", filter=by_chain))
        .select_related("region__parent", "review__cadence")
        .prefetch_related(Prefetch("recommendations", queryset=recommendations.order_by("region_id"), to_attr="shown_by"))
        .order_by("-latest_recommendation", "-pk")[:limit]
    )


def review_items_count(user):
    """How many entries `review_items` would list without its limit: two COUNTs at most."""
    count = 0
    if user.has_perm("reviews.acknowledge_reviews"):
        count += Review.objects.awaiting(user).count()
    if user.has_perm("reviews.change_review"):
        count += Review.objects.filter(region_id=user.region_id, status=ReviewStatus.RETURNED).count()
    return count


def review_items(user, *, today):
    """The home page's to-do entries: reviews waiting for the user's acknowledgement, and their own
    region's reviews returned for revision. Two queries at most."""
    if not user.is_authenticated or not user.region_id:
        return []
    entries = []
    if user.has_perm("reviews.acknowledge_reviews"):
        waiting = Review.objects.awaiting(user).select_related("region__parent", "cadence").order_by("submitted_at", "pk")
        for review in waiting[:HOME_ITEMS_LIMIT]:
            values = {"region": review.region.full_name, "period": review.period_label}
            entries.append(
                {
                    "title": _("Review to acknowledge: %(region)s, %(period)s") % values,
                    "url": reverse("reviews:detail", args=[review.pk]),
                    "due": None,
                }
            )
    if user.has_perm("reviews.change_review"):
        returned = Review.objects.filter(region_id=user.region_id, status=ReviewStatus.RETURNED).select_related("cadence")
        for review in returned.order_by("period_end", "pk")[:HOME_ITEMS_LIMIT]:
            entries.append(
                {
                    "title": _("Review returned for revision: %(period)s") % {"period": review.period_label},
                    "url": reverse("reviews:update", args=[review.pk]),
                    "due": review.due_on,
                }
            )
    return entries[:HOME_ITEMS_LIMIT]
