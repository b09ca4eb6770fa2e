"""What reviews add to the home page: reviews to acknowledge or revise, and the practices recommended to
the user's region (core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.registry import Panel, TodoTotal

from .selectors import recommended_practices_for, review_items, review_items_count


def todo_items(user, *, today):
    return review_items(user, today=today)


def todo_total(user, *, today):
    if not user.is_authenticated or not user.region_id:
        return None
    return TodoTotal(review_items_count(user), reverse("reviews:list"), _("Mechanism reviews"))


def home_panels(user, *, today):
    return [Panel("reviews/_recommended_practices.html", {"practices": recommended_practices_for(user)}, after_todo=True)]
