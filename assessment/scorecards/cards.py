"""Liaison cadres' scorecards: the individual leading cadres' part of the assessment.

A region's cadres are the officials with a liaison assignment at the region's own level, of an enterprise of
the region (or of a region below it), in force on some day of the period so far. For each of them:

- enterprises: the enterprises of those assignments;
- visits made: their submitted visits as lead cadre at that level, in the region, in the period so far
  (visits the region's "visits per liaison cadre" counts too);
- visits due: what the cadence (`visits.plan.cadence`) requires of each assignment in the period, prorated
  by the days the assignment was in force up to the period's last day or today: a quarterly cadence over
  a whole year is 4 visits, over half of it 2. A deregistered enterprise has nobody left to visit (as in
  the visit plan), so nothing is due for it;
- problems raised for their enterprises: problems raised in the period on an enterprise while the cadre
  was its liaison (the records of the "problem resolution" indicator), and of those, the ones solved or
  explained by the period's last day (that indicator's numerator);
- forums attended: held forums of the period that list them among the attending officials.

Every number of every cadre of a region comes from a fixed number of grouped queries (`region_scorecards`),
and the records behind each number of one cadre come from the same querysets (`records_of`), so a
scorecard's number and the list behind it cannot disagree.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Q, Value, When
from django.db.models import F as Field
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from enterprises.models import LiaisonAssignment
from enterprises.models import Status as EnterpriseStatus
from forums.models import Forum, ForumStatus
from visits.models import Visit, VisitStatus
from visits.plan.cadence import cadence_rules

from ..figures import window_of
from ..indicators import BY_CODE, resolved_by_end

TENTH = Decimal("0.1")
HUNDRED = Decimal(100)


def months_of(period):
    """The calendar months a period spans: 12 for a year, 6 for a half year."""
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def days_in_force(*, started_on, ended_on, window):
    """The days of `window` (its first day to its last day or today) an assignment was in force: from its
    start to the day before its end."""
    first = max(started_on, window.start)
    last = window.as_of if ended_on is None else min(window.as_of, ended_on - timedelta(days=1))
    return max(0, (last - first).days + 1)


def visits_due(*, period, window, interval_months, started_on, ended_on):
    """The visits one assignment owes in the period so far: the period's visits by the cadence (months in
    the period / months between visits), prorated by the share of the period's days it was in force."""
    period_days = (period.end - period.start).days + 1
    days = days_in_force(started_on=started_on, ended_on=ended_on, window=window)
    return Decimal(months_of(period)) / Decimal(interval_months) * Decimal(days) / Decimal(period_days)


@dataclass
class Scorecard:
    """One liaison cadre's figures for one region and period."""

    official: User
    enterprises: int = 0
    visits_made: int = 0
    due: Decimal = Decimal(0)
    problems_raised: int = 0
    problems_resolved: int = 0
    forums_attended: int = 0
    enterprise_ids: set = field(default_factory=set, repr=False)

    @property
    def visits_due(self):
        return self.due.quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def visit_progress(self):
        """Visits made as a percentage of visits due (may pass 100); None when nothing was due."""
        if not self.visits_due:
            return None
        return (Decimal(self.visits_made) / self.visits_due * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def is_behind(self):
        """Fewer visits made than due so far."""
        return self.visits_made < self.visits_due

    @property
    def progress_colour(self):
        if self.visit_progress is None:
            return "secondary"
        return "danger" if self.is_behind else "success"


# ---------------------------------------------------------------------------------------------------
# The record sets, for any number of cadres of a region: grouped for the numbers, for one cadre as lists


def _assignments(window, region, official_ids=None):
    """Assignments at the region's level, of enterprises of the region, in force on some day of the window."""
    assignments = LiaisonAssignment.objects.filter(
        level=region.level, region__code__startswith=region.code_prefix, started_on__lte=window.as_of
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=window.start))
    if official_ids is not None:
        assignments = assignments.filter(official_id__in=official_ids)
    return assignments


def _visits(window, region, official_ids=None):
    visits = Visit.objects.filter(
        status=VisitStatus.SUBMITTED, level=region.level, region__code__startswith=region.code_prefix, **window.days("visited_on")
    )
    return visits if official_ids is None else visits.filter(cadre_id__in=official_ids)


def _liaison_when_raised(region, official_ids):
    """The condition that a cadre (one of `official_ids`, or any) was the problem's enterprise's liaison at the
    region's level on the day it was raised (in one filter, so every part reads the same assignment row)."""
    prefix = "enterprise__assignments__"
    cadres = {} if official_ids is None else {f"{prefix}official_id__in": official_ids}
    return Q(
        **{
            **cadres,
            f"{prefix}level": region.level,
            f"{prefix}region__code__startswith": region.code_prefix,
            f"{prefix}started_on__lte": Field("raised_on"),
        }
    ) & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": Field("raised_on")}))


def _problems(window, region, official_ids=None):
    return BY_CODE["problem_resolution"].denominator_records(window).filter(_liaison_when_raised(region, official_ids))


def _held_forums(window):
    return Forum.objects.filter(status=ForumStatus.HELD, **window.moments("starts_at"))


# ---------------------------------------------------------------------------------------------------
# Every cadre of a region


def region_scorecards(period, region, *, today, official_ids=None):
    """The scorecards of every cadre of `region` in `period` (or of `official_ids` only), by official id.

    Six queries whatever the number of cadres and records: the cadence rules, the assignments, the
    officials, and the visits, problems and forums each counted grouped by cadre.
    """
    window = window_of(period, region.level, today=today)
    rules = cadence_rules()
    cards = {}
    rows = _assignments(window, region, official_ids).values_list(
        "official_id", "enterprise_id", "level", "started_on", "ended_on", "enterprise__status"
    )
    due = defaultdict(Decimal)
    enterprises = defaultdict(set)
    for official_id, enterprise_id, level, started_on, ended_on, status in rows:
        enterprises[official_id].add(enterprise_id)
        if status != EnterpriseStatus.DEREGISTERED:
            due[official_id] += visits_due(
                period=period,
                window=window,
                interval_months=rules[level].interval_months,
                started_on=started_on,
                ended_on=ended_on,
            )
    ids = set(enterprises) if official_ids is None else set(official_ids)
    if not ids:
        return cards
    for official in User.objects.filter(pk__in=ids).select_related("region__parent", "department"):
        cards[official.pk] = Scorecard(
            official=official,
            enterprises=len(enterprises[official.pk]),
            due=due[official.pk],
            enterprise_ids=enterprises[official.pk],
        )
    for cadre_id, made in (
        _visits(window, region, official_ids).values("cadre_id").annotate(made=Count("pk")).values_list("cadre_id", "made")
    ):
        if cadre_id in cards:
            cards[cadre_id].visits_made = made
    # The problems counted are those raised in the window (problem_resolution's denominator): the resolved
    # among them are its numerator, told apart by their own row.
    problems = (
        _problems(window, region, official_ids)
        .values("enterprise__assignments__official_id")
        .annotate(raised=Count("pk", distinct=True), resolved=Count("pk", distinct=True, filter=resolved_by_end(window)))
        .values_list("enterprise__assignments__official_id", "raised", "resolved")
        .order_by()
    )
    for official_id, raised, solved in problems:
        if official_id in cards:
            cards[official_id].problems_raised, cards[official_id].problems_resolved = raised, solved
    attendance = (
        Forum.attending_officials.through.objects.filter(forum__in=_held_forums(window), user_id__in=ids)
        .values("user_id")
        .annotate(attended=Count("forum_id", distinct=True))
        .values_list("user_id", "attended")
        .order_by()
    )
    for user_id, attended in attendance:
        if user_id in cards:
            cards[user_id].forums_attended = attended
    return cards


def _name_key(card):
    return (card.official.display_name, card.official.pk)


def _progress_key(card):
    # Cadres with nothing due go last whichever way the list is sorted.
    return card.visit_progress is None


SORTS = {
    "progress": (
        _("Visits against due, lagging first"),
        lambda card: (_progress_key(card), card.visit_progress or 0, _name_key(card)),
    ),
    "-progress": (
        _("Visits against due, best first"),
        lambda card: (_progress_key(card), -(card.visit_progress or 0), _name_key(card)),
    ),
    "-visits": (_("Most visits first"), lambda card: (-card.visits_made, _name_key(card))),
    "-enterprises": (_("Most enterprises first"), lambda card: (-card.enterprises, _name_key(card))),
    "name": (_("Name"), _name_key),
}
DEFAULT_SORT = "progress"


def sorted_cards(cards, sort):
    """The scorecards in the order `sort` names (a key of SORTS; anything else is the default order)."""
    _label, key = SORTS.get(sort) or SORTS[DEFAULT_SORT]
    return sorted(cards, key=key)


# ---------------------------------------------------------------------------------------------------
# One cadre


def home_region(official):
    """The region a cadre is assessed in: their own (a cadre liaises at the level of their region)."""
    return official.region


def scorecard_of(period, official, *, today):
    """One cadre's scorecard in their own region (a card of zeros when they had no liaison in the period)."""
    cards = region_scorecards(period, home_region(official), today=today, official_ids=[official.pk])
    return cards.get(official.pk) or Scorecard(official=official)


@dataclass
class Records:
    """The records behind each number of one scorecard."""

    assignments: list
    visits: object
    problems: object
    forums: object


def records_of(period, official, *, today):
    """The lists behind one cadre's scorecard, from the same record sets as its numbers."""
    region = home_region(official)
    window = window_of(period, region.level, today=today)
    rules = cadence_rules()
    assignments = list(
        _assignments(window, region, [official.pk])
        .select_related("enterprise__region__parent")
        .order_by("enterprise__name", "pk")
    )
    for assignment in assignments:
        if assignment.enterprise.status == EnterpriseStatus.DEREGISTERED:
            assignment.visits_due = Decimal(0)
        else:
            assignment.visits_due = visits_due(
                period=period,
                window=window,
                interval_months=rules[assignment.level].interval_months,
                started_on=assignment.started_on,
                ended_on=assignment.ended_on,
            ).quantize(TENTH, rounding=ROUND_HALF_UP)
    visits = _visits(window, region, [official.pk]).select_related("enterprise").order_by("-visited_on", "-pk")
    problems = (
        _problems(window, region, [official.pk])
        .distinct()
        .annotate(is_resolved=Case(When(resolved_by_end(window), then=Value(True)), default=Value(False)))
        .select_related("enterprise")
        .order_by("-raised_on", "-pk")
    )
    forums = _held_forums(window).filter(attending_officials=official).select_related("region__parent").order_by("-starts_at")
    return Records(assignments=assignments, visits=visits, problems=problems, forums=forums)
