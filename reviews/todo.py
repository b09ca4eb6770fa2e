"""What reviews add to the home page: reviews to acknowledge or revise, and the practices recommended to
the user's region (core.registry)."""

from core.registry import Panel

from .selectors import recommended_practices_for, review_items


def todo_items(user, *, today):
    return review_items(user, today=today)


def home_panels(user, *, today):
    return [Panel("reviews/_recommended_practices.html", {"practices": recommended_practices_for(user)}, after_todo=True)]
