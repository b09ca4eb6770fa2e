from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import PROVINCE_CODE, RegionScopedQuerySet
from accounts.models import Region
from core.attachments import StoredAttachment, random_file_name
from core.history import AuditedHistory
from enterprises.models import Enterprise, Industry, LiaisonLevel, Size, Tag


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class PolicyQuerySet(RegionScopedQuerySet):
    def applicable_in(self, region_code):
        """Policies in force for a region: those issued for it or for any region above it."""
        codes = {region_code, region_code[:4] + "00", region_code[:2] + "0000"}
        return self.filter(region_id__in=codes)

    def applicable_to(self, user):
        """What the user reads in the library: the policies of their region and the regions above it,
        and those of the regions below it that they oversee."""
        if user.region_id is None:
            return self.visible_to(user)
        return self.filter(
            Q(pk__in=self.visible_to(user).values("pk")) | Q(pk__in=self.applicable_in(user.region_id).values("pk"))
        )

    def valid_on(self, day):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def matching(self, enterprise):
        """Policies whose industries, sizes and tags fit the enterprise (an empty list fits every one)."""
        tag_ids = list(enterprise.tags.values_list("pk", flat=True))
        return (
            self.applicable_in(enterprise.region_id)
            .filter(Q(industries__isnull=True) | Q(industries=enterprise.industry_id))
            .filter(Q(sizes="") | Q(sizes__contains=enterprise.size))
            .filter(Q(tags__isnull=True) | Q(tags__in=tag_ids))
            .distinct()
        )


class Policy(models.Model):
    """A policy cadres explain to enterprises and help them obtain (政策).

    `region` is the region the policy was issued for (the province for national and provincial ones);
    a policy applies in that region and every region below it.
    """

    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("For example 鲁政发〔2025〕3号.")
    )
    issuer = models.CharField(_("issuing body"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=PolicyLevel.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issue date"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    link = models.URLField(_("link"), blank=True)
    document = models.FileField(_("document"), upload_to="policies/%Y/", blank=True)
    industries = models.ManyToManyField(Industry, verbose_name=_("industries"), blank=True, related_name="+")
    sizes = models.CharField(_("sizes"), max_length=40, blank=True, help_text=_("Empty: every size."))
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = AuditedHistory()
    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="policy_valid_until_after_valid_from",
            )
        ]

    def __str__(self):
        return f"{self.title}（{self.document_number}）" if self.document_number else self.title

    @property
    def size_list(self):
        return [size for size in self.sizes.split(",") if size]

    def get_sizes_display(self):
        labels = dict(Size.choices)
        return "、".join(str(labels[size]) for size in self.size_list if size in labels)

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_until is None or self.valid_until >= day)


class VisitMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")
    OTHER = "other", _("Other")


class VisitStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    # A submitted visit found to be wrong (logged twice, at the wrong enterprise, never made): it stays on the
    # record, with who voided it, when and why, and counts nowhere a submitted visit counts.
    VOIDED = "voided", _("Voided")


# The colour of each status's badge (the status_badge component): a draft yellow, a submitted visit green, a
# voided one grey.
VISIT_STATUS_COLOURS = {VisitStatus.DRAFT: "warning", VisitStatus.SUBMITTED: "success", VisitStatus.VOIDED: "secondary"}


class VisitQuerySet(RegionScopedQuerySet):
    def submitted(self):
        return self.filter(status=VisitStatus.SUBMITTED)

    def drafts(self):
        return self.filter(status=VisitStatus.DRAFT)

    def by_cadre(self, official):
        """Visits the official led or accompanied: the union of two indexed lookups (the lead's column and the
        companions' table), not an OR across the companions' join that needs DISTINCT over the whole table."""
        led = Visit.objects.filter(cadre=official).order_by().values("pk")
        accompanied = Visit.companions.through.objects.filter(user=official).order_by().values("visit_id")
        return self.filter(pk__in=led.union(accompanied, all=True))


class Visit(models.Model):
    """One visit (走访) of a cadre to an enterprise: what was learned, which policies were explained and
    which were helped to deliver. A draft may be incomplete; a submitted visit counts for the cadence."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="visits")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lead cadre"), on_delete=models.PROTECT, related_name="led_visits"
    )
    level = models.CharField(_("level"), max_length=10, choices=LiaisonLevel.choices)
    companions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("accompanying officials"), blank=True, related_name="accompanied_visits"
    )
    visited_on = models.DateField(_("visit date"), default=timezone.localdate)
    mode = models.CharField(_("mode"), max_length=10, choices=VisitMode.choices, default=VisitMode.ON_SITE)
    people_met = models.CharField(_("people met"), max_length=200, blank=True, help_text=_("Names and posts at the enterprise."))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    situation = models.TextField(_("operating situation"), blank=True)
    needs = models.TextField(_("needs and difficulties"), blank=True)
    policies_explained = models.ManyToManyField(
        Policy, verbose_name=_("policies explained"), blank=True, related_name="explained_in"
    )
    problems_raised = models.TextField(
        _("problems raised"), blank=True, help_text=_("One problem per line; each will become a record of the problem list.")
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # When the problem lines became problems of the list (visits.services.save_visit, at the submission):
    # set once, so they never become problems twice. Empty on drafts and on visits submitted before.
    problems_registered_at = models.DateTimeField(_("problems registered"), null=True, blank=True, editable=False)
    # Set once, by visits.services.void_visit: a voided visit is kept, never deleted.
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True, editable=False)

    # `problems_registered_at` is the service's bookkeeping, set with the submission the history records.
    history = AuditedHistory(excluded_fields=["updated_at", "problems_registered_at"])
    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        permissions = [("void_visits", _("Can void the submitted visits of their region, with a reason"))]
        constraints = [
            # A voided visit says when and why, whatever wrote it.
            models.CheckConstraint(
                condition=~Q(status="voided") | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
                name="visit_voided_says_when_and_why",
            )
        ]
        indexes = [
            # The visit list, newest first. The fence is `region_id LIKE 'prefix%'`, which only a varchar_pattern_ops
            # index serves under this database's collation: this one finds a small county's visits (and counts them);
            # a large county's, a city's or the province's list walks `visit_list_order` newest first and reads the
            # region (and status) from the index itself, never sorting the region's visits.
            models.Index(
                fields=["region", "-visited_on", "-id"],
                opclasses=["varchar_pattern_ops", "", ""],
                name="visit_region_order",
            ),
            models.Index(fields=["-visited_on", "-id", "region", "status"], name="visit_list_order"),
            models.Index(fields=["cadre", "enterprise", "-visited_on"], name="visit_cadre_enterprise"),
            models.Index(fields=["enterprise", "-visited_on"], name="visit_enterprise_date"),
            # A level's visits of a period, counted by cadre (scorecards, the assessment's figures): the province's
            # and the cities' own visits are a few thousand among a million, found here without reading the rest.
            models.Index(fields=["level", "visited_on", "region", "status", "cadre"], name="visit_level_date"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.visited_on}"

    @property
    def is_draft(self):
        return self.status == VisitStatus.DRAFT

    @property
    def is_voided(self):
        return self.status == VisitStatus.VOIDED

    @property
    def status_colour(self):
        return VISIT_STATUS_COLOURS[self.status]

    @property
    def has_problems(self):
        return bool(self.problems_raised.strip())


class SupportType(models.TextChoices):
    FUNDING = "funding", _("Funding or award")
    TAX = "tax", _("Tax relief")
    FINANCING = "financing", _("Loan or financing")
    FEES = "fees", _("Fee reduction")
    APPROVAL = "approval", _("Approval or qualification")
    LAND = "land", _("Land or premises")
    TALENT = "talent", _("Talent and employment")
    OTHER = "other", _("Other support")


class PolicyDeliveryQuerySet(RegionScopedQuerySet):
    pass


class PolicyDelivery(models.Model):
    """What an enterprise obtained under a policy that a cadre helped it get."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="deliveries")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="policy_deliveries"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="deliveries")
    support_type = models.CharField(_("type of support"), max_length=12, choices=SupportType.choices)
    amount = models.DecimalField(
        _("amount (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = PolicyDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy delivered")
        verbose_name_plural = _("policies delivered")

    def __str__(self):
        return f"{self.policy} → {self.enterprise}"


def attachment_path(attachment, filename):
    return random_file_name("visits", filename)


class VisitAttachment(StoredAttachment):
    """A photo or the minutes of a visit. Served only through the portal, to users who may see the visit."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)

    class Meta(StoredAttachment.Meta):
        pass


class CadenceRule(models.Model):
    """How often a cadre of a level must visit each enterprise they liaise with. Editable by administrators."""

    level = models.CharField(_("level"), max_length=10, choices=LiaisonLevel.choices, unique=True)
    interval_months = models.PositiveSmallIntegerField(_("every how many months"), validators=[MinValueValidator(1)])
    due_soon_days = models.PositiveSmallIntegerField(_("due soon within (days)"), default=30)

    history = AuditedHistory(region=lambda row: PROVINCE_CODE)  # one cadence for the whole province

    class Meta:
        ordering = ["interval_months"]
        verbose_name = _("visit cadence")
        verbose_name_plural = _("visit cadences")

    def __str__(self):
        return f"{self.get_level_display()}: {self.interval_months}"
