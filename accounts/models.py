from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.history import AuditedHistory

from .access import PROVINCE_CODE, RegionScopedQuerySet, ancestor_codes, region_code_prefix
from .roles import Role


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class RegionQuerySet(RegionScopedQuerySet):
    region_key = "code"

    def cities(self):
        return self.filter(level=RegionLevel.CITY)

    def counties(self):
        return self.filter(level=RegionLevel.COUNTY)


class Region(models.Model):
    """A division of Shandong. Its six-digit statistical code is its key, so a record's region column
    holds the code itself and the fence filters on it without a join."""

    code = models.CharField(_("division code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent region"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def code_prefix(self):
        return region_code_prefix(self.code)

    @property
    def full_name(self):
        """济南市 市中区 rather than 市中区 alone: names repeat across cities."""
        if self.level == RegionLevel.COUNTY and self.parent_id:
            return f"{self.parent.name} {self.name}"
        return self.name

    @property
    def united_front_office(self):
        """The official name of the region's united-front department, the one spelling every page, ledger
        and export uses: 中共山东省委统战部, 中共济南市委统战部, 中共济南市历下区委统战部 (a district takes
        its city's name, as district names repeat across cities), 中共平阴县委统战部, 中共新泰市委统战部,
        and for a development zone, run by a party working committee, 中共济南高新技术产业开发区工委统战部."""
        if self.kind == "functional zone":
            return f"中共{self.name}工委统战部"
        if self.kind == "district" and self.parent_id:
            return f"中共{self.parent.name}{self.name}委统战部"
        return f"中共{self.name}委统战部"

    def ancestors(self):
        """The regions above this one, from the province down, in one query."""
        return Region.objects.filter(code__in=ancestor_codes(self.code)).order_by("code")

    def descendants(self):
        """The regions below this one (not itself)."""
        return Region.objects.filter(code__startswith=self.code_prefix).exclude(code=self.code)

    def contains(self, other):
        """True when `other` (a region or a code) is this region or lies below it."""
        other_code = other if isinstance(other, str) else other.code
        return other_code.startswith(self.code_prefix)


class UnitType(models.Model):
    """A kind of unit that runs the campaign at every level, such as the united-front department.

    The province's unit is named `province_name`; a city's or county's matching unit is named by
    the region's name followed by `local_suffix` (济南市 + 委统战部). Administrators edit these when
    units merge or are renamed.
    """

    key = models.SlugField(_("key"), max_length=40, unique=True)
    province_name = models.CharField(_("name at the province"), max_length=60)
    local_suffix = models.CharField(
        _("name suffix in cities and counties"),
        max_length=60,
        help_text=_("Appended to the region's name, for example 委统战部 gives 济南市委统战部."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")

    def __str__(self):
        return self.province_name

    def name_in(self, region):
        if region.level == RegionLevel.PROVINCE:
            return self.province_name
        return f"{region.name}{self.local_suffix}"


class DepartmentQuerySet(RegionScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Department(models.Model):
    """A unit of one region (省委统战部, 济南市发改委, ...). Departments are data: administrators add,
    rename, merge and deactivate them; a deactivated department keeps its history."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments")
    unit_type = models.ForeignKey(
        UnitType, verbose_name=_("unit type"), null=True, blank=True, on_delete=models.SET_NULL, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )

    history = AuditedHistory()
    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_name_unique_in_region"),
            models.UniqueConstraint(
                fields=["region", "unit_type"],
                condition=models.Q(unit_type__isnull=False),
                name="one_department_per_unit_type_in_region",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name_with_region(self):
        """发展和改革委员会（济南市 历下区）: every region has departments of the same names."""
        return f"{self.name}（{self.region.full_name}）"


mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mobile number starting with 1."))
# An office telephone: a landline with its area code (0531-12345678, 053112345678, 0531-12345678-801 with an
# extension) or a mobile number.
office_phone_validator = RegexValidator(
    r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9})$",
    _("Enter an office telephone with its area code (such as 0531-12345678) or a mobile number."),
)


class UserQuerySet(RegionScopedQuerySet):
    def with_role(self, role):
        return self.filter(groups__name=role)

    def active(self):
        return self.filter(is_active=True)


class OfficialManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An official. Belongs to one region and at most one department; roles are Django groups."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("For example 区委常委、统战部部长."))
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True, validators=[mobile_validator])
    # Public, unlike the mobile number and the e-mail: the enterprises' door shows it (door/selectors.py).
    office_phone = models.CharField(
        _("office telephone"),
        max_length=20,
        blank=True,
        validators=[office_phone_validator],
        help_text=_("Shown to the enterprises this official liaises with, on their own pages. For example 0531-12345678."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="officials"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officials",
    )

    # Roles are groups: their changes are recorded. Never the password (a change of it is recorded as such,
    # core.history) nor the time of the last login.
    history = AuditedHistory(
        m2m_fields=["groups"],
        excluded_fields=["password", "last_login"],
        region=lambda row: row.region_id or PROVINCE_CODE,
    )
    objects = OfficialManager()

    class Meta:
        ordering = ["region_id", "username"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        permissions = [
            ("view_officials", _("Can see the officials of their region")),
            ("manage_officials", _("Can create, change and deactivate officials of their region")),
            ("manage_departments", _("Can add and change departments of their region")),
            ("view_audit_trail", _("Can read the audit trail of their region")),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.full_name or self.username

    @cached_property
    def role_names(self):
        return frozenset(group.name for group in self.groups.all())

    @property
    def roles(self):
        return [role for role in Role if role.value in self.role_names]

    def has_role(self, role):
        return role in self.role_names

    @property
    def is_liaison_cadre(self):
        return self.has_role(Role.CADRE)
