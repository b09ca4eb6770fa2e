from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import RegionScopedQuerySet
from accounts.models import Region, RegionLevel, mobile_validator
from core.history import AuditedHistory
from core.listing import contains_text

from .credit_codes import normalise, validate_credit_code


class Industry(models.Model):
    """A section (门类) of GB/T 4754-2017, A to T, loaded by data migration."""

    code = models.CharField(_("code"), max_length=1, primary_key=True)
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        from django.utils.translation import get_language

        name = self.name_en if (get_language() or "").startswith("en") else self.name_zh
        return f"{self.code} {name}"


class Tag(models.Model):
    """A label such as 专精特新 or 上市公司; administrators keep the list."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class Ownership(models.TextChoices):
    PRIVATE = "private", _("Private enterprise")
    INDIVIDUAL = "individual", _("Individual business")
    HMT = "hmt", _("Hong Kong, Macao or Taiwan-invested")
    FOREIGN = "foreign", _("Foreign-invested")
    MIXED = "mixed", _("Mixed ownership")


class Size(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Status(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    DEREGISTERED = "deregistered", _("Deregistered")


# The colour of an enterprise's status badge: green while it operates, amber otherwise.
STATUS_COLOURS = {Status.OPERATING: "success", Status.SUSPENDED: "warning", Status.DEREGISTERED: "warning"}


class LiaisonLevel(models.TextChoices):
    """The level a liaison works at: that of the cadre's region (the values are RegionLevel's)."""

    PROVINCE = RegionLevel.PROVINCE.value, _("Provincial")
    CITY = RegionLevel.CITY.value, _("City-level")
    COUNTY = RegionLevel.COUNTY.value, _("County-level")


class EnterpriseQuerySet(RegionScopedQuerySet):
    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(contains_text("name", text) | Q(credit_code__startswith=normalise(text)))


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code])
    region = models.ForeignKey(
        Region, verbose_name=_("county-level region"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    industry = models.ForeignKey(Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="enterprises")
    ownership = models.CharField(_("ownership"), max_length=12, choices=Ownership.choices, default=Ownership.PRIVATE)
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, db_index=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(
        _("annual revenue (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, blank=True, validators=[mobile_validator])
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="enterprises")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPERATING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = AuditedHistory(m2m_fields=[tags], excluded_fields=["updated_at"])
    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        permissions = [
            ("assign_liaisons", _("Can assign and end liaisons of enterprises in their region")),
            ("import_enterprises", _("Can import enterprises and liaisons from spreadsheets")),
        ]
        indexes = [
            models.Index(fields=["region", "name"], name="enterprise_region_name"),
            models.Index(fields=["industry", "region"], name="enterprise_industry_region"),
            # The list in its order (name, id) with the fence's column beside it: a city's or the province's
            # first page walks this index and stops after 25 entries in the region, instead of sorting every
            # enterprise of the region.
            models.Index(fields=["name", "id", "region"], name="enterprise_list_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_operating(self):
        """The register's normal case; the enterprise list badges only the others."""
        return self.status == Status.OPERATING

    @property
    def status_colour(self):
        """The Bootstrap colour of the status badge (`{% status_badge enterprise %}`)."""
        return STATUS_COLOURS[self.status]

    def clean(self):
        self.credit_code = normalise(self.credit_code)
        if self.region_id and Region.objects.filter(code=self.region_id).exclude(level=RegionLevel.COUNTY).exists():
            raise ValidationError(
                {"region": _("An enterprise belongs to a county-level region (county, district, county-level city or zone).")}
            )


class AssignmentQuerySet(RegionScopedQuerySet):
    def current(self, on=None):
        """Assignments in force on `on` (today by default): the liaison list of that date."""
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)

    def ended(self):
        return self.filter(ended_on__isnull=False)

    def of_official(self, official):
        return self.filter(official=official)


class LiaisonAssignment(models.Model):
    """One official liaising with one enterprise at one level, from a date, possibly to a date.

    Ending or changing a liaison never deletes the row: it gets its end date and reason, so the list of
    any past date can be shown. The region column is the enterprise's, so staff of the enterprise's
    region see every level's liaisons of it.
    """

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="assignments")
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("liaison cadre"), on_delete=models.PROTECT, related_name="assignments"
    )
    level = models.CharField(_("level"), max_length=10, choices=LiaisonLevel.choices, db_index=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text=_("The liaison unit the official acts for."),
    )
    started_on = models.DateField(_("since"), default=date.today)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Kept by the visit services (visits.plan.services.refresh_due_dates), never typed: the cadre's last
    # submitted visit to the enterprise (led or accompanied) since the start, and when the next one is due
    # under the cadence (empty once the liaison has ended). The due-visit plan is filtered, ordered and
    # counted on `next_due_on` by the database.
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True, editable=False)
    next_due_on = models.DateField(_("next visit due"), null=True, blank=True, editable=False)

    history = AuditedHistory(excluded_fields=["last_visit_on", "next_due_on"])
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "level"],
                condition=Q(ended_on__isnull=True),
                name="one_current_liaison_per_level",
                violation_error_message=_("The enterprise already has a current liaison at this level."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="assignment_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["official", "ended_on"], name="assignment_official_current"),
            models.Index(fields=["region", "level"], name="assignment_region_level"),
            # The due-visit plan, most urgent first, of current liaisons: a region's (the fence is `region_id LIKE
            # '37%'`, which only a pattern_ops column serves under the C.UTF-8 collation) walks this index in
            # due-date order at any level, province, city or county, and counts its states from the index alone.
            models.Index(
                fields=["next_due_on", "region"],
                opclasses=["date_ops", "varchar_pattern_ops"],
                include=["level", "started_on", "enterprise"],
                condition=Q(ended_on__isnull=True),
                name="assignment_due_order",
            ),
            models.Index(fields=["official", "next_due_on"], condition=Q(ended_on__isnull=True), name="assignment_official_due"),
        ]

    def __str__(self):
        return f"{self.official} → {self.enterprise}"

    @property
    def is_current(self):
        return self.ended_on is None or self.ended_on > timezone.localdate()


class ImportStatus(models.TextChoices):
    # The preview: the worker checks every row and keeps what importing would do; nothing is saved.
    PREVIEWING = "previewing", _("Checking")
    PREVIEWED = "previewed", _("Checked")
    # The confirmed import.
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


PREVIEW_PHASE = (ImportStatus.PREVIEWING, ImportStatus.PREVIEWED)


class ImportJobQuerySet(models.QuerySet):
    def of_owner(self, user):
        """An import belongs to whoever uploaded the file: nobody else sees it."""
        return self.filter(owner=user) if user.is_authenticated else self.none()


class ImportJob(models.Model):
    """A spreadsheet upload, checked and then (once confirmed) applied by Celery workers.

    Large files take longer than a web request may, so the pages only queue the work and then show its
    progress. The preview checks every row in the background (`rows_done` of `rows_total`) and keeps what
    the import would do in `preview`, so that reloading its page shows it again without checking again.
    The confirmed import applies all rows in one transaction or none; its outcome (counts, or every
    error with its row and column) is kept in `report`.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+")
    token = models.CharField(_("upload"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWING)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(_("rows to check"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.kind} {self.token}"

    @property
    def is_previewing(self):
        """The worker is still checking the rows (or has not started yet)."""
        return self.status == ImportStatus.PREVIEWING

    @property
    def is_confirmed(self):
        """Confirmed for import: queued, importing or finished; its preview can no longer be confirmed or discarded."""
        return self.status not in PREVIEW_PHASE

    @property
    def percent(self):
        """How much of the preview is checked, 0 to 100; 0 while the rows are not counted yet."""
        if self.status != ImportStatus.PREVIEWING:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def is_finished(self):
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def succeeded(self):
        """Finished, every row imported."""
        return self.status == ImportStatus.DONE
