"""The assessment's indicators, one definition each.

An indicator names its records twice: the records of its numerator and of its denominator, for a
`Window` (the level assessed, and the days that count). Those two record sets are the whole definition:
`assessment.figures` counts them grouped by region to compute every figure in a few queries, and the
drill-down pages list the same querysets narrowed to one region, so a figure and the list behind it can
never disagree.

A record belongs to a region through its `region_key` (the record's own region column, a division code),
so "a region and the regions below it" is a `startswith` on that code, as in the fence. "The region's own
level" is the level of the region assessed: a county's liaison coverage counts county-level liaisons,
a city's city-level ones.

Indicators whose records are not rows of one table (forum compliance: region-periods; the median time to
close) define `compute` and `records` themselves, still from one source.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from statistics import median

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, RegionLevel, User
from cases.models import Case
from core.periods import period_containing
from enterprises.models import Enterprise, LiaisonAssignment
from enterprises.models import Status as EnterpriseStatus
from forums.cadence import cadences
from forums.models import Forum
from problems.models import ACCEPTING_VERDICTS, OPEN_STATES, Outcome, Problem, Verdict
from problems.workdays import WorkingCalendar
from reviews.models import Recommendation, Review, ReviewEventKind, ReviewStatus
from surveys.models import Answer as SurveyAnswer
from surveys.models import Receipt as SurveyReceipt
from surveys.models import Response as SurveyResponse
from surveys.selectors import confidence_index
from visits.models import PolicyDelivery, Visit, VisitStatus
from visits.plan.cadence import add_months, cadence_rules


class Unit:
    PERCENT = "percent"
    COUNT = "count"
    RATIO = "ratio"
    AMOUNT = "amount"
    DAYS = "days"
    INDEX = "index"

    LABELS = {
        PERCENT: _("%"),
        COUNT: _("records"),
        RATIO: _("per cadre"),
        AMOUNT: _("10,000 yuan"),
        DAYS: _("working days"),
        INDEX: _("points of 100"),
    }


HIGHER, LOWER = "higher", "lower"

# Region codes of each level are prefixes of this length: 37, 3701, 370102.
PREFIX_LENGTH = {RegionLevel.PROVINCE: 2, RegionLevel.CITY: 4, RegionLevel.COUNTY: 6}


@dataclass(frozen=True)
class Window:
    """What an indicator counts: the regions of `level` (their own liaisons, their cadence), and the days
    from `start` to `as_of` (the period's last day, or today while it is under way)."""

    level: str
    start: object
    as_of: object

    @property
    def first_moment(self):
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_moment(self):
        """The first moment after the window."""
        return timezone.make_aware(datetime.combine(self.as_of + timedelta(days=1), time.min))

    def moments(self, field_name):
        return {f"{field_name}__gte": self.first_moment, f"{field_name}__lt": self.end_moment}

    def days(self, field_name):
        return {f"{field_name}__gte": self.start, f"{field_name}__lte": self.as_of}


@dataclass(frozen=True)
class Figure:
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object
    definition: object  # numerator, denominator, what counts when: shown on every page of the indicator
    unit: str
    direction: str
    numerator_records: object = None  # Window -> queryset
    denominator_records: object = None  # Window -> queryset, or None for a count
    region_key: str = "region_id"
    amount_field: str = ""  # an AMOUNT sums this field of the numerator's records
    empty_reason: object = _("No records to count in this period.")

    @property
    def higher_is_better(self):
        return self.direction == HIGHER

    def records(self, window, region, *, part):
        """The numerator's or the denominator's records of `region` and the regions below it."""
        query = self.numerator_records if part == "numerator" else self.denominator_records
        if query is None:
            return None
        return query(window).filter(**{f"{self.region_lookup}__startswith": region.code_prefix})

    @property
    def region_lookup(self):
        """The region key as a lookup on the region's code ("problem__region__code"): a prefix cannot be
        looked up on a foreign key itself ("region_id__startswith" is refused); the code is the key the
        foreign key holds, so no join is added."""
        return f"{self.region_key.removesuffix('_id')}__code" if self.region_key.endswith("_id") else self.region_key

    def compute(self, window, regions):
        """{region code: Figure} for `regions` (all of `window.level`), in at most two grouped queries."""
        length = PREFIX_LENGTH[window.level]
        numerators = self._grouped(self.numerator_records(window), length, amount=bool(self.amount_field))
        denominators = self._grouped(self.denominator_records(window), length) if self.denominator_records else None
        figures = {}
        for region in regions:
            key = region.code[:length]
            numerator = Decimal(numerators.get(key, 0))
            denominator = None if denominators is None else Decimal(denominators.get(key, 0))
            figures[region.code] = Figure(numerator, denominator, self.value_of(numerator, denominator))
        return figures

    def _grouped(self, queryset, length, *, amount=False):
        rows = queryset.annotate(unit_code=Substr(self.region_key, 1, length)).values("unit_code").order_by()
        if amount:
            rows = rows.annotate(total=Sum(self.amount_field))
        else:
            rows = rows.annotate(total=Count("pk", distinct=True))
        return {row["unit_code"]: row["total"] or 0 for row in rows}

    def value_of(self, numerator, denominator):
        if self.unit in (Unit.COUNT, Unit.AMOUNT):
            return numerator
        if not denominator:
            return None
        ratio = numerator / denominator
        return ratio * 100 if self.unit == Unit.PERCENT else ratio


# ---------------------------------------------------------------------------------------------------
# The record sets


def _operating_enterprises(window):
    return Enterprise.objects.filter(status=EnterpriseStatus.OPERATING)


def _current_liaison(window):
    """A liaison of the window's level that is current on its last day."""
    return LiaisonAssignment.objects.filter(enterprise=OuterRef("pk"), level=window.level, started_on__lte=window.as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=window.as_of)
    )


def _covered_enterprises(window):
    return _operating_enterprises(window).filter(Exists(_current_liaison(window)))


def _cadence_start(window):
    """The earliest day whose next visit falls due no earlier than the window's last day: a visit since then
    keeps an enterprise within its cadence (not overdue, as the visit plan says) on that day, and a liaison
    started before it owes a visit by then. County liaisons visit quarterly, city ones half-yearly,
    provincial ones yearly, as configured in visits' CadenceRule."""
    months = cadence_rules()[window.level].interval_months
    day = add_months(window.as_of, -months)
    while add_months(day, months) < window.as_of:  # month ends: 30 Sep + 3 months is 30 Dec
        day += timedelta(days=1)
    while add_months(day - timedelta(days=1), months) >= window.as_of:
        day -= timedelta(days=1)
    return day


def _assigned_enterprises(window):
    """Operating enterprises owed a visit by the window's last day: their liaison of the window's level,
    current on that day, had been in place for a whole cadence interval (a liaison started last week owes
    nothing yet)."""
    owing = _current_liaison(window).filter(started_on__lt=_cadence_start(window))
    return _operating_enterprises(window).filter(Exists(owing))


def _visited_enterprises(window):
    """Of those, the ones visited (a submitted visit at the window's level) within the cadence interval that
    ends on the window's last day and inside the window: not overdue on that day."""
    since = max(window.start, _cadence_start(window))
    visited = Visit.objects.filter(
        enterprise=OuterRef("pk"),
        level=window.level,
        status=VisitStatus.SUBMITTED,
        visited_on__gte=since,
        visited_on__lte=window.as_of,
    )
    return _assigned_enterprises(window).filter(Exists(visited))


def _submitted_visits(window):
    return Visit.objects.filter(status=VisitStatus.SUBMITTED, level=window.level, **window.days("visited_on"))


def _visits_recorded_in_a_week(window):
    """Submitted visits first recorded (`created_at`, local day) at most seven days after the visit date."""
    return (
        _submitted_visits(window)
        .annotate(recorded_on=TruncDate("created_at"))
        .filter(recorded_on__lte=F("visited_on") + timedelta(days=7))
    )


def _liaison_cadres(window):
    """Officials with a liaison of the window's level current on its last day."""
    current = LiaisonAssignment.objects.filter(official=OuterRef("pk"), level=window.level, started_on__lte=window.as_of)
    current = current.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=window.as_of))
    return User.objects.filter(Exists(current))


def _visits_explaining_policies(window):
    explained = Visit.policies_explained.through.objects.filter(visit=OuterRef("pk"))
    return _submitted_visits(window).filter(Exists(explained))


def _deliveries(window):
    return PolicyDelivery.objects.filter(
        visit__status=VisitStatus.SUBMITTED, visit__level=window.level, **window.days("visit__visited_on")
    )


def _problems_with_outcome(window):
    return Problem.objects.filter(outcome__in=[Outcome.SOLVED, Outcome.EXPLAINED], **window.moments("outcome_at"))


def _problems_with_outcome_and_deadline(window):
    return _problems_with_outcome(window).filter(deadline__isnull=False)


def _problems_on_time(window):
    """Solved or explained on or before the deadline (the local day of the outcome)."""
    problems = _problems_with_outcome_and_deadline(window)
    return problems.annotate(outcome_on=TruncDate("outcome_at")).filter(outcome_on__lte=F("deadline"))


def _problems_raised(window):
    return Problem.objects.filter(**window.days("raised_on"))


def resolved_by_end(window):
    """What a problem meets when it was solved or explained by the window's last moment: a condition on the
    problem's own row, so a count grouped by cadre can filter with it instead of a subquery of every problem."""
    return Q(outcome__in=[Outcome.SOLVED, Outcome.EXPLAINED], outcome_at__lt=window.end_moment)


def _problems_raised_and_resolved(window):
    return _problems_raised(window).filter(resolved_by_end(window))


def _escalations(window):
    return Problem.objects.filter(**window.moments("escalated_at"))


def _escalations_answered(window):
    return _escalations(window).filter(escalation_decided_at__isnull=False, escalation_decided_at__lt=window.end_moment)


def _open_overdue(window):
    """Problems still open on the window's last day whose deadline had passed (a problem waiting on the
    enterprise is paused, so it is not overdue)."""
    from problems.models import CLOCK_STATES

    return Problem.objects.filter(status__in=CLOCK_STATES, deadline__lt=window.as_of).filter(status__in=OPEN_STATES)


def _verdicts(window):
    return Verdict.objects.filter(**window.moments("at"))


def _satisfied_verdicts(window):
    return _verdicts(window).filter(verdict__in=ACCEPTING_VERDICTS)


def _problems_answered_by_the_enterprise(window):
    """A verdict on the outcome that counts (its round): one given on an earlier solution of a problem
    since reopened judged other work."""
    answered = Verdict.objects.filter(problem=OuterRef("pk"), round=OuterRef("feedback_round"), at__lt=window.end_moment)
    return _problems_with_outcome(window).filter(Exists(answered))


def _cases_nominated(window):
    return Case.objects.filter(**window.moments("nominated_at"))


def _cases_published(window):
    return Case.objects.filter(**window.moments("published_at"))


def _reviews_of_periods_ended(window):
    """Reviews whose period ended in the window (started by their region, draft or not), with the day
    each was first submitted."""
    return (
        Review.objects.filter(**window.days("period_end"))
        .select_related("cadence")
        .annotate(first_submitted=Min("events__created_at", filter=Q(events__kind=ReviewEventKind.SUBMITTED)))
    )


def _submitted_by_due_date(review):
    due = review.period_end + timedelta(days=review.cadence.due_days)
    return review.first_submitted is not None and timezone.localtime(review.first_submitted).date() <= due


def _reviews_due(window):
    """Reviews of periods ended in the window that were due by its last day, or already submitted on time
    (a review not yet due and not yet submitted is not owed). A few hundred reviews a year province-wide:
    their due dates (period end + the cadence's days) are compared here, the same on every database."""
    owed = [
        review.pk
        for review in _reviews_of_periods_ended(window)
        if review.period_end + timedelta(days=review.cadence.due_days) <= window.as_of or _submitted_by_due_date(review)
    ]
    return Review.objects.filter(pk__in=owed)


def _reviews_on_time(window):
    on_time = [
        review.pk
        for review in _reviews_of_periods_ended(window).exclude(status=ReviewStatus.DRAFT)
        if _submitted_by_due_date(review)
    ]
    return Review.objects.filter(pk__in=on_time)


def _recommendations(window):
    return Recommendation.objects.filter(**window.moments("recommended_at"))


def _survey_receipts(window):
    """Confidence survey answers (their receipts: who answered, never what) of operating enterprises in the window."""
    return SurveyReceipt.objects.filter(enterprise__status=EnterpriseStatus.OPERATING, **window.days("answered_on"))


def _enterprises_answering_the_survey(window):
    """One receipt per enterprise that answered the survey in the window (its latest), so an enterprise answering
    each quarter of a year counts once."""
    later = _survey_receipts(window).filter(enterprise=OuterRef("enterprise"))
    same_day_later = Q(answered_on=OuterRef("answered_on"), pk__gt=OuterRef("pk"))
    later = later.filter(Q(answered_on__gt=OuterRef("answered_on")) | same_day_later)
    return _survey_receipts(window).exclude(Exists(later))


def _survey_responses(window):
    """Survey responses (no enterprise named) of the periods that began in the window."""
    return SurveyResponse.objects.filter(**window.days("period_start"))


# ---------------------------------------------------------------------------------------------------
# Indicators whose records are not one table's rows


@dataclass(frozen=True)
class RegionPeriod:
    """One forum period a region was required to hold a forum in, and the forum that counted, if any."""

    region: object
    period: object
    forum_id: int | None

    @property
    def held(self):
        return self.forum_id is not None

    def __str__(self):
        return f"{self.region.full_name} · {self.period.label}"


class ForumCompliance(Indicator):
    """Periods held with minutes over periods required, for a region and the regions below it.

    A period is required when it ended inside the window (the period under way is not yet owed); it is
    held when a forum of that region counting toward it (held, with minutes and attendance) took place.
    """

    def region_periods(self, window, regions):
        rules = cadences()
        forums = defaultdict(list)
        first = window.start - timedelta(days=366)
        counting = Forum.objects.counting().filter(starts_at__date__gte=first, starts_at__date__lte=window.as_of)
        for region_id, starts_at, pk in counting.values_list("region_id", "starts_at", "pk").order_by("starts_at"):
            forums[region_id].append((timezone.localtime(starts_at).date(), pk))
        rows = []
        for region in regions:
            months = rules[region.level].months
            period = period_containing(window.start, months)
            while period.end <= window.as_of:
                if period.end >= window.start:
                    held = next((pk for day, pk in forums[region.code] if period.contains(day)), None)
                    rows.append(RegionPeriod(region, period, held))
                period = period_containing(period.end + timedelta(days=1), months)
        return rows

    def records(self, window, region, *, part):
        below = Region.objects.filter(code__startswith=region.code_prefix).select_related("parent")
        rows = self.region_periods(window, below)
        return [row for row in rows if row.held] if part == "numerator" else rows

    def compute(self, window, regions):
        length = PREFIX_LENGTH[window.level]
        every = Region.objects.filter(code__startswith="37").select_related("parent")
        held, required = defaultdict(int), defaultdict(int)
        for row in self.region_periods(window, every):
            key = row.region.code[:length]
            required[key] += 1
            held[key] += row.held
        figures = {}
        for region in regions:
            key = region.code[:length]
            numerator, denominator = Decimal(held[key]), Decimal(required[key])
            figures[region.code] = Figure(numerator, denominator, self.value_of(numerator, denominator))
        return figures


class MedianDaysToClose(Indicator):
    """The median of working days from a problem's first dispatch to its solution or explanation, "
            "over the problems solved or explained in the period."
    an outcome in the window (the denominator's records; the numerator is the median itself)."""

    def compute(self, window, regions):
        length = PREFIX_LENGTH[window.level]
        calendar = WorkingCalendar.load()
        durations = defaultdict(list)
        rows = _problems_with_outcome(window).filter(dispatched_at__isnull=False)
        for region_id, dispatched_at, outcome_at in rows.values_list("region_id", "dispatched_at", "outcome_at"):
            start, end = timezone.localtime(dispatched_at).date(), timezone.localtime(outcome_at).date()
            durations[region_id[:length]].append(calendar.working_days_between(start, end))
        figures = {}
        for region in regions:
            days = durations.get(region.code[:length], [])
            value = Decimal(str(median(days))) if days else None
            figures[region.code] = Figure(value or Decimal(0), Decimal(len(days)), value)
        return figures

    def records(self, window, region, *, part):
        return _problems_with_outcome(window).filter(dispatched_at__isnull=False, region__code__startswith=region.code_prefix)


class ConfidenceIndex(Indicator):
    """The mean of the scale answers to the province's topic questions, 1-5 rescaled to 0-100
    (surveys.selectors.confidence_index), over the responses of the periods that began in the window; no value
    where fewer than SURVEY_MIN_GROUP enterprises answered, as on the survey's own pages. Numerator and
    denominator are both the responses (their records, naming no enterprise): the value is not their ratio."""

    def compute(self, window, regions):
        length = PREFIX_LENGTH[window.level]
        key = Substr("region_id", 1, length)
        responses = _survey_responses(window).annotate(unit_code=key).values("unit_code").order_by()
        counted = {row["unit_code"]: row["n"] for row in responses.annotate(n=Count("pk"))}
        answers = SurveyAnswer.objects.filter(score__isnull=False, **window.days("response__period_start")).exclude(
            question__topic=""
        )
        answers = answers.annotate(unit_code=key).values("unit_code").order_by()
        sums = {row["unit_code"]: (row["total"], row["n"]) for row in answers.annotate(total=Sum("score"), n=Count("pk"))}
        figures = {}
        for region in regions:
            code = region.code[:length]
            respondents = counted.get(code, 0)
            value = confidence_index(*sums.get(code, (0, 0))) if respondents >= settings.SURVEY_MIN_GROUP else None
            figures[region.code] = Figure(Decimal(respondents), Decimal(respondents), value)
        return figures

    def records(self, window, region, *, part):
        return _survey_responses(window).filter(region__code__startswith=region.code_prefix)


# ---------------------------------------------------------------------------------------------------
# The catalogue, in the order pages show it

INDICATORS = [
    Indicator(
        "liaison_coverage",
        _("Liaison coverage"),
        _(
            "Operating enterprises of the region that have a current liaison at the region's own level on the "
            "period's last day (or today), over all its operating enterprises."
        ),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_covered_enterprises,
        denominator_records=_operating_enterprises,
        empty_reason=_("The region has no operating enterprise on the register."),
    ),
    Indicator(
        "visit_coverage",
        _("Visit coverage"),
        _(
            "Enterprises owed a visit by a liaison of the region's own level (one in place for a whole cadence "
            "interval on the period's last day, or today) that were visited within that interval, so not overdue "
            "on that day, over the enterprises owed a visit."
        ),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_visited_enterprises,
        denominator_records=_assigned_enterprises,
        empty_reason=_("No enterprise has a liaison at this level."),
    ),
    Indicator(
        "visits_per_cadre",
        _("Visits per liaison cadre"),
        _(
            "Submitted visits of the region's level in the period, over the liaison assignments of that level "
            "current on the period's last day."
        ),
        Unit.RATIO,
        HIGHER,
        numerator_records=_submitted_visits,
        denominator_records=_liaison_cadres,
        empty_reason=_("No liaison is assigned at this level."),
    ),
    Indicator(
        "visits_recorded_in_a_week",
        _("Visits recorded within 7 days"),
        _("Submitted visits first recorded at most seven days after the visit date, over all submitted visits of the period."),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_visits_recorded_in_a_week,
        denominator_records=_submitted_visits,
        empty_reason=_("No visit was submitted in this period."),
    ),
    Indicator(
        "policies_explained",
        _("Visits that explained policies"),
        _("Submitted visits of the period in which at least one policy was explained to the enterprise."),
        Unit.COUNT,
        HIGHER,
        numerator_records=_visits_explaining_policies,
    ),
    Indicator(
        "support_delivered",
        _("Support delivered"),
        _("Support an enterprise obtained under a policy, recorded on a submitted visit of the period."),
        Unit.COUNT,
        HIGHER,
        numerator_records=_deliveries,
    ),
    Indicator(
        "support_amount",
        _("Amount of support delivered"),
        _("The amounts (10,000 yuan) of the support recorded on the submitted visits of the period."),
        Unit.AMOUNT,
        HIGHER,
        numerator_records=_deliveries,
        amount_field="amount",
    ),
    ForumCompliance(
        "forum_compliance",
        _("Forum compliance"),
        _(
            "Forum periods of the region and of every region below it that ended in the period with a forum held, "
            "minuted and attended, over the periods that ended in it (the province yearly, cities half-yearly, "
            "counties quarterly)."
        ),
        Unit.PERCENT,
        HIGHER,
        empty_reason=_("No forum period ended in this period yet."),
    ),
    Indicator(
        "problems_on_time",
        _("Problems closed within the deadline"),
        _(
            "Problems solved or explained in the period on or before their deadline, over those solved or "
            "explained with a deadline."
        ),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_problems_on_time,
        denominator_records=_problems_with_outcome_and_deadline,
        empty_reason=_("No problem with a deadline was solved or explained in this period."),
    ),
    Indicator(
        "problem_resolution",
        _("Problem resolution"),
        _("Problems raised in the period that were solved or explained by its last day, over the problems raised in it."),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_problems_raised_and_resolved,
        denominator_records=_problems_raised,
        empty_reason=_("No problem was raised in this period."),
    ),
    Indicator(
        "escalations_answered",
        _("Escalations answered by the province"),
        _("Problems escalated to the province in the period that the province has decided on, over those escalated."),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_escalations_answered,
        denominator_records=_escalations,
        empty_reason=_("No problem was escalated in this period."),
    ),
    MedianDaysToClose(
        "median_days_to_close",
        _("Median working days to close"),
        _(
            "The median of working days from a problem's first dispatch to its solution or explanation, "
            "over the problems solved or explained in the period."
        ),
        Unit.DAYS,
        LOWER,
        empty_reason=_("No dispatched problem was solved or explained in this period."),
    ),
    Indicator(
        "open_overdue",
        _("Open overdue problems"),
        _("Problems still open on the period's last day (or today) whose deadline had passed; fewer is better."),
        Unit.COUNT,
        LOWER,
        numerator_records=_open_overdue,
    ),
    Indicator(
        "satisfaction",
        _("Enterprise satisfaction"),
        _("Verdicts of the period that were satisfied or basically satisfied, over all verdicts given in it."),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_satisfied_verdicts,
        denominator_records=_verdicts,
        region_key="problem__region_id",
        empty_reason=_("No enterprise gave a verdict in this period."),
    ),
    Indicator(
        "verdict_response",
        _("Verdict response rate"),
        _("Problems solved or explained in the period on which the enterprise has given a verdict, over all of them."),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_problems_answered_by_the_enterprise,
        denominator_records=_problems_with_outcome,
        empty_reason=_("No problem was solved or explained in this period."),
    ),
    Indicator(
        "cases_nominated",
        _("Model cases nominated"),
        _("Model cases nominated in the period."),
        Unit.COUNT,
        HIGHER,
        numerator_records=_cases_nominated,
    ),
    Indicator(
        "cases_published",
        _("Model cases published"),
        _("Model cases published on the showcase in the period."),
        Unit.COUNT,
        HIGHER,
        numerator_records=_cases_published,
    ),
    Indicator(
        "reviews_on_time",
        _("Mechanism reviews submitted on time"),
        _(
            "Reviews whose period ended in the period that were first submitted by their due date, over those "
            "reviews that were due (or already submitted)."
        ),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_reviews_on_time,
        denominator_records=_reviews_due,
        empty_reason=_("No review of a period that ended in this period has been started."),
    ),
    Indicator(
        "practices_recommended",
        _("Practices recommended"),
        _("Recommendations, made in the period, of good practices of the region and the regions below it."),
        Unit.COUNT,
        HIGHER,
        numerator_records=_recommendations,
        region_key="practice__region_id",
    ),
    ConfidenceIndex(
        "confidence_index",
        _("Enterprise confidence index"),
        _(
            "The mean score of the confidence survey's topic questions answered in the periods that began in the period, "
            "rescaled from 1–5 to 0–100; shown only where at least the minimum number of enterprises answered."
        ),
        Unit.INDEX,
        HIGHER,
        empty_reason=_("Too few enterprises answered the confidence survey in this period to show their answers."),
    ),
    Indicator(
        "survey_response",
        _("Confidence survey response rate"),
        _("Operating enterprises that answered the confidence survey in the period, over all operating enterprises."),
        Unit.PERCENT,
        HIGHER,
        numerator_records=_enterprises_answering_the_survey,
        denominator_records=_operating_enterprises,
        empty_reason=_("The region has no operating enterprise on the register."),
    ),
]

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
CHOICES = [(indicator.code, indicator.name) for indicator in INDICATORS]


def indicator(code):
    """The indicator of `code`; KeyError for a code that is not in the catalogue."""
    return BY_CODE[code]
