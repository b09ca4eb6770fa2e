"""Scores and ranks: plain functions of the stored figures and a scheme, with names that say what they do.

- An item's contribution is its weight times how far the value reaches the target: in proportion and
  capped at the target (`linear`), or all or nothing (`threshold`). For an indicator where lower is better
  the ratio is turned round (target / value).
- A region's score is the sum of its contributions over the weights of the items that have a value, on
  100: an indicator with nothing to count in a region (a zero denominator) neither helps nor hurts it.
- Ranks are "standard competition" ranks: equal scores share a rank and the next rank skips (1, 2, 2, 4).
"""

from decimal import ROUND_HALF_UP, Decimal

from .models import Rule

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def attainment(value, target, *, higher_is_better, rule):
    """How far `value` reaches `target`, from 0 to 1; None when there is no value."""
    if value is None:
        return None
    value, target = Decimal(value), Decimal(target)
    if rule == Rule.THRESHOLD:
        met = value >= target if higher_is_better else value <= target
        return Decimal(1) if met else Decimal(0)
    if higher_is_better:
        return min(value / target, Decimal(1)) if value > 0 else Decimal(0)
    if value <= target:
        return Decimal(1)
    return target / value


def contribution(item, value, *, higher_is_better):
    """The points `item` (weight, target, rule) adds for `value`; None when there is no value."""
    reached = attainment(value, item.target, higher_is_better=higher_is_better, rule=item.rule)
    return None if reached is None else (item.weight * reached)


def score_of(contributions):
    """A score from 0 to 100 from (weight, contribution or None) pairs; None when nothing could be scored."""
    counted = [(weight, points) for weight, points in contributions if points is not None]
    total_weight = sum((weight for weight, _points in counted), Decimal(0))
    if not total_weight:
        return None
    points = sum((points for _weight, points in counted), Decimal(0))
    return (points / total_weight * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def competition_ranks(scores):
    """{key: rank} for {key: score}; equal scores share a rank (1, 2, 2, 4); a None score has no rank."""
    ordered = sorted((score, key) for key, score in scores.items() if score is not None)
    ordered.reverse()
    ranks, previous, rank = {}, None, 0
    for position, (score, key) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks
