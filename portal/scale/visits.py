"""Policies, and visits on each liaison's cadence over the years: a visit's region is its enterprise's and
its level its assignment's; submitted visits carry `submitted_at`, companions, policies explained, some
deliveries and attachments' rows (placeholder paths, no files); some current liaisons have a draft.
The visits that raise a problem are kept for `problems`."""

from datetime import timedelta
from decimal import Decimal

from django.utils.module_loading import import_string

from visits.demo import NEEDS, PURPOSES, SITUATIONS
from visits.models import Policy, PolicyDelivery, PolicyLevel, SupportType, Visit, VisitAttachment, VisitMode, VisitStatus

PROBLEMS = {
    "新建厂房用地指标尚未落实": "land",
    "研发费用加计扣除申报不熟悉": "taxes-fees",
    "周边道路施工影响货物运输": "utilities-infrastructure",
    "招聘技术工人困难": "labour-talent",
    "银行续贷审批慢，流动资金紧张": "financing",
    "项目环评审批时间较长": "approvals-permits",
}
INTERVAL_DAYS = {"county": 91, "city": 182, "province": 365}
POLICY_COUNTS = {"province": 30, "city": 8, "county": 3}
# Share of the problems raised on visits (the others at forums, by the enterprise itself or otherwise).
VISIT_PROBLEM_SHARE = 0.8


def generate_policies(ctx):
    loader, rng = ctx.loader, ctx.rng("policies")
    ctx.policies = {}
    rows = []
    for code in ctx.scope:
        region = ctx.regions[code]
        staff = ctx.staff.get(code) or [None]
        for number in range(POLICY_COUNTS[region.level]):
            pk = loader.new_id(Policy)
            issued = ctx.start - timedelta(days=rng.randint(30, 400))
            level = PolicyLevel.NATIONAL if region.level == "province" and number % 5 == 0 else region.level
            rows.append(
                {
                    "id": pk,
                    "title": f"{region.name}支持民营经济发展政策措施（第{number + 1}号）",
                    "document_number": f"{region.name[:2]}政发〔{issued.year}〕{number + 1}号",
                    "issuer": f"{region.name}人民政府",
                    "level": level,
                    "region_id": code,
                    "issued_on": issued,
                    "valid_from": issued,
                    "summary": "明确了支持对象、支持标准和申报程序。",
                    "created_by_id": staff[0],
                    "created_at": ctx.at(issued, 11),
                }
            )
            ctx.policies.setdefault(code, []).append(pk)
    loader.write(Policy, rows)


def _applicable(ctx, county):
    return ctx.policies.get(county, []) + ctx.policies.get(county[:4] + "00", []) + ctx.policies.get(ctx.scope[0], [])


def generate_visits(ctx):
    loader, rng = ctx.loader, ctx.rng("visits")
    today, target = ctx.today, ctx.sizes.visits
    spans, weights = [], []
    for assignment in ctx.assignments:
        _pk, _position, _official, level, started, ended = assignment
        first, last = max(started, ctx.start), min(ended or today, today)
        spans.append((first, last))
        weights.append(max((last - first).days, 0) / INTERVAL_DAYS[level])
    drafts = [index for index, assignment in enumerate(ctx.assignments) if assignment[5] is None and rng.random() < 0.03]
    per_weight = max(target - len(drafts), 0) / (sum(weights) or 1)
    submitted_total = max(target - len(drafts), 1)
    raise_chance = min(1.0, ctx.sizes.problems * VISIT_PROBLEM_SHARE / submitted_total)
    ctx.visit_problems = []  # (visit id, enterprise position, cadre, visited on, text, category key)
    draft_set = set(drafts)

    visits = loader.sink(Visit)
    companions = visits.child(Visit.companions.through)
    explained = visits.child(Visit.policies_explained.through)
    deliveries = visits.child(PolicyDelivery)
    attachments = visits.child(VisitAttachment)
    texts = list(PROBLEMS)

    def visit(assignment, day, status):
        _pk, position, official, level, _started, _ended = assignment
        county = ctx.enterprise_region[position]
        pk = loader.new_id(Visit)
        submitted = status == VisitStatus.SUBMITTED
        created = ctx.at(day, 10 + rng.randint(0, 6), rng.randint(0, 59))
        submitted_at = ctx.at(day + timedelta(days=rng.choice((0, 0, 0, 1, 2))), 18) if submitted else None
        problem = ""
        if submitted and rng.random() < raise_chance:
            problem = rng.choice(texts)
            ctx.visit_problems.append((pk, position, official, day, problem, PROBLEMS[problem]))
        visits.add(
            {
                "id": pk,
                "enterprise_id": ctx.enterprise_ids[position],
                "region_id": county,
                "cadre_id": official,
                "level": level,
                "visited_on": day,
                "mode": rng.choices(list(VisitMode), weights=[8, 1, 2, 1])[0],
                "people_met": f"{ctx.enterprise_person[position]}（法定代表人）",
                "purpose": rng.choice(PURPOSES),
                "situation": rng.choice(SITUATIONS),
                "needs": rng.choice(NEEDS),
                "problems_raised": problem,
                "follow_up_on": day + timedelta(days=30) if rng.random() < 0.2 else None,
                "status": status,
                "created_by_id": official,
                "created_at": created,
                "updated_at": submitted_at or created,
                "submitted_at": submitted_at,
            }
        )
        if rng.random() < 0.25:
            colleagues = ctx.staff.get(county, []) + ctx.cadres.get(county, [])
            chosen = {rng.choice(colleagues) for _ in range(rng.randint(1, 2))} - {official} if colleagues else set()
            for user in sorted(chosen):
                companions.add({"id": loader.new_id(Visit.companions.through), "visit_id": pk, "user_id": user})
        policies = _applicable(ctx, county)
        if policies and rng.random() < 0.5:
            chosen = sorted(set(rng.sample(policies, k=min(len(policies), rng.randint(1, 2)))))
            for policy in chosen:
                explained.add({"id": loader.new_id(Visit.policies_explained.through), "visit_id": pk, "policy_id": policy})
            if submitted and rng.random() < 0.16:
                deliveries.add(
                    {
                        "id": loader.new_id(PolicyDelivery),
                        "visit_id": pk,
                        "enterprise_id": ctx.enterprise_ids[position],
                        "region_id": county,
                        "policy_id": chosen[0],
                        "support_type": rng.choice(list(SupportType)),
                        "amount": Decimal(rng.randint(5, 500)),
                        "note": "",
                    }
                )
        if submitted and rng.random() < 0.1:
            attachments.add(
                {
                    "id": loader.new_id(VisitAttachment),
                    "visit_id": pk,
                    "file": f"visits/scale/{pk}.jpg",
                    "original_name": "现场照片.jpg",
                    "content_type": "image/jpeg",
                    "size": 180_000 + rng.randint(0, 500_000),
                    "uploaded_by_id": official,
                    "uploaded_at": submitted_at,
                }
            )

    for index, assignment in enumerate(ctx.assignments):
        expected = weights[index] * per_weight
        count = int(expected) + (rng.random() < expected - int(expected))
        first, last = spans[index]
        if count and last > first:
            step = (last - first).days / count
            for number in range(count):
                day = first + timedelta(days=int(step * (number + rng.uniform(0.05, 0.95))))
                visit(assignment, min(day, today), VisitStatus.SUBMITTED)
        if index in draft_set:
            visit(assignment, max(assignment[4], today - timedelta(days=rng.randint(0, 10))), VisitStatus.DRAFT)
    visits.close()


def refresh_due_dates():
    """Each liaison's last visit and next due date, as the visit services keep them (a few UPDATEs in all),
    where this version of the portal keeps them on the liaison."""
    try:
        refresh = import_string("visits.plan.services.refresh_due_dates")
    except ImportError:
        return
    refresh()
