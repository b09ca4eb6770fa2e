"""What problems add to the home page: the problems waiting for the user, overdue first, the demands
enterprises raised through their door that wait for triage in the user's region, and the working-day
calendar's warning to administrators (core.registry)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.registry import Panel, TodoTotal

from . import holidays
from .models import Problem, ProblemStatus, Source
from .notices import problem_items


def todo_items(user, *, today):
    return problem_items(user, today=today)


def todo_total(user, *, today):
    if not user.is_authenticated:
        return None
    return TodoTotal(Problem.objects.held_by(user).count(), f"{reverse('problems:list')}?mine=1", _("Problem list"))


# The newest demands the panel lists one by one; the rest are counted.
DEMANDS_SHOWN = 5


def demands_panel(user):
    """The enterprises' own demands (source "enterprise") waiting for triage in the user's region, for
    staff who triage problems: how many, and the newest few, in two queries."""
    if not user.is_authenticated or not user.has_perm("problems.triage_problems"):
        return None
    waiting = Problem.objects.visible_to(user).filter(source=Source.ENTERPRISE, status=ProblemStatus.NEW)
    count = waiting.count()
    if not count:
        return None
    demands = list(waiting.select_related("enterprise", "category").order_by("-raised_on", "-id")[:DEMANDS_SHOWN])
    list_url = f"{reverse('problems:list')}?source={Source.ENTERPRISE.value}&status={ProblemStatus.NEW.value}"
    return Panel("problems/includes/home_enterprise_demands.html", {"count": count, "demands": demands, "list_url": list_url})


def home_panels(user, *, today):
    """Staff who triage see the enterprises' demands waiting; administrators who keep the working-day
    calendar are warned while a near year's holidays are unknown."""
    panels = []
    demands = demands_panel(user)
    if demands is not None:
        panels.append(demands)
    if not holidays.may_load_holidays(user):
        return panels
    years = holidays.unknown_years(today=today)
    if not years:
        return panels
    context = {"years": years, "table_url": holidays.calendar_table_url(), "load_url": holidays.calendar_load_url()}
    return [*panels, Panel("problems/includes/home_calendar_warning.html", context)]
