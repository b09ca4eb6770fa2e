"""Visit cadence: when each liaison cadre must next visit each enterprise they liaise with.

A cadre of a level visits each of their enterprises every `CadenceRule.interval_months` months. The
next visit is due that long after their last *submitted* visit to the enterprise (as lead or as a
companion) since the assignment started, or that long after the start when they have not visited yet.

Nothing here reads the clock: every function takes `today`, so tests freeze time by passing a date and
a periodic task passes the date it runs for.
"""

import calendar
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.traffic import Light
from enterprises.models import LiaisonAssignment, LiaisonLevel
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


def with_last_visit(assignments):
    """Annotate each assignment with its cadre's last submitted visit to its enterprise since it started.

    Two correlated subqueries, one for visits the cadre led and one for visits they accompanied, so the
    whole plan is one query however many assignments it holds; the lead one is served by the
    (cadre, enterprise, -visited_on) index.
    """
    since_start = Visit.objects.filter(
        status=VisitStatus.SUBMITTED, enterprise=OuterRef("enterprise_id"), visited_on__gte=OuterRef("started_on")
    ).order_by("-visited_on")
    led = since_start.filter(cadre=OuterRef("official_id")).values("visited_on")[:1]
    accompanied = since_start.filter(companions=OuterRef("official_id")).values("visited_on")[:1]
    return assignments.annotate(last_led_on=Subquery(led), last_accompanied_on=Subquery(accompanied))


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


def plan_item(assignment, *, last_visit_on, rule, today):
    due_on = due_date(last_visit_on=last_visit_on, started_on=assignment.started_on, interval_months=rule.interval_months)
    return PlanItem(
        assignment=assignment,
        last_visit_on=last_visit_on,
        due_on=due_on,
        state=visit_state(due_on, today=today, due_soon_days=rule.due_soon_days),
        interval_months=rule.interval_months,
        due_soon_days=rule.due_soon_days,
        today=today,
    )


def visit_plan(assignments, *, today):
    """The plan of a queryset of assignments, most urgent first (overdue, due soon, on track; then by due date).

    Two queries whatever the number of assignments: the rules, and the assignments with their last visits.
    A deregistered enterprise has nobody left to visit: its liaison stays on the list but not in the plan.
    """
    rules = cadence_rules()
    items = []
    assignments = assignments.exclude(enterprise__status=EnterpriseStatus.DEREGISTERED)
    for assignment in with_last_visit(assignments.select_related("enterprise")):
        visited = [day for day in (assignment.last_led_on, assignment.last_accompanied_on) if day is not None]
        items.append(plan_item(assignment, last_visit_on=max(visited, default=None), rule=rules[assignment.level], today=today))
    items.sort(key=lambda item: (Light(item.state).urgency, item.due_on, item.enterprise.name, item.assignment.pk))
    return items


def current_assignments_of(official, *, today):
    return LiaisonAssignment.objects.current(on=today).of_official(official)


# The plan for the year


DONE = "done"

# How each kind of mark shows (templates/visits/includes/plan_mark.html): its name (`data-mark`), its
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


@dataclass
class YearPlanRow:
    item: PlanItem
    done: list = field(default_factory=list)
    expected: list = field(default_factory=list)

    @property
    def enterprise(self):
        return self.item.enterprise

    @property
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


def pending_items(official, *, today):
    """The cadre's overdue and due-soon visits, most urgent first."""
    return [item for item in visit_plan(current_assignments_of(official, today=today), today=today) if item.is_pending]


def due_visit_items(user, *, today):
    """The home page's to-do entries: the overdue and due-soon enterprises of a cadre (at most ten)."""
    if not user.is_authenticated or not user.is_liaison_cadre:
        return []
    create_url = reverse("visits:create")
    entries = []
    for item in pending_items(user, today=today)[:HOME_ITEMS_LIMIT]:
        if item.state == Light.OVERDUE:
            title = _("Visit %(enterprise)s: overdue") % {"enterprise": item.enterprise.name}
        else:
            title = _("Visit %(enterprise)s: due soon") % {"enterprise": item.enterprise.name}
        entries.append({"title": title, "url": f"{create_url}?enterprise={item.enterprise.pk}", "due": item.due_on})
    return entries
