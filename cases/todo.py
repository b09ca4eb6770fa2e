"""What model cases add to the home page: the nominations waiting for the user's review (core.registry)."""

from .services import case_items


def todo_items(user, *, today):
    return case_items(user, today=today)
