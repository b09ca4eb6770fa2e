"""A year of demo visits: policies of the province, 济南 and 历下区, visits on the campaign's cadence,
policies explained and delivered, a few problems raised, and some drafts and planned follow-ups.
Deterministic and idempotent: nothing is added for an assignment that already has visits."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from enterprises.models import Industry, LiaisonAssignment, Tag

from .models import Policy, PolicyDelivery, SupportType, Visit, VisitMode, VisitStatus
from .plan.services import refresh_due_dates

# title, document number, issuer, level, region, issued on, valid until, industries, sizes, tags
POLICIES = [
    (
        "关于支持民营经济高质量发展的若干措施",
        "鲁政发〔2025〕5号",
        "山东省人民政府",
        "province",
        "370000",
        date(2025, 3, 1),
        None,
        "",
        "",
        "",
    ),
    (
        "山东省专精特新中小企业培育奖补办法",
        "鲁工信发〔2025〕12号",
        "山东省工业和信息化厅",
        "province",
        "370000",
        date(2025, 5, 10),
        date(2027, 12, 31),
        "C I",
        "medium,small",
        "专精特新",
    ),
    (
        "稳岗返还和一次性扩岗补助政策",
        "鲁人社字〔2025〕30号",
        "山东省人力资源和社会保障厅",
        "province",
        "370000",
        date(2025, 2, 15),
        date(2026, 12, 31),
        "",
        "",
        "",
    ),
    (
        "高新技术企业认定奖励政策",
        "鲁科字〔2025〕8号",
        "山东省科学技术厅",
        "province",
        "370000",
        date(2025, 4, 1),
        None,
        "C I M",
        "",
        "高新技术企业",
    ),
    (
        "小微企业普惠贷款贴息办法",
        "鲁财金〔2025〕20号",
        "山东省财政厅",
        "province",
        "370000",
        date(2025, 6, 1),
        date(2026, 6, 30),
        "",
        "small,micro",
        "",
    ),
    (
        "增值税留抵退税政策指引",
        "财政部 税务总局公告2025年第4号",
        "财政部、国家税务总局",
        "national",
        "370000",
        date(2025, 1, 10),
        None,
        "",
        "",
        "",
    ),
    (
        "济南市促进数字经济发展若干政策",
        "济政发〔2025〕9号",
        "济南市人民政府",
        "city",
        "370100",
        date(2025, 7, 1),
        date(2027, 6, 30),
        "I",
        "",
        "",
    ),
    (
        "济南市企业上市挂牌奖励办法",
        "济金发〔2025〕3号",
        "济南市地方金融监督管理局",
        "city",
        "370100",
        date(2025, 3, 20),
        None,
        "",
        "large,medium",
        "规上企业",
    ),
    (
        "历下区楼宇经济扶持办法",
        "历下政发〔2025〕6号",
        "历下区人民政府",
        "county",
        "370102",
        date(2025, 8, 1),
        date(2026, 12, 31),
        "F I L M",
        "",
        "",
    ),
    (
        "历下区科技型中小企业研发费用补助",
        "历下科发〔2025〕2号",
        "历下区科学技术局",
        "county",
        "370102",
        date(2025, 9, 1),
        None,
        "C I M",
        "small,micro",
        "",
    ),
]
PURPOSES = [
    "了解生产经营情况",
    "宣讲惠企政策",
    "协调解决用地问题",
    "回访上次反映问题办理情况",
    "调研融资需求",
    "了解用工招工情况",
]
SITUATIONS = [
    "订单充足，生产经营稳定。",
    "受市场需求影响，营收同比略有下降。",
    "新产线已投产，产能提升约三成。",
    "出口订单增加，物流成本上升。",
]
NEEDS = ["希望获得低成本融资支持。", "急需高技能人才。", "希望简化项目审批流程。", "厂房扩建需要用地指标。", ""]
PROBLEMS = ["新建厂房用地指标尚未落实", "研发费用加计扣除申报不熟悉", "周边道路施工影响货物运输", "招聘技术工人困难"]
MONTHS = {"county": 3, "city": 6, "province": 12}


def seed_policies(*, actor):
    industries = Industry.objects.in_bulk()
    tags = {tag.name: tag for tag in Tag.objects.all()}
    policies = []
    for title, number, issuer, level, region, issued, until, industry_codes, sizes, tag_names in POLICIES:
        policy, created = Policy.objects.get_or_create(
            title=title,
            region_id=region,
            defaults={
                "document_number": number,
                "issuer": issuer,
                "level": level,
                "issued_on": issued,
                "valid_from": issued,
                "valid_until": until,
                "sizes": sizes,
                "summary": f"{issuer}印发的《{title}》，明确了支持对象、支持标准和申报程序。",
                "created_by": actor,
            },
        )
        if created:
            policy.industries.set([industries[code] for code in industry_codes.split()])
            policy.tags.set([tags[name] for name in tag_names.split() if name in tags])
        policies.append(policy)
    return policies


@transaction.atomic
def seed_visits(*, today):
    policies = list(Policy.objects.prefetch_related("industries", "tags"))
    visited = set(Visit.objects.values_list("cadre_id", "enterprise_id").distinct())
    assignments = LiaisonAssignment.objects.current(on=today).select_related("enterprise", "official").order_by("pk")
    for assignment in assignments:
        if (assignment.official_id, assignment.enterprise_id) in visited:
            continue
        # One generator per liaison: running again draws the same (possibly empty) year of visits.
        rng = random.Random(f"{assignment.enterprise.credit_code}:{assignment.official.username}")
        enterprise = assignment.enterprise
        fitting = [p for p in policies if p.region_id in {enterprise.region_id, enterprise.region_id[:4] + "00", "370000"}]
        interval = MONTHS[assignment.level] * 30
        day = max(assignment.started_on, today - timedelta(days=365)) + timedelta(days=rng.randint(5, 40))
        while day <= today - timedelta(days=rng.randint(0, 60)):
            skip = rng.random() < 0.15  # some visits are missed: the cadence page shows them as overdue
            if not skip:
                _visit(rng, assignment, day, fitting, status=VisitStatus.SUBMITTED)
            day += timedelta(days=interval + rng.randint(-15, 20))
        if rng.random() < 0.1:
            _visit(rng, assignment, today, fitting, status=VisitStatus.DRAFT)
    # The visits above were written directly: set every liaison's last visit and next due date in one go.
    refresh_due_dates()


def _visit(rng, assignment, day, policies, *, status):
    enterprise = assignment.enterprise
    visit = Visit.objects.create(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        cadre=assignment.official,
        level=assignment.level,
        visited_on=day,
        mode=rng.choices(list(VisitMode), weights=[8, 1, 2, 1])[0],
        people_met=f"{enterprise.legal_representative}（法定代表人）",
        purpose=rng.choice(PURPOSES),
        situation=rng.choice(SITUATIONS),
        needs=rng.choice(NEEDS),
        problems_raised=rng.choice(PROBLEMS) if rng.random() < 0.2 else "",
        follow_up_on=day + timedelta(days=30) if rng.random() < 0.3 else None,
        status=status,
        created_by=assignment.official,
    )
    explained = rng.sample(policies, k=min(len(policies), rng.randint(0, 2)))
    visit.policies_explained.set(explained)
    if explained and status == VisitStatus.SUBMITTED and rng.random() < 0.35:
        PolicyDelivery.objects.create(
            visit=visit,
            enterprise=enterprise,
            region_id=enterprise.region_id,
            policy=explained[0],
            support_type=rng.choice([SupportType.FUNDING, SupportType.TAX, SupportType.FINANCING, SupportType.TALENT]),
            amount=Decimal(rng.randint(5, 500)),
        )
    return visit
