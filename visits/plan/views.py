"""Pages of the visit plan: due and overdue visits, a cadre's plan for the year, and the visit calendar.

A liaison cadre reads their own plan. Officials who read the visits of their region (staff,
administrators, reviewers) read the plans of its cadres, fenced to their region.
"""

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.views.decorators.http import require_safe

from core.listing import paginate
from core.traffic import Light
from core.workbooks import xlsx_response
from exports.views import export_response

from ..models import Visit
from . import exports
from .cadence import add_months, visit_plan, year_plan
from .selectors import due_list, oversees_cadres, plan_subject, records_of

MONTH_PARAMETER = re.compile(r"([0-9]{4})-([0-9]{1,2})")


# Due and overdue visits


@require_safe
def due(request):
    """Due and overdue visits: a cadre's own, or those of every cadre in a member of staff's region."""
    today = timezone.localdate()
    listed = due_list(request.user, request.GET, today=today)
    if listed.mine:
        return my_due(request, listed, today=today)
    return region_due(request, listed, today=today)


def my_due(request, listed, *, today):
    counts = listed.plan.counts()
    context = {
        "page": paginate(request, listed.plan.rows(counts=counts, related=["enterprise__region__parent"])),
        "counts": counts,
        "mine": True,
        "oversees": oversees_cadres(request.user),
        "today": today,
        "print_subject": exports.whose_due_list(request.user, listed),
    }
    return render(request, "visits/due.html", context)


@permission_required("visits.view_visit", raise_exception=True)
def region_due(request, listed, *, today):
    """The region's plan: filtered, counted per state, ordered and paginated by the database."""
    # The counts describe the region's whole plan (with the other filters), whatever state is shown.
    counts = listed.plan.counts()
    rows = listed.plan.rows(counts=counts, state=listed.state, related=["enterprise__region__parent", "official__region__parent"])
    context = {
        "page": paginate(request, rows),
        "counts": counts,
        "filter": listed.filter,
        "mine": False,
        "today": today,
        "print_subject": exports.whose_due_list(request.user, listed),
    }
    return render(request, "visits/due.html", context)


@require_safe
@permission_required("visits.view_visit", raise_exception=True)
def due_export(request):
    """The due list of the same filters as .xlsx: at once when small, else written in the background."""
    return export_response(request, "due_visits")


# Whose plan: one's own, or for staff, a cadre of their region


def subject_query(user, subject, **parameters):
    if subject is not None and subject != user:
        parameters["cadre"] = subject.pk
    return urlencode(parameters)


def _year_plan(request, today):
    subject, cadre_form = plan_subject(request.user, request.GET)
    rows = []
    if subject is not None:
        assignments, _visits = records_of(request.user, subject, today=today)
        rows = year_plan(assignments.select_related("enterprise__region__parent"), today=today)
    return subject, cadre_form, rows


@require_safe
def plan(request):
    """A cadre's plan for the year: for each enterprise, the visits made and those expected through December."""
    today = timezone.localdate()
    subject, cadre_form, rows = _year_plan(request, today)
    context = {
        "rows": rows,
        "subject": subject,
        "cadre_form": cadre_form,
        "today": today,
        "months": [date(today.year, month, 1) for month in range(1, 13)],
        "calendar_query": subject_query(request.user, subject),
    }
    return render(request, "visits/plan.html", context)


@require_safe
def plan_export(request):
    """The cadre's plan for the year as .xlsx: a row per enterprise, a column per month. A cadre outside the
    reader's region is a 404, as a record outside it is."""
    today = timezone.localdate()
    subject, _cadre_form, rows = _year_plan(request, today)
    if subject is None:
        raise Http404
    content, filename = exports.year_plan_workbook(subject, rows, today=today)
    return xlsx_response(content, filename)


# The calendar


def parse_month(value, *, today):
    """The first day of the month `value` names ("2026-11"); anything else means the current month."""
    match = MONTH_PARAMETER.fullmatch((value or "").strip())
    if match:
        year, month = int(match[1]), int(match[2])
        # The years at the ends of the calendar are refused too: their grid would run past them.
        if date.min.year < year < date.max.year and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


def month_parameter(day):
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class CalendarEntry:
    """One thing on a day: a visit made, a follow-up planned at a visit, or the due date of a visit (its state)."""

    kind: str
    enterprise: object
    visit: Visit | None = None

    VISIT = "visit"
    FOLLOW_UP = "follow_up"

    @property
    def is_visit(self):
        return self.kind == self.VISIT

    @property
    def is_follow_up(self):
        return self.kind == self.FOLLOW_UP

    @property
    def light(self):
        """The state of a visit due (its icon's colour); None for a visit made or a follow-up."""
        return Light(self.kind) if self.kind in Light.values else None


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    entries: list


def month_entries(assignments, visits, *, first, last, today):
    """What falls on each day from `first` to `last`: three queries however many visits and enterprises."""
    entries = defaultdict(list)
    in_grid = Q(visited_on__range=(first, last)) | Q(follow_up_on__range=(first, last))
    for visit in visits.filter(in_grid).select_related("enterprise").order_by("visited_on", "id"):
        if first <= visit.visited_on <= last:
            entries[visit.visited_on].append(CalendarEntry(CalendarEntry.VISIT, visit.enterprise, visit))
        if visit.follow_up_on and first <= visit.follow_up_on <= last:
            entries[visit.follow_up_on].append(CalendarEntry(CalendarEntry.FOLLOW_UP, visit.enterprise, visit))
    plan_items = visit_plan(assignments, today=today)
    for item in plan_items:
        if first <= item.due_on <= last:
            entries[item.due_on].append(CalendarEntry(item.state, item.enterprise))
    return entries, plan_items


@require_safe
def visit_calendar(request):
    """A month of visits made, follow-ups planned and visits due, for the user or (staff) a cadre of their region."""
    today = timezone.localdate()
    month_start = parse_month(request.GET.get("month"), today=today)
    subject, cadre_form = plan_subject(request.user, request.GET)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(month_start.year, month_start.month)
    entries, plan_items = {}, []
    if subject is not None:
        assignments, visits = records_of(request.user, subject, today=today)
        entries, plan_items = month_entries(assignments, visits, first=weeks[0][0], last=weeks[-1][-1], today=today)
    grid = [
        [CalendarDay(day, day.month == month_start.month, day == today, entries.get(day, [])) for day in week] for week in weeks
    ]
    context = {
        "month_start": month_start,
        "weeks": grid,
        "days_with_entries": [day for week in grid for day in week if day.in_month and day.entries],
        "weekdays": [WEEKDAYS_ABBR[weekday] for weekday in range(7)],
        "subject": subject,
        "cadre_form": cadre_form,
        # A due date links to the visit form for one's own enterprises, to the enterprise otherwise.
        "can_log": subject == request.user and request.user.has_perm("visits.add_visit"),
        "overdue_count": sum(item.state == Light.OVERDUE for item in plan_items),
        "previous_query": subject_query(request.user, subject, month=month_parameter(add_months(month_start, -1))),
        "next_query": subject_query(request.user, subject, month=month_parameter(add_months(month_start, 1))),
        "today_query": subject_query(request.user, subject),
        "today": today,
    }
    return render(request, "visits/calendar.html", context)
