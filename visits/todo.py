"""What visits add to the home page: a cadre's overdue and due-soon enterprises (core.registry)."""

from .plan.cadence import due_visit_items


def todo_items(user, *, today):
    return due_visit_items(user, today=today)
