"""What model cases add to the home page: the nominations waiting for the user's review (core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import TodoTotal

from .access import reviewable_by

HOME_ITEMS_LIMIT = 10


def todo_items(user, *, today):
    """The model cases waiting for the user's review, oldest first."""
    if not user.is_authenticated:
        return []
    cases = reviewable_by(user).select_related("enterprise").order_by("nominated_at", "pk")[:HOME_ITEMS_LIMIT]
    return [
        {
            "title": _("Model case to review: %(title)s") % {"title": case.title},
            "url": reverse("cases:detail", args=[case.pk]),
            "due": None,
        }
        for case in cases
    ]


def todo_total(user, *, today):
    if not user.is_authenticated:
        return None
    return TodoTotal(reviewable_by(user).count(), reverse("cases:list"), gettext_lazy("Model cases"))
