"""Writes that touch officials and departments: each one transactional, keyword-only, returning the object."""

from collections import defaultdict

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Department, RegionLevel, UnitType, User
from .roles import Role


def _apply_roles(official, roles):
    official.groups.set(Group.objects.filter(name__in=[Role(role).value for role in roles]))
    # Django's own admin site is not region-fenced, so only the province's administrators enter it.
    official.is_staff = (
        Role.ADMINISTRATOR in roles and official.region_id is not None and (official.region.level == RegionLevel.PROVINCE)
    )
    official.save(update_fields=["is_staff"])
    official.__dict__.pop("role_names", None)


def _check_department(region, department):
    if department is not None and department.region_id != region.code:
        raise ValidationError({"department": _("The department must belong to the official's region.")})


@transaction.atomic
def create_official(
    *, username, password, region, roles, department=None, full_name="", title="", mobile="", office_phone="", email=""
):
    _check_department(region, department)
    official = User(
        username=username,
        region=region,
        department=department,
        full_name=full_name,
        title=title,
        mobile=mobile,
        office_phone=office_phone,
        email=email,
    )
    official.set_password(password)
    official.full_clean(exclude=["password"])
    official.save()
    _apply_roles(official, roles)
    return official


@transaction.atomic
def update_official(*, official, roles, **fields):
    for name, value in fields.items():
        setattr(official, name, value)
    _check_department(official.region, official.department)
    official.full_clean(exclude=["password"])
    official.save()
    _apply_roles(official, roles)
    return official


def deactivate_official(*, official, actor):
    """An official who leaves keeps their account and history; they can no longer log in."""
    if official.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    official.is_active = False
    official.save(update_fields=["is_active"])
    return official


def reactivate_official(*, official):
    official.is_active = True
    official.save(update_fields=["is_active"])
    return official


def reset_password(*, official, password):
    official.set_password(password)
    official.save(update_fields=["password"])
    return official


def ensure_department(*, region, unit_type):
    """The region's unit of this type, created on first need with its conventional name."""
    department, _created = Department.objects.get_or_create(
        region=region, unit_type=unit_type, defaults={"name": unit_type.name_in(region)}
    )
    return department


@transaction.atomic
def ensure_standard_departments(*, region):
    """Give a region every active unit type it lacks. Returns the departments created now."""
    existing = set(region.departments.exclude(unit_type=None).values_list("unit_type_id", flat=True))
    taken_names = set(region.departments.values_list("name", flat=True))
    created = []
    for unit_type in UnitType.objects.filter(is_active=True).exclude(pk__in=existing):
        name = unit_type.name_in(region)
        if name in taken_names:
            continue  # an administrator already made a unit of that name by hand; leave it alone
        created.append(Department.objects.create(region=region, unit_type=unit_type, name=name))
    return created


@transaction.atomic
def save_department(*, department):
    department.full_clean()
    department.save()
    return department


def staff_of(region_codes):
    """The active united-front staff of the regions, in one query: who triages and is reminded there."""
    staff = User.objects.active().with_role(Role.STAFF).filter(region_id__in=list(region_codes))
    return list(staff.distinct().order_by("pk"))


def staff_by_region():
    """{region code: [active united-front staff]} for every region, in one query."""
    staff = defaultdict(list)
    for official in User.objects.active().with_role(Role.STAFF).distinct().order_by("pk"):
        staff[official.region_id].append(official)
    return staff
