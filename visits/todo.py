"""What visits add to the home page: a cadre's overdue and due-soon enterprises (core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.registry import TodoTotal

from .plan.cadence import Plan, current_assignments_of, due_visit_items


def todo_items(user, *, today):
    return due_visit_items(user, today=today)


def todo_total(user, *, today):
    """How many enterprises the cadre should visit now (overdue or due soon), one COUNT."""
    if not user.is_authenticated or not user.is_liaison_cadre:
        return None
    pending = Plan(current_assignments_of(user, today=today), today=today).pending()
    return TodoTotal(pending.count(), f"{reverse('visits:due')}?mine=1", _("Visits due"))
