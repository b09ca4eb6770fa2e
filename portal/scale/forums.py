"""Forums of every region in scope over the years: held ones with minutes, attendance, attending officials,
an attachment's row and opinions (carrying the forum's region), some of them on the problem list;
cancelled ones with their reason; planned ones ahead."""

from datetime import timedelta

from forums.models import Forum, ForumAttachment, ForumAttendance, ForumStatus, Opinion
from problems.models import Source

THEMES = [
    "民营企业发展环境座谈会",
    "惠企政策落实情况座谈会",
    "民营经济高质量发展座谈会",
    "企业融资与用工问题座谈会",
    "科技创新型企业座谈会",
]
OPINIONS = [
    ("希望进一步简化项目审批流程，推行并联审批。", "approvals-permits"),
    ("建议扩大信用贷款和政府性融资担保覆盖面。", "financing"),
    ("技术工人招工难，建议与职业院校开展订单式培养。", "labour-talent"),
    ("希望加快兑现已承诺的产业扶持资金。", "other"),
]
LEVEL_WEIGHT = {"province": 3, "city": 2, "county": 1}
TITLES = ["董事长", "总经理", "执行董事", "副总经理"]


def generate_forums(ctx, player):
    loader, rng = ctx.loader, ctx.rng("forums")
    hosts = [code for code in ctx.scope if ctx.in_region(code)]
    weights = [LEVEL_WEIGHT[ctx.regions[code].level] for code in hosts]
    per_weight = ctx.sizes.forums / (sum(weights) or 1)
    forums = loader.sink(Forum)
    organisers = forums.child(Forum.organisers.through)
    invited = forums.child(Forum.invited_enterprises.through)
    invited_officials = forums.child(Forum.invited_officials.through)
    attending = forums.child(Forum.attending_officials.through)
    attendances = forums.child(ForumAttendance)
    attachments = forums.child(ForumAttachment)
    opinions = []  # written after the forums and the problems they became
    last_day = ctx.today + timedelta(days=60)
    span = (last_day - ctx.start).days
    for code, weight in zip(hosts, weights, strict=True):
        region = ctx.regions[code]
        expected = weight * per_weight
        count = int(expected) + (rng.random() < expected - int(expected))
        enterprises = ctx.in_region(code)
        staff = ctx.staff_for(code)
        officials = (ctx.cadres.get(code, []) + ctx.staff.get(code, []))[:6] or staff
        department = ctx.departments.get((code, "united-front"))
        for number in range(count):
            day = ctx.start + timedelta(days=int(span * (number + rng.uniform(0.1, 0.9)) / count))
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            starts = ctx.at(day, 9, 30) if day <= ctx.today else ctx.at(ctx.today, 9, 30) + timedelta(days=(day - ctx.today).days)
            if day > ctx.today:
                status = ForumStatus.PLANNED
            else:
                status = rng.choices([ForumStatus.HELD, ForumStatus.CANCELLED, ForumStatus.PLANNED], weights=[90, 5, 5])[0]
            pk = loader.new_id(Forum)
            actor = rng.choice(staff) if staff else ctx.admin_id
            guests = rng.sample(enterprises, k=min(len(enterprises), rng.randint(4, 8)))
            held = status == ForumStatus.HELD
            theme = f"{day.year}年{THEMES[number % len(THEMES)]}"
            came = guests[: max(1, len(guests) - rng.randint(0, 1))] if held else []
            forums.add(
                {
                    "id": pk,
                    "region_id": code,
                    "level": region.level,
                    "starts_at": starts,
                    "venue": f"{region.name}政务服务中心会议室",
                    "theme": theme,
                    "status": status,
                    "minutes": f"{region.full_name}召开{theme}，{len(came)}家民营企业负责人参加，反映了融资、用工等方面的问题。"
                    if held
                    else "",
                    "cancel_reason": "主要领导临时有重要公务，座谈会延期。" if status == ForumStatus.CANCELLED else "",
                    "held_at": starts + timedelta(hours=4) if held else None,
                    "cancelled_at": starts - timedelta(days=2) if status == ForumStatus.CANCELLED else None,
                    "created_by_id": actor,
                    "created_at": starts - timedelta(days=14),
                }
            )
            if department:
                organisers.add({"id": loader.new_id(Forum.organisers.through), "forum_id": pk, "department_id": department})
            for position in guests:
                invited.add(
                    {
                        "id": loader.new_id(Forum.invited_enterprises.through),
                        "forum_id": pk,
                        "enterprise_id": ctx.enterprise_ids[position],
                    }
                )
            guests_officials = sorted(set(rng.sample(officials, k=min(len(officials), 2))))
            for user in guests_officials:
                invited_officials.add({"id": loader.new_id(Forum.invited_officials.through), "forum_id": pk, "user_id": user})
            if not held:
                continue
            for user in guests_officials:
                attending.add({"id": loader.new_id(Forum.attending_officials.through), "forum_id": pk, "user_id": user})
            for index, position in enumerate(came):
                attendances.add(
                    {
                        "id": loader.new_id(ForumAttendance),
                        "forum_id": pk,
                        "enterprise_id": ctx.enterprise_ids[position],
                        "entrepreneur_name": ctx.enterprise_person[position],
                        "title": TITLES[index % len(TITLES)],
                        "attended": True,
                    }
                )
            if rng.random() < 0.3:
                attachments.add(
                    {
                        "id": loader.new_id(ForumAttachment),
                        "forum_id": pk,
                        "file": f"forums/scale/{pk}.jpg",
                        "original_name": "签到表.jpg",
                        "content_type": "image/jpeg",
                        "size": 250_000,
                        "uploaded_by_id": actor,
                        "uploaded_at": starts + timedelta(hours=5),
                    }
                )
            for position in came[: rng.randint(0, 3)]:
                text, category = rng.choice(OPINIONS)
                problem = None
                if rng.random() < 0.3:
                    problem = player.play(
                        enterprise=position,
                        raised_by=actor,
                        office=ctx.official_region[actor],
                        raised_on=day,
                        source=Source.FORUM,
                        category=category,
                        description=text,
                        note=theme,
                    )
                opinions.append(
                    {
                        "id": loader.new_id(Opinion),
                        "forum_id": pk,
                        "region_id": code,
                        "enterprise_id": ctx.enterprise_ids[position],
                        "text": text,
                        "problem_id": problem,
                        "recorded_by_id": actor,
                        "recorded_at": starts + timedelta(hours=5),
                    }
                )
    forums.close()
    player.problems.flush()
    loader.write(Opinion, opinions)
