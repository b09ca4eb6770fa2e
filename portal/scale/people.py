"""Officials of every role in every region in scope, with the departments they belong to.

Each region gets its staff, an administrator and department handlers (in the departments of the standard
unit types, created when missing as `accounts.services.ensure_standard_departments` would name them);
the province and the cities their reviewers; the rest of the officials are liaison cadres, most of them
in the counties in proportion to their enterprises.
"""

from django.contrib.auth.models import Group

from accounts.models import Department, Region, RegionLevel, UnitType, User
from accounts.roles import Role

from .context import PREFIX

HANDLER_UNITS = ("development-reform", "economy-information", "science-technology", "finance", "commerce", "financial-affairs")
CADRE_TITLES = {RegionLevel.PROVINCE: "省直部门副职", RegionLevel.CITY: "副市长", RegionLevel.COUNTY: "副区（县）长"}


def load_regions(ctx):
    ctx.regions = Region.objects.in_bulk()
    prefixes = ctx.sizes.regions
    ctx.counties = sorted(
        code
        for code, region in ctx.regions.items()
        if region.level == RegionLevel.COUNTY and (not prefixes or any(code.startswith(prefix) for prefix in prefixes))
    )
    cities = sorted({ctx.regions[code].parent_id for code in ctx.counties})
    province = [code for code, region in ctx.regions.items() if region.level == RegionLevel.PROVINCE]
    ctx.scope = province + cities + ctx.counties


def _departments(ctx):
    """The standard departments of every region in scope: the missing ones written, all of them read."""
    loader = ctx.loader
    unit_types = list(UnitType.objects.filter(is_active=True))
    existing = list(Department.objects.filter(region_id__in=ctx.scope).values_list("id", "region_id", "unit_type_id", "name"))
    by_unit = {(region, unit): pk for pk, region, unit, _name in existing if unit}
    names = {(region, name) for _pk, region, _unit, name in existing}
    rows = []
    for code in ctx.scope:
        region = ctx.regions[code]
        for unit_type in unit_types:
            name = unit_type.name_in(region)
            if (code, unit_type.pk) in by_unit or (code, name) in names:
                continue
            pk = loader.new_id(Department)
            rows.append({"id": pk, "region_id": code, "unit_type_id": unit_type.pk, "name": name, "is_active": True})
            by_unit[(code, unit_type.pk)] = pk
    loader.write(Department, rows)
    keys = {unit_type.pk: unit_type.key for unit_type in unit_types}
    ctx.departments = {(code, keys[unit]): pk for (code, unit), pk in by_unit.items() if unit in keys}


def _cadre_counts(ctx, total):
    """Cadres per region: 2% at the province, 12% in the cities, the rest in the counties by enterprises."""
    province = ctx.scope[0]
    cities = [code for code in ctx.scope if ctx.regions[code].level == RegionLevel.CITY]
    counts = {province: max(2, round(total * 0.02))}
    for city in cities:
        counts[city] = max(1, round(total * 0.12 / len(cities)))
    county_total = max(len(ctx.counties), total - sum(counts.values()))
    enterprises = sum(ctx.county_enterprises.values()) or 1
    for county in ctx.counties:
        counts[county] = max(1, round(county_total * ctx.county_enterprises[county] / enterprises))
    return counts


def generate_officials(ctx):
    loader, rng = ctx.loader, ctx.rng("officials")
    _departments(ctx)
    groups = dict(Group.objects.filter(name__in=Role.values).values_list("name", "id"))
    regions = len(ctx.scope)
    fixed_share = ctx.sizes.officials * 0.07 / regions
    staff_each = max(1, round(fixed_share))
    handlers_each = max(1, round(ctx.sizes.officials * 0.105 / regions))
    others = regions * (staff_each + handlers_each + 1) + 1 + len([c for c in ctx.scope if c not in ctx.counties])
    cadres = _cadre_counts(ctx, max(ctx.sizes.officials - others, regions))

    users, memberships = loader.sink(User), None
    memberships = users.child(User.groups.through)

    def add(username, code, role, *, department=None, title="", is_staff=False):
        pk = loader.new_id(User)
        users.add(
            {
                "id": pk,
                "password": ctx.password_hash,
                "username": f"{PREFIX}{username}",
                "full_name": ctx.person(rng),
                "title": title,
                "mobile": f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
                "region_id": code,
                "department_id": department,
                "is_staff": is_staff,
                "is_active": True,
                "is_superuser": False,
                "date_joined": ctx.at(ctx.start),
            }
        )
        memberships.add({"id": loader.new_id(User.groups.through), "user_id": pk, "group_id": groups[role.value]})
        ctx.official_region[pk] = code
        return pk

    province = ctx.scope[0]
    ctx.admin_id = add(
        "admin", province, Role.ADMINISTRATOR, department=ctx.departments.get((province, "united-front")), is_staff=True
    )
    for code in ctx.scope:
        region = ctx.regions[code]
        united_front = ctx.departments.get((code, "united-front"))
        if code != province:
            add(f"{code}_admin", code, Role.ADMINISTRATOR, department=united_front)
        ctx.staff[code] = [
            add(f"{code}_staff{n + 1:02d}", code, Role.STAFF, department=united_front, title="统战部干部")
            for n in range(staff_each)
        ]
        if region.level != RegionLevel.COUNTY:
            ctx.reviewers[code] = [add(f"{code}_reviewer", code, Role.REVIEWER, department=united_front, title="考核办干部")]
        for n in range(handlers_each):
            department = ctx.departments.get((code, HANDLER_UNITS[n % len(HANDLER_UNITS)]))
            if department is None:
                continue
            pk = add(f"{code}_handler{n + 1:02d}", code, Role.HANDLER, department=department, title="科员")
            ctx.handlers.setdefault(department, []).append(pk)
            ctx.handler_departments.setdefault(code, [])
            if department not in ctx.handler_departments[code]:
                ctx.handler_departments[code].append(department)
        ctx.cadres[code] = [
            add(f"{code}_cadre{n + 1:03d}", code, Role.CADRE, title=CADRE_TITLES[region.level])
            for n in range(cadres.get(code, 0))
        ]
    users.close()
