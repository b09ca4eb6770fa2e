"""What problems add to the home page: the problems waiting for the user, overdue first (core.registry)."""

from .notices import problem_items


def todo_items(user, *, today):
    return problem_items(user, today=today)
