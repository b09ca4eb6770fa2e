"""What problems add to the home page: the problems waiting for the user, overdue first, and the
working-day calendar's warning to administrators (core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.registry import Panel, TodoTotal

from . import holidays
from .models import Problem
from .notices import problem_items


def todo_items(user, *, today):
    return problem_items(user, today=today)


def todo_total(user, *, today):
    if not user.is_authenticated:
        return None
    return TodoTotal(Problem.objects.held_by(user).count(), f"{reverse('problems:list')}?mine=1", _("Problem list"))


def home_panels(user, *, today):
    """Administrators who keep the working-day calendar are warned while a near year's holidays are unknown."""
    if not holidays.may_load_holidays(user):
        return []
    years = holidays.unknown_years(today=today)
    if not years:
        return []
    context = {"years": years, "table_url": holidays.calendar_table_url(), "load_url": holidays.calendar_load_url()}
    return [Panel("problems/includes/home_calendar_warning.html", context)]
