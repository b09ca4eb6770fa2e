"""Model cases (先进典型): enterprises and entrepreneurs held up as examples, and their public showcase.

A case is nominated by an official for an enterprise of their region (optionally naming its
entrepreneur), reviewed by united-front staff of the enterprise's region or a region above it,
published once approved *and* once the enterprise has consented, and may later be withdrawn. The
table of states and actions is `cases.lifecycle`, the moves are `cases.services`; nothing else changes
`status`.

The fence key `region` is the enterprise's county, so the staff of that county, its city and the
province see the case, exactly as they see the enterprise.

What the public sees is listed once, in `PUBLIC_FIELDS` and the showcase templates: the story, the
achievements, the qualities, the photos, the enterprise's name, industry and place, and the publicity.
Everything else (who nominated it, consent, review comments, the evidence taken from internal records)
stays inside the portal.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import RegionScopedQuerySet
from accounts.models import Region
from core.attachments import StoredAttachment, random_file_name
from core.history import AuditedHistory
from enterprises.models import Enterprise

# The only fields of a case the public showcase may show (with its qualities, photos and publicity);
# cases/tests/test_showcase.py fills every other text field with a marker and checks none is shown.
PUBLIC_FIELDS = frozenset(
    {
        "title",
        "story",
        "achievements",
        "subject",
        "entrepreneur_name",
        "entrepreneur_title",
        "enterprise",
        "region",
        "published_at",
    }
)


class Quality(models.TextChoices):
    """The four qualities of the "两个健康" model cases; a case exemplifies one or more."""

    PATRIOTIC = "patriotic", _("Patriotic and dedicated")
    LAW_ABIDING = "law_abiding", _("Law-abiding")
    ENTERPRISING = "enterprising", _("Enterprising and innovative")
    GIVING_BACK = "giving_back", _("Giving back to society")


class Subject(models.TextChoices):
    ENTERPRISE = "enterprise", _("The enterprise")
    ENTREPRENEUR = "entrepreneur", _("The entrepreneur")
    BOTH = "both", _("The enterprise and its entrepreneur")


class CaseStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated, awaiting review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved, awaiting publication")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Bootstrap colours of the status badges.
STATUS_COLOURS = {
    CaseStatus.NOMINATED: "warning",
    CaseStatus.RETURNED: "secondary",
    CaseStatus.APPROVED: "info",
    CaseStatus.REJECTED: "secondary",
    CaseStatus.PUBLISHED: "success",
    CaseStatus.WITHDRAWN: "secondary",
}


class CaseQuerySet(RegionScopedQuerySet):
    def published(self):
        return self.filter(status=CaseStatus.PUBLISHED)

    def awaiting_review(self):
        return self.filter(status=CaseStatus.NOMINATED)

    def with_quality(self, quality):
        # An EXISTS on the quality table's (quality, case) index: no duplicate rows, no DISTINCT.
        return self.filter(models.Exists(CaseQuality.objects.filter(case=models.OuterRef("pk"), quality=quality)))

    def for_showcase(self):
        """Published cases with what a showcase card shows, in a fixed number of queries."""
        return (
            self.published()
            .select_related("enterprise__industry", "region__parent")
            .prefetch_related("quality_rows", models.Prefetch("photos", queryset=CasePhoto.objects.order_by("order", "id")))
            .order_by("-published_at", "-id")
        )


class Case(models.Model):
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="model_cases")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("who the case is about"), max_length=12, choices=Subject.choices, default=Subject.BOTH)
    entrepreneur_name = models.CharField(_("entrepreneur"), max_length=50, blank=True)
    entrepreneur_title = models.CharField(_("entrepreneur's title"), max_length=100, blank=True)
    title = models.CharField(_("headline"), max_length=120)
    story = models.TextField(_("story"))
    achievements = models.TextField(_("achievements"), blank=True)

    # Evidence from the enterprise's own records (internal: never on the showcase).
    evidence_visits = models.ManyToManyField("visits.Visit", verbose_name=_("visits"), blank=True, related_name="model_cases")
    evidence_forums = models.ManyToManyField(
        "forums.Forum", verbose_name=_("forums attended"), blank=True, related_name="model_cases"
    )
    evidence_problems = models.ManyToManyField(
        "problems.Problem", verbose_name=_("problems solved"), blank=True, related_name="model_cases"
    )
    source_problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("nominated from problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="nominated_cases"
    )
    nominating_region = models.ForeignKey(Region, verbose_name=_("nominated from"), on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(_("nominated"), default=timezone.now)
    nomination_note = models.TextField(_("why nominate"), blank=True)
    # Each (re)submission is a round: notifications to reviewers are keyed by it.
    submission_round = models.PositiveSmallIntegerField(_("submission"), default=1)

    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.NOMINATED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comments"), blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)

    consent_given = models.BooleanField(_("enterprise consents to publication"), default=False)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_by = models.CharField(
        _("consent given by"), max_length=100, blank=True, help_text=_("Name and post at the enterprise.")
    )
    consent_note = models.TextField(_("consent notes"), blank=True)

    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = AuditedHistory(excluded_fields=["updated_at"])
    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-nominated_at", "-id"]
        verbose_name = _("model case")
        verbose_name_plural = _("model cases")
        permissions = [
            ("review_cases", _("Can review the model cases nominated in their region")),
            ("publish_cases", _("Can publish and withdraw model cases of their region")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject=Subject.ENTERPRISE) | ~Q(entrepreneur_name=""),
                name="case_entrepreneur_named",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.PUBLISHED) | Q(consent_given=True, published_at__isnull=False),
                name="case_published_with_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="case_region_status"),
            models.Index(fields=["status", "-published_at"], name="case_status_published"),
        ]

    def __str__(self):
        return self.title

    @property
    def status_colour(self):
        return STATUS_COLOURS[self.status]

    @property
    def is_published(self):
        """On the public showcase now."""
        return self.status == CaseStatus.PUBLISHED

    @property
    def changes_asked(self):
        """What the reviewer asked the nominator to change, while the case is returned for it."""
        return self.review_comment if self.status == CaseStatus.RETURNED else ""

    @property
    def names_entrepreneur(self):
        """The case is (also) about its entrepreneur, who is named: a headline shows them."""
        return self.subject != Subject.ENTERPRISE and bool(self.entrepreneur_name)

    @property
    def qualities(self):
        """The case's qualities in their fixed order (from the prefetched rows when there are some)."""
        chosen = {row.quality for row in self.quality_rows.all()}
        return [quality for quality in Quality if quality.value in chosen]

    @property
    def display_name(self):
        """Who the case is about, as a headline shows it."""
        if not self.names_entrepreneur:
            return self.enterprise.name
        if self.subject == Subject.ENTREPRENEUR:
            return f"{self.entrepreneur_name}（{self.enterprise.name}）"
        return f"{self.enterprise.name} · {self.entrepreneur_name}"


class CaseQuality(models.Model):
    """One quality a case exemplifies: a row per quality, so a filter is an indexed lookup on every
    database (a list in a JSON column cannot be filtered on SQLite)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="quality_rows")
    quality = models.CharField(_("quality"), max_length=15, choices=Quality.choices)

    class Meta:
        ordering = ["case_id", "quality"]
        verbose_name = _("quality")
        verbose_name_plural = _("qualities")
        constraints = [models.UniqueConstraint(fields=["case", "quality"], name="case_quality_unique")]
        indexes = [models.Index(fields=["quality", "case"], name="case_quality_lookup")]

    def __str__(self):
        return self.get_quality_display()


def photo_path(photo, filename):
    return random_file_name("cases", filename)


class CasePhoto(StoredAttachment):
    """A photo of the case. Served only through views that check the case: to the public once it is
    published, to officials who may see it before."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta(StoredAttachment.Meta):
        ordering = ["order", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class Publicity(models.Model):
    """One piece of publicity for a published case: a report in a newspaper, on a website or on TV."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="publicity")
    outlet = models.CharField(_("outlet"), max_length=100)
    published_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("publicity")
        verbose_name_plural = _("publicity")

    def __str__(self):
        return f"{self.outlet} · {self.title}"


class EventKind(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    EDITED = "edited", _("Details changed")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")
    CONSENT = "consent", _("Consent recorded")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PUBLICITY = "publicity", _("Publicity recorded")
    PHOTO_ADDED = "photo_added", _("Photos added")
    PHOTO_REMOVED = "photo_removed", _("Photo removed")


class CaseEvent(models.Model):
    """One step of a case's history, written by cases.services, never edited: the reviewers' comments
    and reasons stay here even after the case changes again."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=15, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    status = models.CharField(_("status after"), max_length=10, choices=CaseStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"
