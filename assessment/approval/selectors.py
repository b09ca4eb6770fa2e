"""Reads of the approval pages: a region's stored figures, the regions below with their approval, the
history of the approval."""

from accounts.models import Region

from ..indicators import INDICATORS, Unit
from ..models import ApprovalEvent, ApprovalStatus, IndicatorValue, RegionApproval, RegionScore


class FigureRow:
    """One indicator's stored figure of a region, with what the page shows beside it."""

    def __init__(self, indicator, stored):
        self.indicator, self.stored = indicator, stored
        self.unit = Unit.LABELS[indicator.unit]

    @property
    def has_value(self):
        return self.stored is not None and self.stored.value is not None


def figure_rows(period, region):
    """The region's stored figures of `period`, in the catalogue's order (none before the first refresh)."""
    stored = {value.indicator: value for value in IndicatorValue.objects.filter(period=period, region=region)}
    return [FigureRow(indicator, stored.get(indicator.code)) for indicator in INDICATORS] if stored else []


def score_of(period, region):
    return RegionScore.objects.filter(period=period, region=region).select_related("scheme").first()


class RegionBelow:
    """A region below the one shown, with its approval's status (open when it has none yet)."""

    def __init__(self, region, approval):
        self.region = region
        self.approval = approval or RegionApproval(region=region)

    @property
    def status(self):
        return self.approval.status

    @property
    def is_accepted(self):
        return self.approval.status == ApprovalStatus.ACCEPTED


def regions_below(period, region):
    children = list(Region.objects.filter(parent=region).order_by("code"))
    approvals = {approval.region_id: approval for approval in RegionApproval.objects.filter(period=period, region__in=children)}
    return [RegionBelow(child, approvals.get(child.code)) for child in children]


def history(period, region):
    """The approval steps of `region` in `period`; on the province's page, the period's closes and reopenings too."""
    return ApprovalEvent.objects.filter(period=period, region=region).select_related("actor").order_by("-at", "-id")
