"""Demo forums over the last two years: the province yearly, 济南 and 青岛 half-yearly, and the counties of
the demo enterprises quarterly. Most regions keep the cadence; some fall behind in the ways the compliance
grid and the reminders are built for (a quarter skipped, a forum planned but never recorded, a forum
cancelled, the current period still empty).

Everything goes through forums.services, so the demo obeys the same rules as the pages. Deterministic
and idempotent: a forum is found by its region and theme, and is not created twice.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Department, Region, User
from core.periods import recent_periods
from enterprises.models import Enterprise
from problems.models import Category

from . import services
from .cadence import cadences
from .models import Forum, ForumAttendance

# region: (periods to cover, which past periods were missed (1 = the one before the current), the current
# period's state: "held", "planned" or "missing"), and how a missed period went: "none", "planned" (never
# recorded as held) or "cancelled".
PLAN = {
    "370000": (2, {}, "held"),
    "370100": (4, {}, "held"),
    "370200": (4, {2: "cancelled"}, "planned"),
    "370102": (8, {}, "held"),
    "370103": (8, {}, "missing"),
    "370104": (8, {4: "none"}, "planned"),
    "370112": (8, {2: "planned"}, "missing"),
    "370176": (8, {}, "held"),
    "370202": (8, {6: "none"}, "held"),
    "370212": (8, {1: "cancelled"}, "planned"),
}
# The staff who organise each region's forums: its own, or the nearest region above with demo staff.
ORGANISER = {"370000": "sd_staff", "3701": "jn_staff", "370102": "lx_staff", "370103": "sz_staff", "3702": "sd_staff"}
THEMES = [
    "民营企业发展环境座谈会",
    "惠企政策落实情况座谈会",
    "民营经济高质量发展座谈会",
    "企业融资与用工问题座谈会",
    "科技创新型企业座谈会",
    "营商环境“企业吹哨、部门报到”座谈会",
]
OPINIONS = [
    "希望进一步简化项目审批流程，推行并联审批。",
    "中小企业贷款仍需抵押担保，建议扩大信用贷款和政府性融资担保覆盖面。",
    "技术工人招工难，建议与职业院校开展订单式培养。",
    "研发费用加计扣除政策申报材料较多，希望提供上门辅导。",
    "希望政府采购和招投标对民营企业一视同仁。",
    "园区道路和物流配套有待完善，货车通行时段受限。",
    "建议建立涉企检查统筹机制，减少重复检查。",
    "希望加快兑现已承诺的产业扶持资金。",
]
TITLES = ["董事长", "总经理", "执行董事", "副总经理"]
VENUES = {"province": "省委统战部第一会议室", "city": "市民中心第三会议室", "county": "区政务服务中心会议室"}


def _organiser(code):
    for key in (code, code[:4], "370000"):
        if key in ORGANISER:
            return User.objects.filter(username=ORGANISER[key], is_active=True).first()
    return None


def _when(period, today, rng, *, held):
    """A working-day morning inside the period; a held forum's date is not after today."""
    last = min(period.end, today) if held else period.end
    first = period.start if not held or last < period.start + timedelta(days=20) else period.start + timedelta(days=20)
    if not held and period.contains(today):
        first = max(first, today + timedelta(days=7))
        if first > last:
            first = last
    day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
    while day.weekday() >= 5 and day - timedelta(days=1) >= first:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _minutes(region, theme, attendees):
    names = "、".join(enterprise.name for enterprise, _name, _title in attendees[:3])
    return (
        f"{region.full_name}召开{theme}，{len(attendees)}家民营企业负责人参加。\n"
        f"{names}等企业负责人介绍了生产经营情况，反映了融资、用工、审批等方面的困难和问题。\n"
        "会议要求有关部门对企业反映的问题建立清单、明确责任、限期办结，并及时向企业反馈办理结果。"
    )


def repair_people_names(renamed):
    """The attendance of demo forums that copied an enterprise's broken name (enterprises.demo), renamed."""
    for attendance in ForumAttendance.objects.filter(enterprise_id__in=list(renamed)).order_by("pk"):
        old, new = renamed[attendance.enterprise_id]
        if attendance.entrepreneur_name == old and old != new:
            attendance.entrepreneur_name = new
            attendance.save(update_fields=["entrepreneur_name"])


def seed_forums(*, today):
    rules = cadences()
    category = Category.objects.filter(is_active=True).order_by("pk").first()
    regions = Region.objects.in_bulk(list(PLAN))
    for code, (count, missed, current_state) in PLAN.items():
        region, actor = regions.get(code), _organiser(code)
        if region is None or actor is None:
            continue
        rng = random.Random(f"forums-{code}")
        enterprises = list(Enterprise.objects.in_region(region).order_by("credit_code")[:200])
        if not enterprises:
            continue
        organisers = list(Department.objects.active().filter(region_id__in=[code, "370000"]).order_by("-region_id", "pk")[:2])
        officials = list(services.officials_in_reach(region).filter(region_id=code).order_by("pk")[:3])
        periods = recent_periods(today, rules[region.level].months, count)
        for age, period in enumerate(reversed(periods)):
            theme = f"{period.label} {THEMES[(age + len(code)) % len(THEMES)]}"
            if Forum.objects.filter(region=region, theme=theme).exists():
                continue
            outcome = current_state if age == 0 else ("held" if age not in missed else missed[age])
            if outcome in ("none", "missing"):
                continue
            held = outcome == "held"
            invited = rng.sample(enterprises, min(len(enterprises), rng.randint(4, 7)))
            forum = services.plan_forum(
                actor=actor,
                region=region,
                starts_at=_when(period, today, rng, held=held),
                venue=VENUES[region.level],
                theme=theme,
                organisers=organisers,
                invited_enterprises=invited,
                invited_officials=officials,
                today=today,
            )
            if outcome == "cancelled":
                services.cancel(actor=actor, forum=forum, reason="主要领导临时有重要公务，座谈会延期，另行通知。")
            if not held:
                continue
            attendees = [
                (enterprise, enterprise.legal_representative or f"负责人{index + 1}", TITLES[index % len(TITLES)])
                for index, enterprise in enumerate(invited[: max(3, len(invited) - 1)])
            ]
            services.record_held(
                actor=actor,
                forum=forum,
                minutes=_minutes(region, theme, attendees),
                attendance=attendees,
                attending_officials=officials,
                today=today,
            )
            for number, (enterprise, _name, _title) in enumerate(attendees[:2]):
                opinion = services.add_opinion(
                    actor=actor, forum=forum, enterprise=enterprise, text=OPINIONS[(age * 2 + number + len(code)) % len(OPINIONS)]
                )
                # The latest forums' first opinions are on the problem list.
                if age <= 1 and number == 0 and category is not None:
                    services.opinion_to_problem(actor=actor, opinion=opinion, category=category)
