"""The assessment (考核) of cities, counties and liaison cadres: periods, schemes, stored figures, scores
and the level-by-level approval that freezes them.

- An `AssessmentPeriod` is a year (or a half year): open while its figures may still change, closed by
  the province once every city has confirmed. Closing freezes its `IndicatorValue` and `RegionScore`
  rows: the nightly refresh leaves a closed period alone, so later edits of records cannot change it.
- A `Scheme` says which indicators count, with which weight, target and rule, for the cities (set by the
  province) or for the counties of one city (set by that city; without one the province's applies).
- `IndicatorValue` is the stored table the dashboards read: one row per (period, region, indicator),
  written by `assessment.figures.refresh_period` in grouped queries.
- `RegionApproval` is each region's step of the approval: confirmed by its own staff, accepted by the
  region above.

Indicators themselves are code, one definition each, in `assessment.indicators`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import PROVINCE_CODE, RegionScopedQuerySet
from accounts.models import Region, RegionLevel
from core.history import AuditedHistory


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    HALF = "half", _("Half year")


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment period", "Open")
    CLOSED = "closed", pgettext_lazy("assessment period", "Closed")


class AssessmentPeriodQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PeriodStatus.OPEN)

    def closed(self):
        return self.filter(status=PeriodStatus.CLOSED)


class AssessmentPeriod(models.Model):
    """A year or half year of the campaign that regions are assessed for. Periods are province-wide."""

    label = models.CharField(_("period"), max_length=10, unique=True, help_text=_("2026 or 2026H1."))
    kind = models.CharField(_("kind"), max_length=6, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=6, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_note = models.TextField(_("reason for closing early"), blank=True)
    refreshed_at = models.DateTimeField(_("figures computed"), null=True, blank=True)

    # Periods are province-wide; the nightly refresh of the figures is not a change anyone made.
    history = AuditedHistory(excluded_fields=["refreshed_at"], region=lambda row: PROVINCE_CODE)
    objects = AssessmentPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "label"]
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        permissions = [
            ("follow_assessment", _("Can follow the assessment of their region and the regions below")),
            ("approve_figures", _("Can confirm their region's figures and accept those of the regions below")),
            ("manage_schemes", _("Can set the assessment schemes of their region")),
            ("close_periods", _("Can close and reopen assessment periods")),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="assessment_period_order")]

    def __str__(self):
        return self.label

    @property
    def is_closed(self):
        return self.status == PeriodStatus.CLOSED

    @property
    def status_colour(self):
        return "secondary" if self.is_closed else "success"

    def as_of(self, today):
        """The last day whose records count: the period's end, or today while it is under way."""
        return min(self.end, today)


class Rule(models.TextChoices):
    LINEAR = "linear", _("In proportion up to the target, capped")
    THRESHOLD = "threshold", _("Full weight when the target is met, nothing otherwise")


class SchemeQuerySet(RegionScopedQuerySet):
    region_key = "owner__code"


class Scheme(models.Model):
    """Which indicators count for the regions of one level, in one period, and how.

    The province's scheme for cities, the province's default for counties, and optionally one scheme per
    city for its own counties (the campaign leaves that to each city).
    """

    period = models.ForeignKey(AssessmentPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="schemes")
    owner = models.ForeignKey(Region, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+")
    assessed_level = models.CharField(
        _("assesses"), max_length=10, choices=[(RegionLevel.CITY, _("Cities")), (RegionLevel.COUNTY, _("Counties"))]
    )
    name = models.CharField(_("name"), max_length=100)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    history = AuditedHistory(region=lambda row: row.owner_id)
    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["period", "owner", "assessed_level"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        constraints = [
            models.UniqueConstraint(fields=["period", "owner", "assessed_level"], name="assessment_scheme_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_locked(self):
        """A scheme of a closed period is part of a frozen assessment: copy it to change it."""
        return self.period.is_closed


class SchemeItem(models.Model):
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="items")
    indicator = models.CharField(_("indicator"), max_length=40)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    rule = models.CharField(_("scoring rule"), max_length=10, choices=Rule.choices, default=Rule.LINEAR)

    history = AuditedHistory(region=lambda row: _scheme_owner(row.scheme_id))

    class Meta:
        ordering = ["scheme", "id"]
        verbose_name = _("scheme indicator")
        verbose_name_plural = _("scheme indicators")
        constraints = [models.UniqueConstraint(fields=["scheme", "indicator"], name="assessment_scheme_item_unique")]

    def __str__(self):
        return f"{self.scheme} · {self.indicator}"


def _scheme_owner(scheme_id):
    """The region an item of a scheme belongs to: the scheme's (an item's history row is written while its
    scheme still exists, before the scheme's own when both are deleted)."""
    return Scheme.objects.filter(pk=scheme_id).values_list("owner_id", flat=True).first() or PROVINCE_CODE


class IndicatorValueQuerySet(RegionScopedQuerySet):
    pass


class IndicatorValue(models.Model):
    """One indicator's figure for one region (and the regions below it) in one period: the stored table the
    dashboards read. `value` is None when the denominator is zero (shown as "—" with the reason)."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("indicator"), max_length=40)
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=2)
    denominator = models.DecimalField(_("denominator"), max_digits=16, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["period", "region", "indicator"], name="assessment_value_unique"),
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="assessment_value_indicator")]

    def __str__(self):
        return f"{self.period} · {self.region_id} · {self.indicator}"


class RegionScoreQuerySet(RegionScopedQuerySet):
    pass


class RegionScore(models.Model):
    """A region's score (0–100) in a period under the scheme that applies to it, with its ranks."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="scores")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank_among_peers = models.PositiveIntegerField(_("rank among its peers"), null=True, blank=True)
    peers = models.PositiveIntegerField(_("peers"), default=0)
    rank_in_province = models.PositiveIntegerField(_("rank in the province"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    objects = RegionScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("region score")
        verbose_name_plural = _("region scores")
        constraints = [models.UniqueConstraint(fields=["period", "region"], name="assessment_score_unique")]

    def __str__(self):
        return f"{self.period} · {self.region_id} · {self.score}"


class ApprovalStatus(models.TextChoices):
    OPEN = "open", _("Not confirmed")
    CONFIRMED = "confirmed", _("Confirmed by the region")
    ACCEPTED = "accepted", _("Accepted by the region above")


class RegionApprovalQuerySet(RegionScopedQuerySet):
    pass


class RegionApproval(models.Model):
    """A region's figures of a period, confirmed by its own staff and accepted by the region above."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="approvals")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.OPEN)
    explanation = models.TextField(_("explanation of anomalies"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    objects = RegionApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [models.UniqueConstraint(fields=["period", "region"], name="assessment_approval_unique")]

    def __str__(self):
        return f"{self.period} · {self.region_id} · {self.status}"

    @property
    def status_colour(self):
        return {ApprovalStatus.OPEN: "warning", ApprovalStatus.CONFIRMED: "info", ApprovalStatus.ACCEPTED: "success"}[self.status]


class ApprovalEventKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    ACCEPTED = "accepted", _("Accepted")
    REOPENED = "reopened", pgettext_lazy("assessment figures", "Reopened")
    CLOSED = "closed", _("Period closed")
    PERIOD_REOPENED = "period_reopened", _("Period reopened")


class ApprovalEvent(models.Model):
    """One step of the approval, kept: who confirmed, accepted, closed or reopened, when, and why."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="events")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("step"), max_length=16, choices=ApprovalEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")

    def __str__(self):
        return f"{self.period} · {self.region_id} · {self.kind}"


class BulletinQuerySet(RegionScopedQuerySet):
    pass


class Bulletin(models.Model):
    """A progress bulletin (工作通报) of a region (the province or a city) for its period so far: what the
    page, the .xlsx table and the report show, kept as written so earlier bulletins stay readable."""

    period = models.ForeignKey(AssessmentPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="bulletins")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    issue = models.CharField(_("issue"), max_length=7, help_text=_("The month it reports on, for example 2026-11."))
    as_of = models.DateField(_("figures as of"))
    content = models.JSONField(_("content"), default=dict)
    workbook = models.FileField(_("table (.xlsx)"), upload_to="bulletins/%Y/%m/", blank=True)
    report = models.FileField(_("report (.docx)"), upload_to="bulletins/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "region_id"]
        verbose_name = _("progress bulletin")
        verbose_name_plural = _("progress bulletins")
        constraints = [models.UniqueConstraint(fields=["region", "issue"], name="assessment_bulletin_once_per_month")]

    def __str__(self):
        return f"{self.region_id} · {self.issue}"
