"""The survey's results, read in a fixed number of grouped queries whatever the number of answers.

A group (a region below the one read, an industry, a size) shows its answers only when at least
`SURVEY_MIN_GROUP` enterprises answered in it; a smaller one shows how many answered and nothing of
what. The response rate is the enterprises that answered over the region's operating enterprises on the
register (not only those with a door link: an enterprise without one is the liaison cadre's to invite).
The confidence index is the mean of the scale answers to the province's topic questions, rescaled from
1-5 to 0-100.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Sum
from django.db.models.functions import Substr

from accounts.access import region_code_prefix
from accounts.models import Region, RegionLevel
from core.periods import recent_periods
from enterprises.models import Enterprise, Industry, Size
from enterprises.models import Status as EnterpriseStatus

from .models import SCALE_MIN, Answer, Question, Response

BY_REGION, BY_INDUSTRY, BY_SIZE = "region", "industry", "size"
GROUPINGS = (BY_REGION, BY_INDUSTRY, BY_SIZE)
TREND_PERIODS = 4
COMMENTS_SHOWN = 200
HUNDRED = Decimal(100)


def min_group():
    return settings.SURVEY_MIN_GROUP


def confidence_index(total, count):
    """The mean of `count` scale answers summing to `total`, from 1-5 to 0-100; None without answers."""
    if not count:
        return None
    mean = Decimal(total) / Decimal(count)
    return ((mean - SCALE_MIN) * HUNDRED / 4).quantize(Decimal("0.1"))


def mean_of(total, count):
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01")) if count else None


@dataclass
class Group:
    key: str
    label: str
    region_code: str | None = None  # a region's row: the region to read next
    respondents: int = 0
    enterprises: int = 0
    means: list = field(default_factory=list)  # one per scale question (None when hidden or unanswered)
    index: Decimal | None = None

    @property
    def is_shown(self):
        return self.respondents >= min_group()

    @property
    def rate(self):
        if not self.enterprises:
            return None
        return (Decimal(self.respondents) * HUNDRED / Decimal(self.enterprises)).quantize(Decimal("0.1"))


@dataclass
class Results:
    region: Region
    period: object
    by: str
    questions: list
    groups: list
    total: Group
    trend: list  # [(period label, respondents, index or None)]
    min_group: int

    @property
    def up_code(self):
        """The region above the one read, below the province: the page's "up one level"."""
        return self.region.parent_id if self.region.level != RegionLevel.PROVINCE else None


def _group_key(by, length, prefix=""):
    """The expression grouping a row by `by`: the first `length` digits of its region code, its industry or size."""
    if by == BY_REGION:
        return Substr(f"{prefix}region_id", 1, length)
    return F(f"{prefix}{'industry_id' if by == BY_INDUSTRY else 'size'}")


def _region_rows(region):
    """The regions a region's results are broken into (its children; a county is its own row), with the length
    of the code prefix they share."""
    if region.level == RegionLevel.COUNTY:
        return [(region.code, region.name, None)], 6
    length = 4 if region.level == RegionLevel.PROVINCE else 6
    children = Region.objects.filter(parent=region).order_by("code")
    return [(child.code[:length], child.name, child.code) for child in children], length


def _labels(by, region):
    if by == BY_REGION:
        return _region_rows(region)
    if by == BY_INDUSTRY:
        return [(industry.code, f"{industry.code} {industry.name_zh}", None) for industry in Industry.objects.all()], None
    return [(value, str(label), None) for value, label in Size.choices], None


def _scores(answers, key):
    """{(group key, question id): (sum, count)} of the scale answers."""
    rows = answers.filter(score__isnull=False).annotate(group=key).values("group", "question_id").order_by()
    return {
        (row["group"], row["question_id"]): (row["total"], row["n"]) for row in rows.annotate(total=Sum("score"), n=Count("pk"))
    }


def results(*, questionnaire, period, region, by=BY_REGION):
    """The results of `period` in `region` (and below), grouped `by` region, industry or size."""
    prefix = region_code_prefix(region.code)
    labels, length = _labels(by, region)
    responses = Response.objects.filter(questionnaire=questionnaire, period=period.label, region__code__startswith=prefix)
    answers = Answer.objects.filter(
        response__questionnaire=questionnaire, response__period=period.label, response__region__code__startswith=prefix
    )
    enterprises = Enterprise.objects.filter(status=EnterpriseStatus.OPERATING, region__code__startswith=prefix)

    key = _group_key(by, length)
    respondents = {
        row["group"]: row["n"] for row in responses.annotate(group=key).values("group").order_by().annotate(n=Count("pk"))
    }
    registered = {
        row["group"]: row["n"] for row in enterprises.annotate(group=key).values("group").order_by().annotate(n=Count("pk"))
    }
    scores = _scores(answers, _group_key(by, length, "response__"))
    question_ids = sorted({question_id for _group, question_id in scores})
    questions = list(Question.objects.filter(pk__in=question_ids).order_by("order", "pk"))
    topics = {question.pk for question in questions if question.topic}

    def group(code, label, counted, enterprise_count, sums, region_code=None):
        found = Group(code, label, region_code, respondents=counted, enterprises=enterprise_count)
        if found.is_shown:
            found.means = [mean_of(*sums.get(question.pk, (0, 0))) for question in questions]
            topic_sums = [sums[pk] for pk in topics if pk in sums]
            found.index = confidence_index(sum(total for total, _n in topic_sums), sum(n for _total, n in topic_sums))
        else:
            found.means = [None for _question in questions]
        return found

    groups = []
    for code, label, region_code in labels:
        sums = {question_id: value for (group_key, question_id), value in scores.items() if group_key == code}
        groups.append(group(code, label, respondents.get(code, 0), registered.get(code, 0), sums, region_code))
    every = {}
    for (_group, question_id), (total, n) in scores.items():
        before = every.get(question_id, (0, 0))
        every[question_id] = (before[0] + total, before[1] + n)
    total = group(prefix, region.name, sum(respondents.values()), sum(registered.values()), every)
    return Results(region, period, by, questions, groups, total, _trend(questionnaire, period, prefix), min_group())


def _trend(questionnaire, period, prefix):
    """The confidence index of the region over the periods up to `period`, hidden where fewer answered."""
    periods = recent_periods(period.start, questionnaire.months, TREND_PERIODS)
    labels = [each.label for each in periods]
    responses = Response.objects.filter(questionnaire=questionnaire, period__in=labels, region__code__startswith=prefix)
    counted = {row["period"]: row["n"] for row in responses.values("period").order_by().annotate(n=Count("pk"))}
    answers = Answer.objects.filter(
        response__questionnaire=questionnaire,
        response__period__in=labels,
        response__region__code__startswith=prefix,
        score__isnull=False,
    ).exclude(question__topic="")
    sums = {
        row["response__period"]: (row["total"], row["n"])
        for row in answers.values("response__period").order_by().annotate(total=Sum("score"), n=Count("pk"))
    }
    trend = []
    for label in labels:
        respondents = counted.get(label, 0)
        index = confidence_index(*sums.get(label, (0, 0))) if respondents >= min_group() else None
        trend.append((label, respondents, index))
    return trend


def readable_comments(*, questionnaire, period, region):
    """The comments of `period` in `region` that staff may read: those of counties where at least
    SURVEY_MIN_GROUP enterprises answered, never with who wrote them, in the order of their region and text."""
    prefix = region_code_prefix(region.code)
    responses = Response.objects.filter(questionnaire=questionnaire, period=period.label, region__code__startswith=prefix)
    counties = [
        row["region_id"] for row in responses.values("region_id").order_by().annotate(n=Count("pk")) if row["n"] >= min_group()
    ]
    return (
        Answer.objects.filter(
            response__questionnaire=questionnaire, response__period=period.label, response__region_id__in=counties
        )
        .exclude(comment="")
        .select_related("response__region", "question", "problem")
        .order_by("response__region_id", "comment")[:COMMENTS_SHOWN]
    )


def comment_is_readable(answer):
    """Whether staff may read this comment: its county had at least SURVEY_MIN_GROUP answers in its period."""
    response = answer.response
    counted = Response.objects.filter(
        questionnaire_id=response.questionnaire_id, period=response.period, region_id=response.region_id
    )
    return bool(answer.comment) and counted.count() >= min_group()


def periods_offered(questionnaire, today):
    """The periods the results page offers, newest first, and the one shown by default: the newest that has
    answers, or the one under way."""
    periods = list(reversed(recent_periods(today, questionnaire.months, 8)))
    answered = set(
        Response.objects.filter(questionnaire=questionnaire, period__in=[each.label for each in periods])
        .values_list("period", flat=True)
        .distinct()
    )
    default = next((each for each in periods if each.label in answered), periods[0])
    return periods, default


def trend_chart(results, name):
    return {
        "labels": [label for label, _n, _index in results.trend],
        "series": [
            {"name": str(name), "values": [None if index is None else float(index) for _label, _n, index in results.trend]}
        ],
    }
