"""Reads of the stored figures that the bulletins, the assessment table and the printable report share.

Everything here reads the stored table (`IndicatorValue`, `RegionScore`), never the records: a fixed
number of queries whatever the number of regions. Scores and contributions come from assessment.scoring,
so a report shows the same points the stored score was computed from.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

from accounts.models import Region, RegionLevel
from notifications.texts import Text

from ..figures import schemes_by_region
from ..indicators import BY_CODE, INDICATORS, Unit
from ..models import AssessmentPeriod, IndicatorValue, RegionScore
from ..scoring import attainment, contribution

TWO_PLACES = Decimal("0.01")
# How many regions a bulletin names as behind, and how many of their weakest indicators it gives.
BEHIND_COUNT = 3
WEAKEST_COUNT = 2


def shown_value(unit, value):
    """A figure as the pages print it: "85.3%", "2.40", "12"; "—" when there is no value."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if unit == Unit.PERCENT:
        return f"{number.quantize(Decimal('0.1'))}%"
    if unit == Unit.COUNT:
        return f"{number.quantize(Decimal('1'))}"
    return f"{number.quantize(TWO_PLACES)}"


def as_number(value):
    """A stored Decimal as a plain number for JSON and spreadsheets (None stays None)."""
    if value is None:
        return None
    number = Decimal(value).quantize(TWO_PLACES)
    return int(number) if number == number.to_integral_value() else float(number)


def previous_period(period):
    """The period of the same kind that ended last before `period` started, or None."""
    return AssessmentPeriod.objects.filter(kind=period.kind, end__lt=period.start).order_by("-end").first()


def peers_below(region):
    """The regions a bulletin of `region` ranks: the cities for the province, a city's counties."""
    below = RegionLevel.CITY if region.level == RegionLevel.PROVINCE else RegionLevel.COUNTY
    return list(Region.objects.filter(parent=region, level=below).select_related("parent").order_by("code"))


@dataclass
class Line:
    """One indicator of a region's report: its stored figure, the scheme's item, and the points it adds."""

    indicator: object
    value: object  # IndicatorValue or None
    item: object  # SchemeItem or None
    points: object  # Decimal or None

    @property
    def shown(self):
        return shown_value(self.indicator.unit, self.value.value if self.value else None)

    @property
    def has_value(self):
        return self.value is not None and self.value.value is not None

    @property
    def shown_target(self):
        return shown_value(self.indicator.unit, self.item.target) if self.item else ""

    @property
    def empty_reason(self):
        return "" if self.has_value else self.indicator.empty_reason


def region_report(period, region):
    """What the printable report of `region` shows: its score and ranks, and every indicator's value,
    target and contribution (the scheme's indicators first)."""
    score = RegionScore.objects.filter(period=period, region=region).select_related("scheme").first()
    scheme = score.scheme if score else schemes_by_region(period, [region]).get(region.code)
    items = {item.indicator: item for item in scheme.items.all()} if scheme else {}
    values = {value.indicator: value for value in IndicatorValue.objects.filter(period=period, region=region)}
    lines = []
    for indicator in INDICATORS:
        value, item = values.get(indicator.code), items.get(indicator.code)
        points = None
        if item is not None:
            points = contribution(item, value.value if value else None, higher_is_better=indicator.higher_is_better)
        lines.append(Line(indicator, value, item, None if points is None else points.quantize(TWO_PLACES)))
    order = list(items)
    lines.sort(key=lambda line: order.index(line.indicator.code) if line.indicator.code in items else len(order))
    return {
        "score": score,
        "scheme": scheme,
        "scored": [line for line in lines if line.item],
        "unscored": [line for line in lines if not line.item],
    }


def ranking_of(period, regions):
    """[(region, RegionScore or None)] of `regions`, best first, regions without a score last."""
    scores = {score.region_id: score for score in RegionScore.objects.filter(period=period, region__in=regions)}
    rows = [(region, scores.get(region.code)) for region in regions]

    def order(row):
        region, score = row
        rank = score.rank_among_peers if score else None
        return (rank is None, rank or 0, region.code)

    rows.sort(key=order)
    return rows


def table_rows(period, user):
    """The assessment table of `period` for `user`: every region of their fence with a stored figure, in
    code order (a city before its counties), as (region, RegionScore or None, {indicator: IndicatorValue})."""
    values = {}
    for value in IndicatorValue.objects.visible_to(user).filter(period=period):
        values.setdefault(value.region_id, {})[value.indicator] = value
    scores = {score.region_id: score for score in RegionScore.objects.visible_to(user).filter(period=period)}
    regions = Region.objects.filter(code__in=set(values) | set(scores)).select_related("parent").order_by("code")
    return [(region, scores.get(region.code), values.get(region.code, {})) for region in regions]


def _figure(value):
    if value is None:
        return {"numerator": None, "denominator": None, "value": None}
    return {"numerator": as_number(value.numerator), "denominator": as_number(value.denominator), "value": as_number(value.value)}


def bulletin_content(period, region, *, as_of):
    """The content of `region`'s bulletin of `period` as of `as_of`, as JSON-ready data: its own totals, the
    ranking of the regions below, the regions behind (with their weakest indicators) and the best results.
    Names are stored as written; the pages link each region to its report."""
    own = {value.indicator: value for value in IndicatorValue.objects.filter(period=period, region=region)}
    peers = peers_below(region)
    ranked = ranking_of(period, peers)
    peer_values = {}
    for value in IndicatorValue.objects.filter(period=period, region__in=peers):
        peer_values.setdefault(value.region_id, {})[value.indicator] = value
    schemes = schemes_by_region(period, peers)
    scheme = next(iter(schemes.values()), None)
    items = list(scheme.items.all()) if scheme else []
    earlier = previous_period(period)
    previous = {}
    if earlier is not None:
        previous = dict(RegionScore.objects.filter(period=earlier, region__in=peers).values_list("region_id", "score"))
    ranking = [
        {
            "code": peer.code,
            "name": peer.name,
            "score": as_number(score.score) if score else None,
            "rank": score.rank_among_peers if score else None,
            "peers": score.peers if score else len(peers),
            "previous_score": as_number(previous.get(peer.code)),
            "values": {item.indicator: as_number(_value_of(peer_values, peer.code, item.indicator)) for item in items},
        }
        for peer, score in ranked
    ]
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "period": {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "as_of": as_of.isoformat(),
        "computed_at": period.refreshed_at.isoformat() if period.refreshed_at else None,
        "scheme": {
            "name": scheme.name if scheme else "",
            "items": [
                {"indicator": item.indicator, "weight": as_number(item.weight), "target": as_number(item.target)}
                for item in items
            ],
        },
        "totals": [
            {"indicator": indicator.code, "name": str(indicator.name), **_figure(own.get(indicator.code))}
            for indicator in INDICATORS
        ],
        "ranking": ranking,
        "behind": _behind(ranking, items, peer_values),
        "best": _best(peers, items, peer_values),
    }


def _value_of(values, code, indicator):
    found = values.get(code, {}).get(indicator)
    return found.value if found else None


def _behind(ranking, items, peer_values):
    """The last third of the ranked regions (at least one, at most BEHIND_COUNT; none when fewer than two are
    ranked), each with the scheme's indicators on which it reached the least of its target."""
    ranked = [row for row in ranking if row["rank"] is not None]
    if len(ranked) < 2:
        return []
    count = max(1, min(BEHIND_COUNT, len(ranked) // 3))
    behind = []
    for row in ranked[-count:]:
        reached = []
        for item in items:
            value = _value_of(peer_values, row["code"], item.indicator)
            indicator = BY_CODE.get(item.indicator)
            if value is None or indicator is None:
                continue
            share = attainment(value, item.target, higher_is_better=indicator.higher_is_better, rule=item.rule)
            if share < 1:
                reached.append((share, item, value))
        reached.sort(key=lambda entry: (entry[0], entry[1].indicator))
        behind.append(
            {
                "code": row["code"],
                "name": row["name"],
                "score": row["score"],
                "rank": row["rank"],
                "weakest": [
                    {"indicator": item.indicator, "value": as_number(value), "target": as_number(item.target)}
                    for _share, item, value in reached[:WEAKEST_COUNT]
                ],
            }
        )
    return behind


def _best(peers, items, peer_values):
    """For each indicator of the scheme, the best value among the regions below and who reached it."""
    best = []
    for item in items:
        indicator = BY_CODE.get(item.indicator)
        if indicator is None:
            continue
        found = [(peer, _value_of(peer_values, peer.code, item.indicator)) for peer in peers]
        found = [(peer, value) for peer, value in found if value is not None]
        if not found:
            continue
        pick = max if indicator.higher_is_better else min
        top = pick(value for _peer, value in found)
        best.append(
            {
                "indicator": item.indicator,
                "value": as_number(top),
                "regions": [{"code": peer.code, "name": peer.name} for peer, value in found if value == top],
            }
        )
    return best


def bulletin_summary(content):
    """One sentence about where a bulletin's region stands, for the notice: its peers' count and the best
    (a message, put into the notice's reader's language when read)."""
    ranking = content.get("ranking") or []
    scored = [row for row in ranking if row.get("score") is not None]
    if not scored:
        return Text(gettext_lazy("No region below has a score yet."))
    first = scored[0]
    return Text(
        gettext_lazy("%(count)s regions ranked; first: %(name)s with %(score)s."),
        count=len(scored),
        name=first["name"],
        score=first["score"],
    )


def indicator_name(code, stored=""):
    """An indicator's name in the reader's language; a bulletin's stored name for a code no longer known."""
    indicator = BY_CODE.get(code)
    return indicator.name if indicator else (stored or code)


def _unit(code):
    indicator = BY_CODE.get(code)
    return indicator.unit if indicator else Unit.COUNT


def _change(row):
    if row.get("score") is None or row.get("previous_score") is None:
        return None
    return as_number(Decimal(str(row["score"])) - Decimal(str(row["previous_score"])))


def readable(content):
    """A bulletin's stored content as the rows its page, its table and its report print (names in the
    reader's language, values formatted with their unit)."""
    items = (content.get("scheme") or {}).get("items") or []
    columns = [
        {
            "code": item["indicator"],
            "name": indicator_name(item["indicator"]),
            "unit": str(Unit.LABELS.get(_unit(item["indicator"]), "")),
            "weight": item.get("weight"),
            "target": shown_value(_unit(item["indicator"]), item.get("target")),
        }
        for item in items
    ]
    totals = [
        {
            "code": row["indicator"],
            "name": indicator_name(row["indicator"], row.get("name", "")),
            "unit": str(Unit.LABELS.get(_unit(row["indicator"]), "")),
            "shown": shown_value(_unit(row["indicator"]), row.get("value")),
            "value": row.get("value"),
            "numerator": row.get("numerator"),
            "denominator": row.get("denominator"),
        }
        for row in content.get("totals") or []
    ]
    ranking = [
        {
            **row,
            "change": _change(row),
            "shown": [shown_value(_unit(column["code"]), (row.get("values") or {}).get(column["code"])) for column in columns],
            "numbers": [(row.get("values") or {}).get(column["code"]) for column in columns],
        }
        for row in content.get("ranking") or []
    ]
    behind = [
        {
            **row,
            "weakest": [
                {
                    "name": indicator_name(entry["indicator"]),
                    "shown": shown_value(_unit(entry["indicator"]), entry.get("value")),
                    "target": shown_value(_unit(entry["indicator"]), entry.get("target")),
                }
                for entry in row.get("weakest") or []
            ],
        }
        for row in content.get("behind") or []
    ]
    best = [
        {
            "name": indicator_name(row["indicator"]),
            "shown": shown_value(_unit(row["indicator"]), row.get("value")),
            "regions": row.get("regions") or [],
        }
        for row in content.get("best") or []
    ]
    return {
        "region": content.get("region") or {},
        "period": content.get("period") or {},
        "as_of": content.get("as_of", ""),
        "scheme_name": (content.get("scheme") or {}).get("name", ""),
        "columns": columns,
        "totals": totals,
        "ranking": ranking,
        "behind": behind,
        "best": best,
    }
