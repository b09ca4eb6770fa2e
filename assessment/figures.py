"""Computing the stored figures: every indicator for every region of a period, in grouped queries.

`refresh_period` computes, for each level (the province, its cities, their counties), each indicator of
the catalogue with at most a few grouped queries over the whole province (never a query per region or
per record), then writes the `IndicatorValue` rows and the `RegionScore` rows that the dashboards read.
A closed period is never refreshed: its rows are the frozen assessment.

`live_figures` computes one region's figures without storing them: the drill-down pages and the list of
figures "changed after close" compare them with the stored ones.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Region, RegionLevel

from .indicators import BY_CODE, INDICATORS, Window
from .models import IndicatorValue, RegionScore, Scheme
from .scoring import competition_ranks, contribution, score_of

LEVELS = [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY]
FOUR_PLACES = Decimal("0.0001")


def window_of(period, level, *, today):
    return Window(level=level, start=period.start, as_of=period.as_of(today))


def _rounded(number, places=Decimal("0.01")):
    return None if number is None else Decimal(number).quantize(places)


def compute_values(period, *, today, progress=None):
    """Every (region, indicator) figure of `period`, as unsaved IndicatorValue rows."""
    rows, now = [], timezone.now()
    steps = len(LEVELS) * len(INDICATORS)
    done = 0
    for level in LEVELS:
        regions = list(Region.objects.filter(level=level))
        window = window_of(period, level, today=today)
        for indicator in INDICATORS:
            for code, figure in indicator.compute(window, regions).items():
                rows.append(
                    IndicatorValue(
                        period=period,
                        region_id=code,
                        indicator=indicator.code,
                        numerator=_rounded(figure.numerator),
                        denominator=_rounded(figure.denominator),
                        value=_rounded(figure.value, FOUR_PLACES),
                        computed_at=now,
                    )
                )
            done += 1
            if progress:
                progress(done, steps)
    return rows


def schemes_by_region(period, regions):
    """{region code: the scheme that assesses it} for the cities and counties of `regions`: a county is
    assessed by its city's scheme for counties, else by the province's; a city by the province's."""
    schemes = list(Scheme.objects.filter(period=period).prefetch_related("items").select_related("owner"))
    province = {scheme.assessed_level: scheme for scheme in schemes if scheme.owner.level == RegionLevel.PROVINCE}
    by_city = {
        scheme.owner_id: scheme
        for scheme in schemes
        if scheme.assessed_level == RegionLevel.COUNTY and scheme.owner.level == RegionLevel.CITY
    }
    found = {}
    for region in regions:
        if region.level == RegionLevel.CITY and RegionLevel.CITY in province:
            found[region.code] = province[RegionLevel.CITY]
        elif region.level == RegionLevel.COUNTY:
            scheme = by_city.get(region.parent_id) or province.get(RegionLevel.COUNTY)
            if scheme is not None:
                found[region.code] = scheme
    return found


def _contribution(item, figures):
    return contribution(item, figures.get(item.indicator), higher_is_better=BY_CODE[item.indicator].higher_is_better)


def compute_scores(period, values):
    """RegionScore rows (unsaved) of every city and county with a scheme, with their ranks."""
    regions = list(Region.objects.filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY]))
    schemes = schemes_by_region(period, regions)
    by_region = {}
    for value in values:
        by_region.setdefault(value.region_id, {})[value.indicator] = value.value
    scores = {}
    for region in regions:
        scheme = schemes.get(region.code)
        if scheme is None:
            continue
        figures = by_region.get(region.code, {})
        pairs = [
            (
                item.weight,
                contribution(item, figures.get(item.indicator), higher_is_better=BY_CODE[item.indicator].higher_is_better),
            )
            for item in scheme.items.all()
            if item.indicator in BY_CODE
        ]
        scores[region.code] = (region, scheme, score_of(pairs))
    cities = {code: score for code, (region, _scheme, score) in scores.items() if region.level == RegionLevel.CITY}
    counties = {code: score for code, (region, _scheme, score) in scores.items() if region.level == RegionLevel.COUNTY}
    city_ranks = competition_ranks(cities)
    province_ranks = competition_ranks(counties)
    within_city = {}
    for parent in {region.parent_id for region, _scheme, _score in scores.values() if region.level == RegionLevel.COUNTY}:
        siblings = {
            code: counties[code] for code, (region, _s, _c) in scores.items() if region.parent_id == parent and code in counties
        }
        within_city.update({code: (rank, len(siblings)) for code, rank in competition_ranks(siblings).items()})
        within_city.update({code: (None, len(siblings)) for code in siblings if code not in within_city})
    now, rows = timezone.now(), []
    for code, (region, scheme, score) in scores.items():
        if region.level == RegionLevel.CITY:
            rank, peers, province_rank = city_ranks.get(code), len(cities), city_ranks.get(code)
        else:
            rank, peers = within_city.get(code, (None, 0))
            province_rank = province_ranks.get(code)
        rows.append(
            RegionScore(
                period=period,
                region_id=code,
                scheme=scheme,
                score=score,
                rank_among_peers=rank,
                peers=peers,
                rank_in_province=province_rank,
                computed_at=now,
            )
        )
    return rows


def refresh_period(period, *, today=None, progress=None):
    """Recompute and store every figure and score of an open `period`; a closed one is left as frozen.
    Returns the number of figures written."""
    if period.is_closed:
        return 0
    today = today or timezone.localdate()
    values = compute_values(period, today=today, progress=progress)
    scores = compute_scores(period, values)
    with transaction.atomic():
        locked = type(period).objects.select_for_update().get(pk=period.pk)
        if locked.is_closed:  # closed while we computed: the frozen rows stay as they were
            return 0
        IndicatorValue.objects.filter(period=period).delete()
        IndicatorValue.objects.bulk_create(values, batch_size=1000)
        RegionScore.objects.filter(period=period).delete()
        RegionScore.objects.bulk_create(scores, batch_size=1000)
        locked.refreshed_at = timezone.now()
        locked.save(update_fields=["refreshed_at"])
    return len(values)


def live_figures(period, region, *, today=None):
    """{indicator code: Figure} of `region` computed now from the records (not stored)."""
    window = window_of(period, region.level, today=today or timezone.localdate())
    return {indicator.code: indicator.compute(window, [region])[region.code] for indicator in INDICATORS}


def changed_after_close(period, region, *, today=None):
    """The indicators of a closed period whose figure for `region`, computed from today's records, differs
    from the frozen one: [(indicator, frozen IndicatorValue, live Figure)]."""
    frozen = {value.indicator: value for value in IndicatorValue.objects.filter(period=period, region=region)}
    changes = []
    for code, figure in live_figures(period, region, today=today).items():
        stored = frozen.get(code)
        if stored is None:
            continue
        if _rounded(figure.numerator) != stored.numerator or _rounded(figure.denominator) != stored.denominator:
            changes.append((BY_CODE[code], stored, figure))
    return changes
