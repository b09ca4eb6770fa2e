"""The enterprises' confidence survey (企业信心调查): a periodic questionnaire answered through the door.

The province keeps one active `Questionnaire` (quarterly by default: `months` is a core.periods length);
its questions are the province's, for every enterprise, and a city's, for the enterprises of that city
(`Question.region`: the province or a city). An enterprise answers once per period.

Anonymity is kept by the tables themselves: an answer is stored as a `Response` that names no enterprise
(only its county, industry and size, and the period), and the once-per-period rule and the response rate
read a separate `Receipt` (the enterprise, the period and the day). Neither has a sequential key or a
moment finer than the day that would tie one to the other; nothing reads the two together.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.access import RegionScopedQuerySet, region_code_prefix
from accounts.models import Region
from core.periods import period_containing, validate_months
from enterprises.models import Enterprise, Industry, Size
from problems.models import Problem

SCALE_MIN, SCALE_MAX = 1, 5


class Kind(models.TextChoices):
    SCALE = "scale", _("Scale of 1 to 5")
    COMMENT = "comment", _("Free comment")


class Topic(models.TextChoices):
    """What a scale question of the province's set measures (a city's own questions have none)."""

    DEVELOPMENT = "development", _("Confidence in development")
    GOVERNMENT = "government", _("Trust in the government's service")
    POLICY = "policy", _("Policy environment")
    BUSINESS = "business", _("Business environment")
    OVERALL = "overall", _("Overall confidence")


class QuestionnaireQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Questionnaire(models.Model):
    title = models.CharField(_("title"), max_length=100)
    months = models.PositiveSmallIntegerField(
        _("period (months)"),
        default=3,
        validators=[validate_months],
        help_text=_("3 for each quarter, 6 for each half year, 12 for each year."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "-created_at"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="survey_one_active_questionnaire"
            )
        ]

    def __str__(self):
        return self.title

    def period_on(self, day):
        return period_containing(day, self.months)


class QuestionQuerySet(RegionScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def scales(self):
        return self.filter(kind=Kind.SCALE)


class Question(models.Model):
    """One question. `region` is the province (every enterprise is asked) or a city (its enterprises are)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="questions"
    )
    region = models.ForeignKey(Region, verbose_name=_("asked in"), on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    topic = models.CharField(_("measures"), max_length=12, choices=Topic.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self):
        return self.text

    def is_asked_of(self, enterprise):
        return enterprise.region_id.startswith(region_code_prefix(self.region_id))

    @property
    def is_scale(self):
        return self.kind == Kind.SCALE


class ReceiptQuerySet(RegionScopedQuerySet):
    pass


class Receipt(models.Model):
    """That an enterprise answered a questionnaire for a period: never what it answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    answered_on = models.DateField(_("answered on"))

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey receipt")
        verbose_name_plural = _("survey receipts")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "enterprise", "period"], name="survey_once_per_period"),
        ]
        indexes = [models.Index(fields=["period", "region"], name="survey_receipt_period_region")]

    def __str__(self):
        return self.period  # never the enterprise: a receipt is shown nowhere


class ResponseQuerySet(RegionScopedQuerySet):
    pass


class Response(models.Model):
    """One enterprise's answers for a period, with no enterprise: the county, industry and size it counts in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    period_start = models.DateField(_("period start"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+")
    size = models.CharField(_("size"), max_length=8, choices=Size.choices)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["period", "region"], name="survey_response_period_region")]

    def __str__(self):
        return f"{self.period} · {self.region}"


class AnswerQuerySet(RegionScopedQuerySet):
    pass


class Answer(models.Model):
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers")
    # The response's county, copied so the fence reads a local column.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)
    # Set when staff turned this comment into a problem (surveys.services.turn_comment_into_problem).
    problem = models.OneToOneField(
        Problem, verbose_name=_("problem"), null=True, blank=True, on_delete=models.PROTECT, related_name="survey_comment"
    )
    turned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("turned into a problem by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=SCALE_MIN, score__lte=SCALE_MAX),
                name="survey_score_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.response_id} · {self.question_id}"
