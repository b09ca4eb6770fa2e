"""Visit cadence: when each liaison cadre must next visit each enterprise they liaise with.

A cadre of a level visits each of their enterprises every `CadenceRule.interval_months` months. The
next visit is due that long after their last *submitted* visit to the enterprise (as lead or as a
companion) since the assignment started, or that long after the start when they have not visited yet.

Both dates are kept on the assignment (`last_visit_on`, `next_due_on`) by visits.plan.services, so a
plan of any size is filtered by state, ordered, counted and paginated by the database from the indexes
on (next_due_on, region) and (official, next_due_on) of current liaisons. A state follows from
`next_due_on`, today and the level's due-soon days: overdue before today, due soon up to that many
days ahead, on track after.

Nothing here reads the clock: every function takes `today`, so tests freeze time by passing a date and
a periodic task passes the date it runs for.
"""

import calendar
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, reduce
from operator import or_

from django.db import NotSupportedError
from django.db.models import Case, Count, DateField, Exists, Func, IntegerField, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.traffic import Light
from enterprises.models import Enterprise, LiaisonAssignment, LiaisonLevel
from enterprises.models import Status as EnterpriseStatus

from ..models import CadenceRule, Visit, VisitStatus

# The campaign's defaults, the same as the data migration seeds (visits/migrations/0002): a level
# whose rule an administrator deleted keeps being planned rather than dropping out of every plan.
DEFAULT_INTERVAL_MONTHS = {LiaisonLevel.COUNTY: 3, LiaisonLevel.CITY: 6, LiaisonLevel.PROVINCE: 12}
DEFAULT_DUE_SOON_DAYS = 30

HOME_ITEMS_LIMIT = 10


def add_months(day, months):
    """`day` moved by `months` calendar months, clamped to the end of a shorter month (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class AddMonths(Func):
    """`add_months` in SQL: a date expression moved by a number of months, clamped to the end of a shorter month.

    PostgreSQL's date + interval clamps already; SQLite's date() would roll over (31 Jan + 1 month is
    3 March), so there the day is added to the first of the target month and capped at its last day.
    """

    arity = 2
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("AddMonths is written for PostgreSQL and SQLite.")

    def _compiled(self, compiler):
        return [compiler.compile(expression) for expression in self.get_source_expressions()]

    def as_postgresql(self, compiler, connection, **extra_context):
        (day, day_params), (months, months_params) = self._compiled(compiler)
        return f"(({day}) + make_interval(months => ({months})::integer))::date", (*day_params, *months_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        (day, day_params), (months, months_params) = self._compiled(compiler)
        first = f"date({day}, 'start of month', '+' || ({months}) || ' months')"
        day_of_month = f"CAST(substr(date({day}), 9, 2) AS INTEGER)"
        sql = f"min(date({first}, '+' || ({day_of_month} - 1) || ' days'), date({first}, '+1 month', '-1 day'))"
        return sql, (*day_params, *months_params, *day_params, *day_params, *months_params)


def due_date(*, last_visit_on, started_on, interval_months):
    """When the next visit is due: an interval after the last visit, or after the start when never visited."""
    return add_months(last_visit_on or started_on, interval_months)


def visit_state(due_on, *, today, due_soon_days):
    if due_on < today:
        return Light.OVERDUE
    if due_on <= today + timedelta(days=due_soon_days):
        return Light.DUE_SOON
    return Light.ON_TRACK


def cadence_rules():
    """The rule of every level, read in one query."""
    rules = {
        level: CadenceRule(level=level, interval_months=months, due_soon_days=DEFAULT_DUE_SOON_DAYS)
        for level, months in DEFAULT_INTERVAL_MONTHS.items()
    }
    rules.update((rule.level, rule) for rule in CadenceRule.objects.all())
    return rules


def interval_months_by_level(rules):
    """The interval of each assignment's level, as an SQL expression."""
    return Case(
        *(When(level=level, then=Value(rule.interval_months)) for level, rule in rules.items()), output_field=IntegerField()
    )


@dataclass(frozen=True)
class PlanItem:
    """Where one assignment stands: when its cadre last visited, when the next visit is due, and its state."""

    assignment: LiaisonAssignment
    last_visit_on: date | None
    due_on: date
    state: str
    interval_months: int
    due_soon_days: int
    today: date

    @property
    def enterprise(self):
        return self.assignment.enterprise

    @property
    def days_overdue(self):
        return max(0, (self.today - self.due_on).days)

    @property
    def days_left(self):
        return max(0, (self.due_on - self.today).days)

    @property
    def is_pending(self):
        """Overdue or due soon: what reminders and the home page list."""
        return self.state != Light.ON_TRACK

    @property
    def is_overdue(self):
        return self.state == Light.OVERDUE


def plan_item(assignment, *, rule, today):
    """The item of an assignment read with its kept dates."""
    return PlanItem(
        assignment=assignment,
        last_visit_on=assignment.last_visit_on,
        due_on=assignment.next_due_on,
        state=visit_state(assignment.next_due_on, today=today, due_soon_days=rule.due_soon_days),
        interval_months=rule.interval_months,
        due_soon_days=rule.due_soon_days,
        today=today,
    )


class Plan:
    """The due-visit plan of a queryset of assignments on `today`, computed by the database.

    Only current liaisons (not ended, started by today) of enterprises not deregistered are planned: a
    deregistered enterprise has nobody left to visit, its liaison stays on the list but not in the plan.
    Every query filters on `next_due_on` and orders by it, so the index on (next_due_on, region) of
    current liaisons (or on (official, next_due_on) for a cadre) serves a page without reading the rest of
    the region. "Current" here is "not ended": the services refuse an end date in the future.
    """

    def __init__(self, assignments, *, today, rules=None):
        self.today = today
        self.rules = rules if rules is not None else cadence_rules()
        # NOT EXISTS rather than a join: PostgreSQL then checks a page's few enterprises by key, and counts a
        # region against the (few) deregistered enterprises rather than joining every one.
        deregistered = Enterprise.objects.filter(pk=OuterRef("enterprise_id"), status=EnterpriseStatus.DEREGISTERED)
        self.assignments = assignments.filter(
            ~Exists(deregistered), ended_on__isnull=True, started_on__lte=today, next_due_on__isnull=False
        )

    def due_soon_until(self, level):
        return self.today + timedelta(days=self.rules[level].due_soon_days)

    def state_filter(self, state):
        """The condition of a state, with bounds on `next_due_on` alone so an index range serves it."""
        if state == Light.OVERDUE:
            return Q(next_due_on__lt=self.today)
        limits = [self.due_soon_until(level) for level in self.rules]
        if state == Light.DUE_SOON:
            by_level = reduce(or_, (Q(level=level, next_due_on__lte=self.due_soon_until(level)) for level in self.rules))
            return Q(next_due_on__gte=self.today, next_due_on__lte=max(limits)) & by_level
        by_level = reduce(or_, (Q(level=level, next_due_on__gt=self.due_soon_until(level)) for level in self.rules))
        return Q(next_due_on__gt=min(limits)) & by_level

    def urgency(self):
        """0 overdue, 1 due soon, 2 on track: the first key of the plan's order (Light.urgency in SQL)."""
        return Case(
            When(self.state_filter(Light.OVERDUE), then=Value(Light.OVERDUE.urgency)),
            When(self.state_filter(Light.DUE_SOON), then=Value(Light.DUE_SOON.urgency)),
            default=Value(Light.ON_TRACK.urgency),
            output_field=IntegerField(),
        )

    def order(self):
        """Most urgent first: the state, then the earliest due, then the enterprise's name.

        While every level has the same due-soon window (the campaign's default) the state follows the due
        date, so ordering by `next_due_on` alone is the same order, and the index serves it without sorting
        the region. Levels with different windows need the state first, and the database sorts.
        """
        windows = {rule.due_soon_days for rule in self.rules.values()}
        first = [] if len(windows) == 1 else [self.urgency()]
        return [*first, "next_due_on", "enterprise__name", "pk"]

    def listed(self, state=""):
        """The plan's assignments (or those of one state), most urgent first."""
        assignments = self.assignments.filter(self.state_filter(state)) if state else self.assignments
        return assignments.order_by(*self.order())

    def pending(self):
        """Overdue and due-soon assignments, most urgent first."""
        return self.listed().filter(self.state_filter(Light.OVERDUE) | self.state_filter(Light.DUE_SOON))

    def counts(self):
        """How many of the plan's assignments are in each state: one query."""
        totals = self.assignments.aggregate(
            **{state: Count("pk", filter=self.state_filter(state)) for state in Light.values},
        )
        return {state: totals[state] for state in Light.values}

    def items(self, assignments):
        return [plan_item(assignment, rule=self.rules[assignment.level], today=self.today) for assignment in assignments]

    def rows(self, *, counts, state="", related=()):
        """The plan (or one state of it) for a paginator: each page is one query, and the total is known."""
        total = counts[state] if state else sum(counts.values())
        return PlanRows(self, self.listed(state).select_related("enterprise", *related), total=total)


class PlanRows:
    """A plan's rows as core.listing's paginator reads them: `count()` from the counts already made, and a
    slice read as one query of plan items."""

    def __init__(self, plan, assignments, *, total):
        self.plan, self.assignments, self.total = plan, assignments, total
        self._items = None

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return list(self)[index]
        start, stop, _step = index.indices(self.total)
        return PlanRows(self.plan, self.assignments[start:stop], total=max(0, stop - start))

    def __iter__(self):
        if self._items is None:
            self._items = self.plan.items(self.assignments)
        return iter(self._items)


def visit_plan(assignments, *, today):
    """The plan of a queryset of assignments, most urgent first (overdue, due soon, on track; then by due date).

    Two queries whatever the number of assignments: the rules, and the assignments with their kept dates.
    """
    plan = Plan(assignments, today=today)
    return plan.items(plan.listed().select_related("enterprise"))


def current_assignments_of(official, *, today):
    return LiaisonAssignment.objects.current(on=today).of_official(official)


# The plan for the year


DONE = "done"

# How each kind of mark shows (visits/templatetags/plan_marks.py): its name (`data-mark`), its
# badge's colour, whether the badge is outlined, its icon and the title before its date. A visit made is
# blue; an expected one takes its light's colour, except that one on track is merely planned (grey).
MarkLook = namedtuple("MarkLook", ["name", "colour", "outlined", "icon", "title"])
MARK_LOOKS = {
    DONE: MarkLook("done", "primary", False, "check-lg", gettext_lazy("Visited")),
    Light.OVERDUE: MarkLook(Light.OVERDUE.value, Light.OVERDUE.colour, False, "exclamation-lg", Light.OVERDUE.label),
    Light.DUE_SOON: MarkLook(Light.DUE_SOON.value, Light.DUE_SOON.colour, False, "", Light.DUE_SOON.label),
    Light.ON_TRACK: MarkLook("planned", "light", True, "", gettext_lazy("Planned")),
}


@dataclass(frozen=True)
class PlanMark:
    """One date in the plan for the year: a visit made (`done`) or an expected one (a Light)."""

    day: date
    kind: str

    @property
    def look(self):
        return MARK_LOOKS[self.kind]

    # Dates written without the template's localised `date` filter: these formats are the same in every
    # language, and a cadre's plan holds hundreds of marks.
    @property
    def iso(self):
        return self.day.isoformat()

    @property
    def month_day(self):
        return f"{self.day:%m-%d}"


@dataclass
class YearPlanRow:
    item: PlanItem
    done: list = field(default_factory=list)
    expected: list = field(default_factory=list)

    @property
    def enterprise(self):
        return self.item.enterprise

    @cached_property
    def by_month(self):
        """Twelve lists of marks, January to December of the plan's year (marks of other years are left out)."""
        months = [[] for _month in range(12)]
        for mark in sorted(self.done + self.expected, key=lambda mark: mark.day):
            if mark.day.year == self.item.today.year:
                months[mark.day.month - 1].append(mark)
        return months


def expected_visit_dates(item, *, until):
    """The visits expected from the last visit (or the start) through `until`.

    The first is the due date, even when it has passed. An overdue visit can be made today at the
    earliest, so the visits after it are planned from today rather than from a date already gone.
    """
    anchor = max(item.due_on, item.today)
    dates = [item.due_on] if item.due_on <= until else []
    step = 1
    while (day := add_months(anchor, step * item.interval_months)) <= until:
        dates.append(day)
        step += 1
    return dates


def year_plan(assignments, *, today):
    """Each assignment's plan for `today`'s year: visits made this year and visits expected through 31 December.

    Four queries whatever the number of assignments: the plan's two, and this year's visits led and accompanied.
    """
    items = visit_plan(assignments, today=today)
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    made = defaultdict(set)
    if items:
        officials = {item.assignment.official_id for item in items}
        enterprises = {item.assignment.enterprise_id for item in items}
        this_year = Visit.objects.filter(
            status=VisitStatus.SUBMITTED, visited_on__range=(year_start, year_end), enterprise_id__in=enterprises
        )
        for cadre_id, enterprise_id, visited_on in this_year.filter(cadre_id__in=officials).values_list(
            "cadre_id", "enterprise_id", "visited_on"
        ):
            made[cadre_id, enterprise_id].add(visited_on)
        companions = Visit.companions.through.objects.filter(visit__in=this_year, user_id__in=officials)
        for user_id, enterprise_id, visited_on in companions.values_list("user_id", "visit__enterprise_id", "visit__visited_on"):
            made[user_id, enterprise_id].add(visited_on)
    rows = []
    for item in items:
        assignment = item.assignment
        done = sorted(day for day in made[assignment.official_id, assignment.enterprise_id] if day >= assignment.started_on)
        expected = [
            PlanMark(day, visit_state(day, today=today, due_soon_days=item.due_soon_days))
            for day in expected_visit_dates(item, until=year_end)
        ]
        rows.append(YearPlanRow(item=item, done=[PlanMark(day, DONE) for day in done], expected=expected))
    rows.sort(key=lambda row: (row.enterprise.name, row.item.assignment.pk))
    return rows


# What needs doing: the home page (the weekly digest is visits.plan.digest)


def pending_items(official, *, today, limit=None):
    """The cadre's overdue and due-soon visits, most urgent first (at most `limit`): two queries."""
    plan = Plan(current_assignments_of(official, today=today), today=today)
    return plan.items(plan.pending().select_related("enterprise")[:limit])


def due_visit_items(user, *, today):
    """The home page's to-do entries: the overdue and due-soon enterprises of a cadre (at most ten)."""
    if not user.is_authenticated or not user.is_liaison_cadre:
        return []
    create_url = reverse("visits:create")
    entries = []
    for item in pending_items(user, today=today, limit=HOME_ITEMS_LIMIT):
        if item.state == Light.OVERDUE:
            title = _("Visit %(enterprise)s: overdue") % {"enterprise": item.enterprise.name}
        else:
            title = _("Visit %(enterprise)s: due soon") % {"enterprise": item.enterprise.name}
        entries.append({"title": title, "url": f"{create_url}?enterprise={item.enterprise.pk}", "due": item.due_on})
    return entries
