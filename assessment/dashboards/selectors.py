"""What the dashboards read: the stored figures and scores of a period (`IndicatorValue`, `RegionScore`),
never the records themselves, so a dashboard costs the same few queries whatever the data size.

- `dashboard(period, region, ...)` gathers one region's page: its own figures and key totals, the regions
  directly below it side by side (lagging ones first) with their scores, ranks and change against the
  previous period, the trend of their scores over the periods, and, for a county, its liaison cadres.
  The peers a region is ranked against (the other cities; the other counties of its city) are named with
  their scores only in a closed period, and never with a link to their records.
- `figure_records(...)` is the drill-down: the records behind one figure, as the indicator defines them.
- `record_rows(records)` turns a page of any indicator's records into rows a single list template shows.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, RegionLevel, User
from assessment.figures import schemes_by_region, window_of
from assessment.indicators import BY_CODE, INDICATORS, RegionPeriod, Unit
from assessment.models import AssessmentPeriod, IndicatorValue, RegionScore

PARTS = ("numerator", "denominator")

# The campaign's key totals, read from a region's own stored figures: (indicator, part, label). Each is
# exactly what its drill-down lists; liaisons and visits count those of the region's own level (as every
# figure of the region does), the others the region and every region below it.
KEY_TOTALS = [
    ("liaison_coverage", "denominator", _("Operating enterprises")),
    ("liaison_coverage", "numerator", _("Enterprises with a liaison at this level")),
    ("visits_per_cadre", "numerator", _("Visits by liaisons of this level")),
    ("verdict_response", "denominator", _("Problems solved or explained")),
    ("forum_compliance", "numerator", _("Forum periods held")),
    ("cases_published", "numerator", _("Model cases published")),
]


# ---------------------------------------------------------------------------------------------------
# Periods


def periods_newest_first():
    return list(AssessmentPeriod.objects.order_by("-start", "label"))


def default_period(periods):
    """The latest open period, else the latest one; None when there is none."""
    return next((period for period in periods if not period.is_closed), periods[0] if periods else None)


def previous_period(period, periods):
    """The period of the same kind just before `period`, from an already fetched list."""
    earlier = [other for other in periods if other.kind == period.kind and other.start < period.start]
    return max(earlier, key=lambda other: other.start, default=None)


# ---------------------------------------------------------------------------------------------------
# Numbers


def format_number(number, unit):
    """A stored figure as shown: a percent with one decimal, a ratio or amount with two, a count whole."""
    if number is None:
        return "—"
    number = Decimal(number)
    if unit == Unit.PERCENT:
        return f"{number:.1f}%"
    if unit == Unit.DAYS:
        return f"{number:.1f}"
    if unit in (Unit.RATIO, Unit.AMOUNT):
        return f"{number:.2f}"
    return f"{number:.0f}"


def format_count(number):
    return "—" if number is None else f"{Decimal(number):.0f}"


def as_float(number):
    return None if number is None else float(number)


# ---------------------------------------------------------------------------------------------------
# URLs


def records_url(period, region, indicator, part):
    return reverse(
        "assessment:figure_records",
        kwargs={"period": period.label, "region": region.code, "indicator": indicator.code, "part": part},
    )


def region_url(period, region):
    return reverse("assessment:dashboard_region", kwargs={"period": period.label, "region": region.code})


def scorecard_url(period, official):
    return reverse("assessment:cadre_scorecard", kwargs={"period": period.label, "pk": official.pk})


# ---------------------------------------------------------------------------------------------------
# One figure, as a cell


@dataclass
class Cell:
    indicator: object
    value_text: str
    numerator_text: str
    denominator_text: str
    empty_reason: object = None  # why there is no value ("—"): the denominator is zero
    numerator_url: str = ""
    denominator_url: str = ""
    value: float | None = None

    @property
    def is_empty(self):
        return self.empty_reason is not None


def cell_of(indicator, stored, *, period, region, linked):
    """The cell of `indicator` for `region` from its stored IndicatorValue (None when not computed yet)."""
    if stored is None:
        return Cell(indicator, "—", "—", "—", empty_reason=_("Not computed yet: refresh the figures."))
    has_denominator = stored.denominator is not None
    empty = stored.value is None
    cell = Cell(
        indicator,
        value_text=format_number(stored.value, indicator.unit),
        numerator_text=format_number(stored.numerator, indicator.unit)
        if indicator.unit in (Unit.AMOUNT, Unit.DAYS)
        else format_count(stored.numerator),
        denominator_text=format_count(stored.denominator) if has_denominator else "",
        empty_reason=indicator.empty_reason if empty else None,
        value=as_float(stored.value),
    )
    if linked:
        cell.numerator_url = records_url(period, region, indicator, "numerator")
        if has_denominator:
            cell.denominator_url = records_url(period, region, indicator, "denominator")
    return cell


# ---------------------------------------------------------------------------------------------------
# A region's dashboard


@dataclass
class Row:
    """One region below the dashboard's region: its score, ranks, change and the figures of the columns."""

    region: object
    score: object  # RegionScore or None
    previous: object  # the previous period's RegionScore or None
    cells: list
    url: str = ""

    @property
    def score_value(self):
        return None if self.score is None else self.score.score

    @property
    def score_text(self):
        return format_number(self.score_value, Unit.RATIO)

    @property
    def rank_text(self):
        if self.score is None or self.score.rank_among_peers is None:
            return "—"
        return f"{self.score.rank_among_peers}/{self.score.peers}"

    @property
    def change(self):
        if self.score_value is None or self.previous is None or self.previous.score is None:
            return None
        return self.score_value - self.previous.score

    @property
    def change_text(self):
        change = self.change
        if change is None:
            return "—"
        return f"{change:+.2f}"

    @property
    def change_colour(self):
        change = self.change
        if not change:
            return "secondary"
        return "success" if change > 0 else "danger"


@dataclass
class Total:
    label: object
    text: str
    url: str


@dataclass
class Dashboard:
    period: object
    region: object
    periods: list
    own_cells: list
    own: Row
    columns: list
    rows: list
    totals: list
    trend: list
    peers: list = field(default_factory=list)
    cadres: list = field(default_factory=list)
    scheme: object = None

    @property
    def column_heads(self):
        weights = {item.indicator: item.weight for item in self.scheme.items.all()} if self.scheme else {}
        return [
            {"indicator": indicator, "unit": Unit.LABELS[indicator.unit], "weight": weights.get(indicator.code)}
            for indicator in self.columns
        ]

    @property
    def has_children(self):
        return bool(self.rows)

    @property
    def is_county(self):
        return self.region.level == RegionLevel.COUNTY

    @property
    def shows_peers(self):
        return bool(self.peers)

    def scores_chart(self):
        return {
            "labels": [row.region.name for row in self.rows],
            "values": [as_float(row.score_value) for row in self.rows],
        }

    def trend_chart(self):
        return {
            "labels": [point["label"] for point in self.trend],
            "series": [{"name": str(name), "values": [point[key] for point in self.trend]} for key, name in self.trend_series],
        }

    @property
    def trend_has_own(self):
        return any(point["own"] is not None for point in self.trend)

    @property
    def trend_series(self):
        """(key, name) of the trend's lines: the spread of the regions below, and the region's own score."""
        series = []
        if self.has_children:
            series += [("average", _("Average")), ("lowest", _("Lowest")), ("highest", _("Highest"))]
        if self.trend_has_own:
            series.append(("own", self.region.name))
        return series

    @property
    def trend_rows(self):
        """The trend's numbers as table rows: the period, then each line's value in the order of `trend_series`."""
        keys = [key for key, _name in self.trend_series]
        return [
            {"label": point["label"], "values": [format_number(point[key], Unit.RATIO) for key in keys]} for point in self.trend
        ]


def regions_below(region):
    """The regions directly below `region` (the cities of the province, the counties of a city)."""
    if region.level == RegionLevel.COUNTY:
        return []
    return list(Region.objects.filter(parent_id=region.code).select_related("parent").order_by("code"))


def lagging_first(rows):
    """Lowest score first; regions without a score last, then by code."""
    return sorted(rows, key=lambda row: (row.score_value is None, row.score_value or 0, row.region.code))


def dashboard(period, region, *, periods):
    """One region's dashboard of `period`, read from the stored tables in a fixed number of queries."""
    children = regions_below(region)
    child_codes = [child.code for child in children]
    values = {}
    for stored in IndicatorValue.objects.filter(period=period, region_id__in=[region.code, *child_codes]):
        values.setdefault(stored.region_id, {})[stored.indicator] = stored

    peer_filter = Q(region_id__in=[region.code, *child_codes])
    if period.is_closed and region.level != RegionLevel.PROVINCE:
        # Published rankings of a closed period: the peers' names and scores, never their records.
        peer_filter |= Q(region__parent_id=region.parent_id, region__level=region.level)
    scores = {score.region_id: score for score in RegionScore.objects.filter(peer_filter, period=period).select_related("region")}
    before = previous_period(period, periods)
    previous = {}
    if before is not None:
        previous = {
            score.region_id: score
            for score in RegionScore.objects.filter(period=before, region_id__in=[region.code, *child_codes])
        }

    schemes = schemes_by_region(period, children) if children else {}
    scheme = next(iter(schemes.values()), None)
    columns = (
        [BY_CODE[item.indicator] for item in scheme.items.all() if item.indicator in BY_CODE] if scheme else list(INDICATORS)
    )

    own_values = values.get(region.code, {})
    own_cells = [
        cell_of(indicator, own_values.get(indicator.code), period=period, region=region, linked=True) for indicator in INDICATORS
    ]
    own = Row(region, scores.get(region.code), previous.get(region.code), own_cells)
    rows = lagging_first(
        [
            Row(
                child,
                scores.get(child.code),
                previous.get(child.code),
                [
                    cell_of(indicator, values.get(child.code, {}).get(indicator.code), period=period, region=child, linked=True)
                    for indicator in columns
                ],
                url=region_url(period, child),
            )
            for child in children
        ]
    )
    totals = [
        Total(label, _total_text(own_values.get(code), part), records_url(period, region, BY_CODE[code], part))
        for code, part, label in KEY_TOTALS
    ]
    peers = []
    if period.is_closed and region.level != RegionLevel.PROVINCE:
        peers = sorted(
            (
                score
                for score in scores.values()
                if score.region.level == region.level and score.region.parent_id == region.parent_id
            ),
            key=lambda score: (score.rank_among_peers is None, score.rank_among_peers or 0, score.region_id),
        )
        for score in peers:
            score.score_text = format_number(score.score, Unit.RATIO)
            score.is_own = score.region_id == region.code
    return Dashboard(
        period=period,
        region=region,
        periods=periods,
        own_cells=own_cells,
        own=own,
        columns=columns,
        rows=rows,
        totals=totals,
        trend=score_trend(region, child_codes, periods),
        peers=peers,
        cadres=liaison_cadres(period, region) if region.level == RegionLevel.COUNTY else [],
        scheme=scheme,
    )


def _total_text(stored, part):
    if stored is None:
        return "—"
    return format_count(stored.numerator if part == "numerator" else stored.denominator)


def score_trend(region, child_codes, periods):
    """Per period, oldest first: the average, lowest and highest score of the regions below, and the
    region's own score (two grouped queries)."""
    spread = {}
    if child_codes:
        rows = (
            RegionScore.objects.filter(region_id__in=child_codes)
            .values("period_id")
            .order_by()
            .annotate(average=Avg("score"), lowest=Min("score"), highest=Max("score"))
        )
        spread = {row["period_id"]: row for row in rows}
    own = dict(RegionScore.objects.filter(region_id=region.code).values_list("period_id", "score"))
    points = []
    for period in sorted(periods, key=lambda period: period.start):
        row = spread.get(period.pk, {})
        if not row and own.get(period.pk) is None:
            continue
        points.append(
            {
                "label": period.label,
                "average": round(float(row["average"]), 2) if row.get("average") is not None else None,
                "lowest": as_float(row.get("lowest")),
                "highest": as_float(row.get("highest")),
                "own": as_float(own.get(period.pk)),
            }
        )
    return points


def liaison_cadres(period, region):
    """A county's liaison cadres of its own level, current on the period's last day (or today)."""
    window = window_of(period, region.level, today=timezone.localdate())
    cadres = BY_CODE["visits_per_cadre"].records(window, region, part="denominator")
    cadres = list(cadres.order_by("full_name", "username"))
    for official in cadres:
        official.scorecard_url = scorecard_url(period, official)
    return cadres


# ---------------------------------------------------------------------------------------------------
# The drill-down


def figure_records(period, region, indicator, part, *, today):
    """The records behind `indicator`'s `part` for `region` (and the regions below it); None when the
    figure has no such part (a count's denominator)."""
    records = indicator.records(window_of(period, region.level, today=today), region, part=part)
    if records is None or isinstance(records, list):
        return records
    model = records.model
    presenter = PRESENTERS.get(model)
    if presenter is not None and presenter.related:
        records = records.select_related(*presenter.related)
    if not records.ordered:
        records = records.order_by("pk")
    return records


def stored_figure(period, region, indicator):
    return IndicatorValue.objects.filter(period=period, region=region, indicator=indicator.code).first()


@dataclass
class RecordRow:
    title: str
    url: str = ""
    detail: str = ""
    region: str = ""
    date: object = None


@dataclass(frozen=True)
class Presenter:
    related: tuple
    row: object  # record -> RecordRow


def _url(name, pk):
    return reverse(name, kwargs={"pk": pk})


def _region_name(region):
    return region.full_name if region is not None else ""


def _enterprise(record):
    return RecordRow(record.name, _url("enterprises:detail", record.pk), record.credit_code, _region_name(record.region))


def _visit(record):
    detail = " · ".join(filter(None, [record.cadre.display_name, record.purpose]))
    return RecordRow(
        record.enterprise.name, _url("visits:detail", record.pk), detail, _region_name(record.region), record.visited_on
    )


def _official(record):
    return RecordRow(record.display_name, "", record.title, _region_name(record.region))


def _delivery(record):
    amount = f" · {record.amount}" if record.amount is not None else ""
    detail = f"{record.policy} · {record.get_support_type_display()}{amount}"
    return RecordRow(
        record.enterprise.name,
        _url("visits:detail", record.visit_id),
        detail,
        _region_name(record.region),
        record.visit.visited_on,
    )


def _problem(record):
    first_line = record.description.strip().splitlines()[0][:60] if record.description.strip() else ""
    return RecordRow(
        first_line or str(record.pk),
        _url("problems:detail", record.pk),
        f"{record.enterprise.name} · {record.get_status_display()}",
        _region_name(record.region),
        record.raised_on,
    )


def _verdict(record):
    problem = record.problem
    return RecordRow(
        problem.enterprise.name,
        _url("problems:detail", problem.pk),
        record.get_verdict_display(),
        _region_name(problem.region),
        record.at.date(),
    )


def _case(record):
    return RecordRow(record.title, _url("cases:detail", record.pk), record.get_status_display(), _region_name(record.region))


def _review(record):
    return RecordRow(
        str(record),
        _url("reviews:detail", record.pk),
        record.get_status_display(),
        _region_name(record.region),
        record.period_end,
    )


def _recommendation(record):
    return RecordRow(
        record.practice.title,
        _url("reviews:practice_detail", record.practice_id),
        "",
        _region_name(record.region),
        record.recommended_at.date(),
    )


def _presenters():
    from cases.models import Case
    from enterprises.models import Enterprise
    from problems.models import Problem, Verdict
    from reviews.models import Recommendation, Review
    from visits.models import PolicyDelivery, Visit

    return {
        Enterprise: Presenter(("region__parent",), _enterprise),
        Visit: Presenter(("enterprise", "region__parent", "cadre"), _visit),
        User: Presenter(("region__parent",), _official),
        PolicyDelivery: Presenter(("enterprise", "region__parent", "policy", "visit"), _delivery),
        Problem: Presenter(("enterprise", "region__parent"), _problem),
        Verdict: Presenter(("problem__enterprise", "problem__region__parent"), _verdict),
        Case: Presenter(("region__parent",), _case),
        Review: Presenter(("region__parent",), _review),
        Recommendation: Presenter(("practice", "region__parent"), _recommendation),
    }


PRESENTERS = _presenters()


def _region_period(record):
    url = _url("forums:detail", record.forum_id) if record.held else ""
    detail = _("Held") if record.held else _("No forum held")
    return RecordRow(f"{record.region.full_name} · {record.period.label}", url, str(detail), record.region.full_name)


def record_rows(records):
    """Rows of a page of records of any indicator."""
    rows = []
    for record in records:
        if isinstance(record, RegionPeriod):
            rows.append(_region_period(record))
            continue
        presenter = PRESENTERS.get(type(record))
        rows.append(presenter.row(record) if presenter else RecordRow(str(record)))
    return rows


# ---------------------------------------------------------------------------------------------------
# The home page's card


@dataclass
class HomeSummary:
    period: object
    region: object
    score: object  # the region's RegionScore, or None (the province has no score)
    lagging: list
    totals: list
    url: str

    @property
    def score_text(self):
        return format_number(None if self.score is None else self.score.score, Unit.RATIO)

    @property
    def rank_text(self):
        if self.score is None or self.score.rank_among_peers is None:
            return ""
        return f"{self.score.rank_among_peers}/{self.score.peers}"


def home_summary(region, *, lagging):
    """The latest open period's figures of `region` for the home page, with the `lagging` regions below it
    that score lowest; None when there is no period yet. A few queries, whatever the data size."""
    period = AssessmentPeriod.objects.open().order_by("-start").first() or AssessmentPeriod.objects.order_by("-start").first()
    if period is None:
        return None
    own_values = {stored.indicator: stored for stored in IndicatorValue.objects.filter(period=period, region=region)}
    score = RegionScore.objects.filter(period=period, region=region).first()
    behind = []
    if lagging:
        lowest = (
            RegionScore.objects.filter(period=period, region__parent_id=region.code, score__isnull=False)
            .select_related("region")
            .order_by("score", "region_id")[:lagging]
        )
        behind = [Row(score.region, score, None, [], url=region_url(period, score.region)) for score in lowest]
    totals = [
        Total(label, _total_text(own_values.get(code), part), records_url(period, region, BY_CODE[code], part))
        for code, part, label in KEY_TOTALS
    ]
    return HomeSummary(period, region, score, behind, totals, region_url(period, region))
