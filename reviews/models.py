"""Mechanism reviews (长效机制): each region's periodic summary of its liaison work, and the practice library.

A review belongs to its region, the fence key: officials see the reviews of their region and of the
regions below it. The region writes it (draft -> submitted), the region directly above acknowledges it
or returns it for revision. How often reviews fall due is `ReviewCadence`, data that administrators edit.

The practice library is the one deliberate exception to the region fence: the good practices of
acknowledged reviews are published province-wide, so that a county can learn what another city did.
`Practice.objects.in_library()` is what every official with `reviews.view_practice` may read, whatever
their region; practices of reviews not yet acknowledged are reached only through their (fenced) review.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import PROVINCE_CODE, RegionScopedQuerySet
from accounts.models import Region
from core.history import AuditedHistory
from core.periods import Period, parse_lead_days, period_containing, validate_lead_days, validate_months

CADENCE_NAMES = {12: _("Yearly"), 6: _("Half-yearly"), 3: _("Quarterly"), 1: _("Monthly")}


class ReviewCadenceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ReviewCadence(models.Model):
    """A kind of review (half-yearly, yearly, ...): its period, its due date and its reminders."""

    months = models.PositiveSmallIntegerField(
        _("period (months)"),
        unique=True,
        validators=[validate_months],
        help_text=_("12 yearly, 6 half-yearly, 3 quarterly."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("due days after the period ends"), default=30, help_text=_("The review is due this many days after its period.")
    )
    lead_days = models.CharField(
        _("remind days before the due date"),
        max_length=50,
        default="14,3",
        blank=True,
        validators=[validate_lead_days],
        help_text=_("Days before the due date of a review not yet submitted, separated by commas, for example 14,3."),
    )
    defer_to_longer = models.BooleanField(
        _("covered by a longer review"),
        default=True,
        help_text=_(
            "No review of this kind is due for a period that ends with a period of a longer kind: the second "
            "half year is summed up by the yearly review."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = AuditedHistory(region=lambda row: PROVINCE_CODE)  # one set of cadences for the whole province
    objects = ReviewCadenceQuerySet.as_manager()

    class Meta:
        ordering = ["-months"]
        verbose_name = _("review cadence")
        verbose_name_plural = _("review cadences")

    def __str__(self):
        return str(self.name)

    @property
    def name(self):
        return CADENCE_NAMES.get(self.months) or _("Every %(months)d months") % {"months": self.months}

    @property
    def lead_days_list(self):
        return parse_lead_days(self.lead_days)

    def period_of(self, day):
        return period_containing(day, self.months)

    def due_on(self, period):
        return period.end + timedelta(days=self.due_days)


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


# Bootstrap colours of the status badges.
STATUS_COLOURS = {
    ReviewStatus.DRAFT: "secondary",
    ReviewStatus.SUBMITTED: "info",
    ReviewStatus.RETURNED: "warning",
    ReviewStatus.ACKNOWLEDGED: "success",
}

# The region still has to act on a review in these states: it counts as not handed in.
OPEN_STATES = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


class ReviewQuerySet(RegionScopedQuerySet):
    def handed_in(self):
        """Reviews the region has handed in: submitted and waiting, or acknowledged."""
        return self.filter(status__in=[ReviewStatus.SUBMITTED, ReviewStatus.ACKNOWLEDGED])

    def awaiting(self, user):
        """Submitted reviews of the regions directly below `user`'s: theirs to acknowledge or return."""
        if user.region_id is None:
            return self.none()
        return self.filter(status=ReviewStatus.SUBMITTED, region__parent_id=user.region_id)


class Review(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="reviews")
    cadence = models.ForeignKey(ReviewCadence, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="reviews")
    # The period, fixed when the review is started: "2026H1" from 1 January to 30 June 2026.
    period_label = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    lessons = models.TextField(_("lessons"), blank=True)
    measures = models.TextField(_("institutional measures"), blank=True)
    plan = models.TextField(_("plan"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    # How many times the review was submitted: names each submission's and return's notification.
    revision = models.PositiveSmallIntegerField(_("revision"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = AuditedHistory(excluded_fields=["updated_at"])
    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "region_id", "-id"]
        verbose_name = _("mechanism review")
        verbose_name_plural = _("mechanism reviews")
        permissions = [("acknowledge_reviews", _("Can acknowledge or return the reviews of the regions directly below"))]
        constraints = [
            models.UniqueConstraint(fields=["region", "cadence", "period_label"], name="review_one_per_region_period"),
        ]
        indexes = [models.Index(fields=["region", "period_end"], name="review_region_period")]

    def __str__(self):
        return f"{self.region} {self.period_label}"

    @property
    def period(self):
        return Period(label=self.period_label, start=self.period_start, end=self.period_end, months=self.cadence.months)

    @property
    def due_on(self):
        return self.cadence.due_on(self.period)

    @property
    def status_colour(self):
        return STATUS_COLOURS[self.status]

    @property
    def practices_in_library(self):
        """Whether the review's good practices are in the practice library (see `PracticeQuerySet.in_library`)."""
        return self.status == ReviewStatus.ACKNOWLEDGED

    def pending_return(self):
        """The return the region is answering now (the last one, while the review is returned), or None."""
        if self.status != ReviewStatus.RETURNED:
            return None
        return self.events.filter(kind=ReviewEventKind.RETURNED).select_related("actor").last()

    def is_overdue(self, *, today):
        return self.status in OPEN_STATES and self.due_on < today


class ReviewEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class ReviewEvent(models.Model):
    """One step of a review's round trip, with the comments of the region above: the review's history."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=12, choices=ReviewEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comments"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["review_id", "created_at", "id"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self):
        return f"{self.review} {self.get_kind_display()}"


class PracticeTopic(models.TextChoices):
    VISITS = "visits", _("Visits and regular contact")
    PROBLEMS = "problems", _("Solving enterprises' problems")
    POLICIES = "policies", _("Delivering policies")
    DIALOGUE = "dialogue", _("Dialogue and forums")
    BUSINESS_ENVIRONMENT = "environment", _("Business environment")
    CLEAN_RELATIONS = "clean", _("Clean and close relations")
    INSTITUTIONS = "institutions", _("Institutions and assessment")
    OTHER = "other", _("Other")


class PracticeQuerySet(RegionScopedQuerySet):
    def in_library(self):
        """Practices of acknowledged reviews: the practice library, open to every reader province-wide."""
        return self.filter(review__status=ReviewStatus.ACKNOWLEDGED)

    def search(self, text):
        return self.filter(models.Q(title__icontains=text) | models.Q(description__icontains=text))


class Practice(models.Model):
    """A good practice (做法) of a review: its own row, so the library can search and filter it."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="practices")
    # The review's region, kept on the row so the library's region filter needs no join.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    # Contexts: "title" and "description" elsewhere mean an official's post and a problem's description.
    title = models.CharField(pgettext_lazy("practice", "title"), max_length=200)
    description = models.TextField(pgettext_lazy("practice", "description"))
    topic = models.CharField(_("topic"), max_length=20, choices=PracticeTopic.choices)

    history = AuditedHistory()
    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["review_id", "id"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        permissions = [("recommend_practices", _("Can recommend good practices to the regions below"))]

    def __str__(self):
        return self.title


class Recommendation(models.Model):
    """A region's staff recommend a practice of the library: it appears on the home pages of that region
    and of every region below it. Each region recommends a practice at most once."""

    practice = models.ForeignKey(
        Practice, verbose_name=_("good practice"), on_delete=models.CASCADE, related_name="recommendations"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("recommending region"), on_delete=models.PROTECT, related_name="practice_recommendations"
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recommended by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommended_at = models.DateTimeField(_("recommended"), auto_now_add=True)

    class Meta:
        ordering = ["-recommended_at", "-id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["practice", "region"], name="recommendation_once_per_region"),
        ]

    def __str__(self):
        return f"{self.region}: {self.practice}"
