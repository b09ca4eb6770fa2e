"""The register and the liaison lists: enterprises skewed over the counties, their tags, liaisons at each
level (some ended and replaced), and the simple_history rows of both, as the services would leave them."""

from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from stdnum.cn import uscc

from accounts.models import RegionLevel
from enterprises.credit_codes import organisation_check_digit
from enterprises.models import (
    Enterprise,
    HistoricalEnterprise,
    HistoricalLiaisonAssignment,
    LiaisonAssignment,
    Ownership,
    Size,
    Status,
    Tag,
)

# The organisation code of every generated enterprise starts with this letter (real codes of the
# generator's kind start with digits): `guard` tells generated enterprises from real ones by it.
MARK = "Y"
BRANDS = "泉城 齐鲁 鲁信 华夏 海岱 明湖 千佛 趵突 舜耕 历山 泰和 金桥 新航 恒泰 宏达 瑞丰 鼎盛 汇通 万邦 天成".split()
TRADES = {
    "C": ["精密机械", "新材料", "智能装备", "食品", "生物医药", "电子科技"],
    "I": ["软件", "信息技术", "数据科技"],
    "F": ["商贸", "供应链"],
    "G": ["物流", "运输"],
    "E": ["建设工程", "建筑装饰"],
    "M": ["检测技术", "工程设计"],
    "K": ["物业服务"],
    "H": ["餐饮管理"],
    "A": ["农业科技", "生态农业"],
}
LARGE_COUNTY, LARGE_SHARE = "370102", 0.083  # 历下区: 8.3 k of the 100 k enterprises


def _tag_history():
    return apps.get_model("enterprises", "HistoricalEnterprise_tags")


def generated_credit_code(division, serial):
    body = f"{MARK}{serial:07d}"
    partial = f"91{division}{body}{organisation_check_digit(body)}"
    return partial + uscc.calc_check_digit(partial)


def plan_enterprises(ctx):
    """How many enterprises each county gets: a long tail (a few large districts, many small counties)."""
    rng = ctx.rng("distribution")
    weights = {county: rng.paretovariate(1.3) for county in ctx.counties}
    total = ctx.sizes.enterprises
    fixed = {}
    if LARGE_COUNTY in weights and len(weights) > 20:
        fixed[LARGE_COUNTY] = round(total * LARGE_SHARE)
        del weights[LARGE_COUNTY]
    rest = total - sum(fixed.values())
    scale = rest / sum(weights.values())
    counts = {county: int(weight * scale) for county, weight in weights.items()}
    remainders = sorted(weights, key=lambda county: weights[county] * scale - counts[county], reverse=True)
    for county in remainders[: rest - sum(counts.values())]:
        counts[county] += 1
    ctx.county_enterprises = {county: fixed.get(county, counts.get(county, 0)) for county in ctx.counties}


def generate_enterprises(ctx):
    loader, rng = ctx.loader, ctx.rng("enterprises")
    tags = list(Tag.objects.filter(is_active=True).values_list("pk", flat=True))
    serial = Enterprise.objects.count()  # serials continue after an earlier (allowed) data set's
    enterprises = loader.sink(Enterprise)
    tag_rows = enterprises.child(Enterprise.tags.through)
    history = enterprises.child(HistoricalEnterprise)
    TAG_HISTORY = _tag_history()  # noqa: N806 (a model)
    tag_history = history.child(TAG_HISTORY)
    industries = list(TRADES)
    for county in ctx.counties:
        region = ctx.regions[county]
        place = region.parent.name.removesuffix("市") if region.parent_id else ""
        positions = ctx.by_county.setdefault(county, [])
        staff = ctx.staff_for(county)
        for _number in range(ctx.county_enterprises[county]):
            serial += 1
            pk = loader.new_id(Enterprise)
            industry = rng.choice(industries)
            size = rng.choices(list(Size), weights=[2, 8, 40, 50])[0]
            employees = {"large": 1200, "medium": 350, "small": 60, "micro": 8}[size] + rng.randint(0, 200)
            if rng.random() < 0.9:  # registered before the campaign's years, or during them
                created = ctx.start - timedelta(days=rng.randint(1, 700))
            else:
                created = ctx.days(ctx.start, ctx.today - timedelta(days=60), rng)
            person = ctx.person(rng)
            row = {
                "id": pk,
                "name": f"{place}{rng.choice(BRANDS)}{rng.choice(BRANDS)}{rng.choice(TRADES[industry])}有限公司{serial}",
                "credit_code": generated_credit_code(county, serial),
                "region_id": county,
                "address": f"{region.full_name}{rng.choice(BRANDS)}路{rng.randint(1, 999)}号",
                "industry_id": industry,
                "ownership": rng.choices(list(Ownership), weights=[20, 2, 1, 1, 2])[0],
                "size": size,
                "employees": employees,
                "annual_revenue": Decimal(round(employees * rng.uniform(20, 90), 2)).quantize(Decimal("0.01")),
                "legal_representative": person,
                "contact_name": ctx.person(rng),
                "contact_mobile": f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
                "status": rng.choices([Status.OPERATING, Status.SUSPENDED, Status.DEREGISTERED], weights=[96, 3, 1])[0],
                "created_at": ctx.at(created, 10),
                "updated_at": ctx.at(created, 10),
            }
            enterprises.add(row)
            chosen = rng.sample(tags, k=rng.choices([0, 1, 2], weights=[65, 30, 5])[0]) if tags else []
            chosen = [(loader.new_id(Enterprise.tags.through), tag) for tag in chosen]
            for through_id, tag in chosen:
                tag_rows.add({"id": through_id, "enterprise_id": pk, "tag_id": tag})
            actor = staff[0] if staff else None
            created_row = {**row, "history_type": "+", "history_date": row["created_at"], "history_user_id": actor}
            if rng.random() < 0.05:  # the contact changed later: the first record has the old one
                changed = ctx.days(max(created, ctx.start), ctx.today, rng)
                created_row["contact_mobile"] = f"15{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
                records = [
                    created_row,
                    {**row, "history_type": "~", "history_date": ctx.at(changed, 15), "history_user_id": actor},
                ]
            else:
                records = [created_row]
            for record in records:
                history_id = loader.new_id(HistoricalEnterprise)
                history.add({**record, "history_id": history_id, "audit_region": row["region_id"]})
                for through_id, tag in chosen:
                    tag_history.add(
                        {
                            "id": through_id,
                            "m2m_history_id": loader.new_id(TAG_HISTORY),
                            "history_id": history_id,
                            "enterprise_id": pk,
                            "tag_id": tag,
                        }
                    )
            positions.append(len(ctx.enterprise_ids))
            ctx.enterprise_ids.append(pk)
            ctx.enterprise_region.append(county)
            ctx.enterprise_size.append(size)
            ctx.enterprise_person.append(person)
            ctx.enterprise_created.append(created)
    enterprises.close()


def generate_assignments(ctx):
    """A county liaison for most enterprises (some replaced once), a city one for many larger ones and a
    provincial one for some large ones; each with its history: created, and ended where it ended."""
    loader, rng = ctx.loader, ctx.rng("assignments")
    sink = loader.sink(LiaisonAssignment)
    history = sink.child(HistoricalLiaisonAssignment)

    def assign(position, official, level, started, ended=None):
        county = ctx.enterprise_region[position]
        level_region = {RegionLevel.COUNTY: county, RegionLevel.CITY: county[:4] + "00", RegionLevel.PROVINCE: ctx.scope[0]}[
            level
        ]
        staff = ctx.staff_for(level_region)
        actor = staff[0] if staff else None
        started = min(started, ctx.today)
        pk = loader.new_id(LiaisonAssignment)
        row = {
            "id": pk,
            "enterprise_id": ctx.enterprise_ids[position],
            "official_id": official,
            "level": level,
            "region_id": county,
            "department_id": None,
            "started_on": started,
            "reason": {"county": "首批联系企业", "city": "市级重点联系", "province": "省级重点联系"}[level],
            "assigned_by_id": actor,
            "ended_on": ended,
            "end_reason": "工作调整" if ended else "",
            "ended_by_id": actor if ended else None,
            "created_at": ctx.at(started, 9),
        }
        sink.add(row)
        opened = {**row, "ended_on": None, "end_reason": "", "ended_by_id": None}
        history.add(
            {
                **opened,
                "history_id": loader.new_id(HistoricalLiaisonAssignment),
                "history_type": "+",
                "history_date": row["created_at"],
            }
            | {"history_user_id": actor, "audit_region": row["region_id"]}
        )
        if ended:
            history.add(
                {**row, "history_id": loader.new_id(HistoricalLiaisonAssignment), "history_type": "~"}
                | {"history_date": ctx.at(ended, 16), "history_user_id": actor, "audit_region": row["region_id"]}
            )
        ctx.assignments.append((pk, position, official, level, started, ended))

    for position, county in enumerate(ctx.enterprise_region):
        first = max(ctx.start, ctx.enterprise_created[position]) + timedelta(days=rng.randint(10, 90))
        if first >= ctx.today:
            continue
        cadres = ctx.cadres.get(county, [])
        if cadres and rng.random() < 0.9:
            official = rng.choice(cadres)
            if len(cadres) > 1 and rng.random() < 0.08 and (ctx.today - first).days > 120:
                change = first + timedelta(days=rng.randint(60, (ctx.today - first).days - 30))
                earlier = rng.choice([cadre for cadre in cadres if cadre != official])
                assign(position, earlier, RegionLevel.COUNTY, first, change)
                assign(position, official, RegionLevel.COUNTY, change)
            else:
                assign(position, official, RegionLevel.COUNTY, first)
        size = ctx.enterprise_size[position]
        city_cadres = ctx.cadres.get(county[:4] + "00", [])
        if city_cadres and size in (Size.LARGE, Size.MEDIUM) and rng.random() < 0.8:
            assign(position, rng.choice(city_cadres), RegionLevel.CITY, first + timedelta(days=rng.randint(0, 60)))
        province_cadres = ctx.cadres.get(ctx.scope[0], [])
        if province_cadres and size == Size.LARGE and rng.random() < 0.8:
            assign(position, rng.choice(province_cadres), RegionLevel.PROVINCE, first + timedelta(days=rng.randint(0, 90)))
    sink.close()
