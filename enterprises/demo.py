"""Demo enterprises across several counties of 济南 and 青岛, with liaisons at every level.

Deterministic: the same names and credit codes every run, so `seed_demo` can run again and change
nothing.
"""

import random
from datetime import date, timedelta

from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from accounts import services as account_services
from accounts.demo import demo_email, demo_office_phone, person_name
from accounts.models import Region, User
from accounts.roles import Role

from . import services
from .credit_codes import build_credit_code
from .models import Enterprise, Industry, LiaisonAssignment, Ownership, Size, Status, Tag

# county code: how many demo enterprises it gets
COUNTIES = {"370102": 90, "370103": 60, "370104": 30, "370112": 30, "370176": 40, "370202": 25, "370212": 25}

BRANDS = (
    "泉城 齐鲁 鲁信 华夏 海岱 明湖 千佛 趵突 舜耕 历山 泰和 金桥 新航 恒泰 宏达 瑞丰 鼎盛 汇通 万邦 天成 佳禾 博远 中润 永安"
).split()
TRADES = {
    "C": ["精密机械", "新材料", "智能装备", "食品", "生物医药", "电子科技"],
    "I": ["软件", "信息技术", "数据科技", "网络科技"],
    "F": ["商贸", "供应链", "医药连锁"],
    "G": ["物流", "运输"],
    "E": ["建设工程", "建筑装饰"],
    "M": ["检测技术", "工程设计"],
    "K": ["物业服务"],
    "H": ["餐饮管理"],
    "A": ["农业科技", "生态农业"],
}
SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司"]
# The surnames the demo once chained into one (a `.split()` of a string without spaces): a name that starts so
# is repaired by `repair_people_names`.
BROKEN_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐"

# Demo cadres beyond the README's logins: username, region, full name, title
EXTRA_CADRES = [
    ("sd_cadre", "370000", "陈志远", "省发改委副主任"),
    ("jn_cadre", "370100", "刘国梁", "济南市副市长"),
    ("hy_cadre", "370104", "马文斌", "槐荫区副区长"),
    ("lc_cadre", "370112", "高建军", "历城区副区长"),
    ("gx_cadre", "370176", "林海", "济南高新区管委会副主任"),
    ("qd_cadre", "370202", "郑海鹰", "青岛市市南区副区长"),
    ("cy_cadre", "370212", "梁晓东", "青岛市崂山区副区长"),
]
FIRST_DAY = date(2026, 1, 5)


def _person(rng):
    return person_name(rng)


def _unique_name(rng, taken, place, region, trades):
    """A company name not used yet: 济南泉城精密机械有限公司, or with the district when the city has one."""
    for _attempt in range(20):
        name = f"{place}{rng.choice(BRANDS)}{rng.choice(trades)}{rng.choice(SUFFIXES)}"
        if name not in taken:
            break
    else:
        district = region.name.removesuffix("区").removesuffix("县")[:2]
        name = f"{place}{district}{rng.choice(BRANDS)}{rng.choice(BRANDS)}{rng.choice(trades)}有限公司"
    taken.add(name)
    return name


def seed_cadres(*, password):
    cadres = []
    for username, code, full_name, title in EXTRA_CADRES:
        official = User.objects.filter(username=username).first()
        fields = {
            "region": Region.objects.get(code=code),
            "full_name": full_name,
            "title": title,
            "office_phone": demo_office_phone(username, code),
            "email": demo_email(username),
        }
        if official is None:
            official = account_services.create_official(username=username, password=password, roles=[Role.CADRE], **fields)
        else:
            account_services.update_official(official=official, roles=[Role.CADRE], is_active=True, **fields)
            account_services.reset_password(official=official, password=password)
        cadres.append(official)
    return cadres


def repair_people_names():
    """Give plausible names to the people of demo enterprises seeded while the name maker chained every
    surname into one (王李张刘…建华). Returns {enterprise pk: (old legal representative, new one)} for the
    demo modules that copied the name (forum attendance, model cases). Nothing to do on a sound database."""
    rng = random.Random(20261204)
    renamed = {}
    broken = Enterprise.objects.filter(
        Q(legal_representative__startswith=BROKEN_SURNAMES) | Q(contact_name__startswith=BROKEN_SURNAMES)
    ).order_by("pk")
    for enterprise in broken:
        old = enterprise.legal_representative
        if old.startswith(BROKEN_SURNAMES):
            enterprise.legal_representative = _person(rng)
        if enterprise.contact_name.startswith(BROKEN_SURNAMES):
            enterprise.contact_name = _person(rng)
        enterprise.save(update_fields=["legal_representative", "contact_name"])
        renamed[enterprise.pk] = (old, enterprise.legal_representative)
    return renamed


def seed_enterprises():
    """Create the demo enterprises that do not exist yet; returns them all."""
    rng = random.Random(20261127)
    industries = Industry.objects.in_bulk()
    tags = list(Tag.objects.order_by("order")[:4])
    existing = set(Enterprise.objects.values_list("credit_code", flat=True))
    names, new = set(), []
    for code, count in COUNTIES.items():
        region = Region.objects.get(code=code)
        place = region.parent.name.removesuffix("市")
        for number in range(count):
            industry = rng.choice(list(TRADES))
            name = _unique_name(rng, names, place, region, TRADES[industry])
            credit_code = build_credit_code(division=code, serial=int(code) * 1000 + number)
            size = rng.choices(list(Size), weights=[1, 3, 6, 4])[0]
            employees = {"large": 1200, "medium": 350, "small": 60, "micro": 8}[size] + rng.randint(0, 200)
            enterprise = Enterprise(
                name=name,
                credit_code=credit_code,
                region=region,
                address=f"{region.parent.name}{region.name}{rng.choice(BRANDS)}路{rng.randint(1, 999)}号",
                industry=industries[industry],
                ownership=rng.choices(list(Ownership), weights=[20, 2, 1, 1, 2])[0],
                size=size,
                employees=employees,
                annual_revenue=round(employees * rng.uniform(20, 90), 2),
                legal_representative=_person(rng),
                contact_name=_person(rng),
                contact_mobile=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
                status=Status.OPERATING if number % 25 else Status.SUSPENDED,
            )
            if credit_code not in existing:
                new.append(enterprise)
    bulk_create_with_history(new, Enterprise, batch_size=500)
    created = Enterprise.objects.filter(credit_code__in=[enterprise.credit_code for enterprise in new])
    for index, enterprise in enumerate(created.order_by("credit_code")):
        if index % 3 == 0:
            enterprise.tags.add(tags[index % len(tags)])
    return Enterprise.objects.filter(region_id__in=COUNTIES)


def seed_liaisons(*, actor):
    """Give most demo enterprises a county liaison, some a city one and a few a provincial one."""
    cadres_by_region = {}
    for official in User.objects.with_role(Role.CADRE).select_related("region"):
        cadres_by_region.setdefault(official.region_id, []).append(official)
    enterprises = list(Enterprise.objects.filter(region_id__in=COUNTIES).order_by("credit_code"))
    for index, enterprise in enumerate(enterprises):
        if LiaisonAssignment.objects.filter(enterprise=enterprise).exists():
            continue  # already seeded, or changed by hand since: leave it as it is
        started = FIRST_DAY + timedelta(days=index % 40)
        county_cadres = cadres_by_region.get(enterprise.region_id, [])
        if county_cadres and index % 5:
            services.assign_liaison(
                enterprise=enterprise, official=county_cadres[0], actor=actor, started_on=started, reason="首批联系企业"
            )
        city_cadres = cadres_by_region.get(enterprise.region.parent_id, [])
        if city_cadres and enterprise.size in (Size.LARGE, Size.MEDIUM) and index % 2:
            services.assign_liaison(
                enterprise=enterprise, official=city_cadres[0], actor=actor, started_on=started, reason="市级重点联系"
            )
        if enterprise.size == Size.LARGE and index % 3 == 0:
            services.assign_liaison(
                enterprise=enterprise,
                official=cadres_by_region["370000"][0],
                actor=actor,
                started_on=started,
                reason="省级重点联系",
            )
