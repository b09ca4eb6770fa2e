"""Forum compliance: for each region and period, was a forum held, is one planned, or is it missing?

    held      a forum of the period was held, with minutes and an attendance list
    planned   no such forum, but one is planned in the period (and the period has not ended)
    missing   the period is current or still to come, with nothing held or planned
    past_due  the period ended without a forum held

The grid is two queries however many regions it covers: the cadence rules, and one query for the forums
of every region in the whole date range, sorted into cells in Python.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from core.periods import recent_periods

from .cadence import cadences
from .models import Forum, ForumStatus


class ComplianceState(TextChoices):
    HELD = "held", gettext_lazy("Held")
    PLANNED = "planned", pgettext_lazy("forum", "Planned")  # 已计划: a planned forum, not a planned visit
    MISSING = "missing", gettext_lazy("Missing")
    PAST_DUE = "past_due", gettext_lazy("Past due")

    @property
    def colour(self):
        """Bootstrap's contextual colour of the state, for the grid's badges and the home page's card."""
        return STATE_COLOURS[self]


STATE_COLOURS = {
    ComplianceState.HELD: "success",
    ComplianceState.PLANNED: "info",
    ComplianceState.MISSING: "warning",
    ComplianceState.PAST_DUE: "danger",
}


@dataclass(frozen=True)
class Cell:
    period: object
    state: str
    forum_id: int | None = None  # the forum held (or planned), for a link

    @property
    def label(self):
        return ComplianceState(self.state).label

    @property
    def colour(self):
        return ComplianceState(self.state).colour

    @property
    def is_held(self):
        return self.state == ComplianceState.HELD

    @property
    def is_planned(self):
        return self.state == ComplianceState.PLANNED


@dataclass
class ComplianceRow:
    region: object
    cells: list


def day_range(start, end):
    """Aware datetimes bounding the local days `start` to `end` inclusive, for a starts_at filter."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def forums_by_region(region_codes, start, end):
    """{region code: [(local date, status, counts, pk), ...]} of the forums held or planned from `start`
    to `end`, in one query. `counts` is True for a held forum with minutes and an attendance list."""
    lower, upper = day_range(start, end)
    rows = (
        Forum.objects.filter(
            region_id__in=list(region_codes),
            starts_at__gte=lower,
            starts_at__lt=upper,
            status__in=[ForumStatus.PLANNED, ForumStatus.HELD],
        )
        .with_attendance_flag()
        .order_by("starts_at", "pk")
        .values_list("region_id", "starts_at", "status", "minutes", "has_attendance", "pk")
    )
    found = defaultdict(list)
    for region_id, starts_at, status, minutes, has_attendance, pk in rows:
        counts = status == ForumStatus.HELD and bool(minutes.strip()) and has_attendance
        found[region_id].append((timezone.localtime(starts_at).date(), status, counts, pk))
    return found


def period_state(period, forums, *, today):
    """The state of one region's `period`, given that region's forums as from `forums_by_region`."""
    inside = [forum for forum in forums if period.contains(forum[0])]
    held = [forum for forum in inside if forum[2]]
    if held:
        return Cell(period, ComplianceState.HELD, held[0][3])
    if period.has_ended(today=today):
        return Cell(period, ComplianceState.PAST_DUE)
    planned = [forum for forum in inside if forum[1] == ForumStatus.PLANNED]
    if planned:
        return Cell(period, ComplianceState.PLANNED, planned[0][3])
    return Cell(period, ComplianceState.MISSING)


def compliance_grid(regions, periods, *, today, rules=None):
    """A row per region, a cell per period.

    `periods` is either a number (the current period of each region's own cadence and the ones before
    it, so a county's row holds quarters and a city's half years) or a list of `Period`s applied to
    every region. `regions` is a list or queryset of regions (one query when a queryset).
    """
    regions = list(regions)
    if not regions:
        return []
    if isinstance(periods, int):
        rules = cadences() if rules is None else rules
        by_region = {region.code: recent_periods(today, rules[region.level].months, periods) for region in regions}
    else:
        by_region = {region.code: list(periods) for region in regions}
    every_period = [period for region_periods in by_region.values() for period in region_periods]
    if not every_period:
        return [ComplianceRow(region, []) for region in regions]
    found = forums_by_region(by_region, min(period.start for period in every_period), max(period.end for period in every_period))
    return [
        ComplianceRow(region, [period_state(period, found[region.code], today=today) for period in by_region[region.code]])
        for region in regions
    ]


@dataclass(frozen=True)
class PeriodColumn:
    """A period heading the page's grid: how many of the table's regions held a forum in it."""

    period: object
    held: int
    regions: int
    is_current: bool


@dataclass
class ComplianceTable:
    """Regions that count in the same periods, one column per period, the newest (current) first."""

    columns: list
    rows: list  # ComplianceRow, their cells in the order of `columns`

    @property
    def caption(self):
        months = self.columns[0].period.months
        if months == 12:
            return gettext("A forum every year")
        if months == 6:
            return gettext("A forum every half year")
        if months == 3:
            return gettext("A forum every quarter")
        if months == 1:
            return gettext("A forum every month")
        return ngettext("A forum every %(count)d month", "A forum every %(count)d months", months) % {"count": months}

    @property
    def current_label(self):
        """The label of the period holding today, for its column's shading ("" when none does)."""
        return next((column.period.label for column in self.columns if column.is_current), "")

    @property
    def counts_regions(self):
        """Whether a per-period count says something: a table of one region shows its cells alone."""
        return len(self.rows) > 1


def compliance_tables(rows, *, today):
    """The grid laid out for the page: the rows of `compliance_grid` grouped by the periods they count in
    (a city and its counties count in half years and quarters, so they cannot share column headings), in
    order of first appearance, each with its periods newest first so the current one is seen first, even on
    a phone, and a count per period of the regions that held a forum in it."""
    groups = {}
    for row in rows:
        key = tuple(cell.period.label for cell in row.cells)
        if key:
            groups.setdefault(key, []).append(ComplianceRow(row.region, row.cells[::-1]))
    tables = []
    for group in groups.values():
        columns = [
            PeriodColumn(
                period=cell.period,
                held=sum(1 for row in group if row.cells[index].is_held),
                regions=len(group),
                is_current=cell.period.contains(today),
            )
            for index, cell in enumerate(group[0].cells)
        ]
        tables.append(ComplianceTable(columns, group))
    return tables


@dataclass(frozen=True)
class CurrentStatus:
    cell: Cell
    days_left: int


def current_status(region, *, today):
    """The state of `region`'s current period, for the home page of its united-front staff."""
    cell = compliance_grid([region], 1, today=today)[0].cells[0]
    return CurrentStatus(cell, cell.period.days_left(today=today))
