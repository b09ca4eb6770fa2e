"""Forum cadences: which calendar period (core.periods) a region's forum counts toward.

The cadence per level is data (`ForumCadence`); a level whose rule an administrator deleted keeps the
campaign's default rather than dropping out of compliance.
"""

from accounts.models import RegionLevel
from core.periods import period_containing

# The campaign's defaults, the same as the data migration seeds (forums/migrations/0002).
DEFAULT_MONTHS = {RegionLevel.PROVINCE: 12, RegionLevel.CITY: 6, RegionLevel.COUNTY: 3}
DEFAULT_LEAD_DAYS = [30, 7]


def cadences():
    """Each level's ForumCadence, read in one query; a missing level gets the campaign's default."""
    from .models import ForumCadence

    rules = {level: ForumCadence(level=level, months=months, lead_days="30,7") for level, months in DEFAULT_MONTHS.items()}
    rules.update((rule.level, rule) for rule in ForumCadence.objects.all())
    return rules


def period_of(level, day, *, rules=None):
    """The period of a region of `level` that holds `day`, by the configured cadence.

    Pass `rules` (from `cadences()`) when asking for many regions, so the rules are read once.
    """
    rules = cadences() if rules is None else rules
    return period_containing(day, rules[level].months)
