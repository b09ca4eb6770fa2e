"""Demo mechanism reviews: the last two periods due, for the province, three cities and four counties, in
every state (draft, submitted, returned, acknowledged), and a few recommended practices.

Called by `manage.py seed_demo` after the demo officials (accounts.demo). Running it again changes
nothing: a review that exists for its region and period is left as it is.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.demo import JINAN, LIXIA, PROVINCE, SHIZHONG
from accounts.models import Region, User
from core.lifecycle import record
from core.periods import previous_period

from .models import Practice, PracticeTopic, Recommendation, Review, ReviewEvent, ReviewEventKind, ReviewStatus
from .periods import active_cadences, is_required

QINGDAO, SHINAN, LICHENG, YANTAI = "370200", "370202", "370112", "370600"

ACK, SUBMITTED, RETURNED, DRAFT, RESUBMITTED = "acknowledged", "submitted", "returned", "draft", "resubmitted"

# The state of each region's review: for the older period, then for the newer one.
PLAN = {
    PROVINCE: (ACK, DRAFT),
    JINAN: (ACK, SUBMITTED),
    LIXIA: (ACK, SUBMITTED),
    SHIZHONG: (RESUBMITTED, RETURNED),
    LICHENG: (ACK, DRAFT),
    QINGDAO: (ACK, ACK),
    SHINAN: (ACK, DRAFT),
    YANTAI: (SUBMITTED, SUBMITTED),
}

# The demo official who writes each region's review (None: a region without demo officials).
WRITERS = {PROVINCE: "sd_staff", JINAN: "jn_staff", LIXIA: "lx_staff", SHIZHONG: "sz_staff"}
# Who acknowledges or returns for the region above.
DECIDERS = {PROVINCE: "sd_staff", JINAN: "jn_staff"}

T = PracticeTopic
PRACTICES = {
    PROVINCE: [
        (
            "全省“亲清政商”联系制度清单化管理",
            T.INSTITUTIONS,
            (
                "梳理省、市、县三级领导干部联系民营企业的职责清单和负面清单，明确走访频次、问题办"
                "理时限和廉洁要求，按季度通报各市落实情况。"
            ),
        ),
        (
            "省级涉企政策“免申即享”推送",
            T.POLICIES,
            (
                "依托省政务服务平台，对符合条件的企业主动推送惠企政策，省级 37 项政策实现免申"
                "即享，兑现资金平均到账时间缩短至 10 个工作日。"
            ),
        ),
        (
            "民营企业家季度恳谈会",
            T.DIALOGUE,
            (
                "省委统战部会同省工商联每季度召开一次民营企业家恳谈会，分行业听取意见，现场交办、"
                "限时反馈，办理结果在下次会上通报。"
            ),
        ),
    ],
    JINAN: [
        (
            "“泉城企业服务专员”一对一包联",
            T.VISITS,
            (
                "为全市 500 家重点民营企业各配备一名服务专员，建立“企业点单、专员接单、部门"
                "办单”机制，专员每月至少走访一次并在平台登记。"
            ),
        ),
        (
            "涉企问题“接诉即办”闭环",
            T.PROBLEMS,
            ("企业反映的问题统一录入平台，按事项分派责任部门，3 个工作日内首次答复，办结后由企业评价，不满意的退回重办。"),
        ),
        (
            "营商环境“体验官”制度",
            T.BUSINESS_ENVIRONMENT,
            ("邀请 30 名企业家担任营商环境体验官，以办事人身份体验审批服务，发现问题形成清单督促整改。"),
        ),
    ],
    LIXIA: [
        (
            "楼宇企业“服务驿站”",
            T.BUSINESS_ENVIRONMENT,
            (
                "在辖区 12 座重点商务楼宇设立服务驿站，工商、税务、人社等事项就近办理，配备驻"
                "站联络员，楼宇企业诉求当天登记、一周内反馈。"
            ),
        ),
        (
            "“早餐会”政企沟通机制",
            T.DIALOGUE,
            (
                "区领导每月与 5 至 8 家企业负责人开一次早餐会，不设主题、不念稿子，现场能解"
                "决的当场解决，不能解决的列入问题清单跟踪。"
            ),
        ),
        (
            "惠企政策“明白纸”",
            T.POLICIES,
            ("将区级惠企政策按企业规模和行业整理成一页纸的“明白纸”，联系干部走访时逐条讲解，企业扫码即可查看申报条件和流程。"),
        ),
        (
            "走访记录“随手记”",
            T.VISITS,
            ("联系干部用手机在现场登记走访情况和企业诉求，照片和签到表一并上传，区委统战部每周抽查走访记录质量。"),
        ),
    ],
    SHIZHONG: [
        (
            "老字号企业“一企一策”帮扶",
            T.PROBLEMS,
            ("对辖区 21 家老字号企业逐一摸排经营困难，制定一企一策帮扶方案，协调解决门店租赁、品牌保护和融资问题。"),
        ),
        (
            "政企沟通“负面清单”",
            T.CLEAN_RELATIONS,
            ("明确干部联系企业“八不准”，如不准接受宴请、不准参与企业经营活动，联系干部每半年签订廉洁承诺书。"),
        ),
        (
            "商圈企业联合服务小组",
            T.VISITS,
            ("按商圈组建由街道、市场监管、城管人员组成的联合服务小组，每两周集中走访一次，统一回应企业诉求，避免多头打扰。"),
        ),
    ],
    LICHENG: [
        (
            "园区企业“首席服务官”",
            T.VISITS,
            ("在临港开发区为每家规上企业指定一名首席服务官，负责项目手续代办和问题协调，服务情况纳入干部年度考核。"),
        ),
        (
            "融资对接“直通车”",
            T.PROBLEMS,
            ("每季度组织银行与企业面对面对接，建立融资需求清单，累计帮助 46 家中小企业获得贷款 3.2 亿元。"),
        ),
        (
            "企业家参与涉企政策制定",
            T.INSTITUTIONS,
            ("出台涉企政策前召开企业家座谈会征求意见，意见采纳情况书面反馈，政策出台后 3 个月开展实施效果评估。"),
        ),
    ],
    QINGDAO: [
        (
            "海洋经济企业“链长制”服务",
            T.BUSINESS_ENVIRONMENT,
            ("围绕海洋装备、海洋生物医药等产业链，由市领导担任链长，定期召开链上企业协调会，解决配套和用地等问题。"),
        ),
        (
            "涉企执法“首违不罚”清单",
            T.BUSINESS_ENVIRONMENT,
            ("公布 112 项轻微违法行为首违不罚清单，对初次违法且及时改正的企业以指导教育为主，全年惠及企业 1800 余家。"),
        ),
        (
            "外贸企业“出海”服务专班",
            T.POLICIES,
            ("组建外贸服务专班，帮助企业申报出口信用保险和展会补贴，协调解决物流运力紧张和通关问题。"),
        ),
    ],
    SHINAN: [
        (
            "企业诉求“周交办、月通报”",
            T.PROBLEMS,
            ("每周汇总企业诉求交办相关部门，每月通报办理进度，超期未办结的由区委督查室督办。"),
        ),
        (
            "青年企业家“成长营”",
            T.DIALOGUE,
            ("联合区工商联举办青年企业家成长营，开展政策解读、经营管理培训和交流活动，增进新生代企业家对政府工作的了解。"),
        ),
    ],
    YANTAI: [
        (
            "民营企业“服务日”",
            T.VISITS,
            ("每月第一个周五为民营企业服务日，市直部门负责人到企业现场办公，集中解决审批、用工和用地问题。"),
        ),
        (
            "政务服务“帮办代办”",
            T.BUSINESS_ENVIRONMENT,
            ("对重点项目实行全程帮办代办，从立项到开工审批时间压缩至 30 个工作日以内。"),
        ),
    ],
}

SECTIONS = {
    "lessons": "{region}部分联系干部走访重形式、轻实效，个别问题办理时限偏长，企业满意度评价不够及时；"
    "下一步需加强走访质量抽查，对超期问题实行督办。",
    "measures": "{region}制定完善了《领导干部联系民营企业工作办法》《涉企问题办理流程》和《政企沟通负面清单》，"
    "建立了联系工作月调度、季通报、年考核制度。",
    "plan": "{region}将继续落实领导干部联系民营企业制度，重点做好走访全覆盖、问题闭环办理和惠企政策精准推送，"
    "按期召开政企座谈会，及时总结推广典型做法。",
}

RETURN_COMMENT = "做法部分描述较笼统，请补充具体成效数据；存在问题和下一步计划要对应起来。"
ACK_COMMENT = "总结全面，做法具体，可供其他地区借鉴。"

# (region whose staff recommend, region of the practice, index of the practice in that region's list)
RECOMMENDATIONS = [(PROVINCE, QINGDAO, 1), (PROVINCE, LIXIA, 0), (JINAN, LICHENG, 0)]


def demo_periods(*, today):
    """The two latest (cadence, period) pairs ended before `today` that a review is due for, older first."""
    cadences = active_cadences()
    pairs = []
    for cadence in cadences:
        period = previous_period(cadence.period_of(today))
        found = 0
        while found < 2:
            if is_required(cadence, period, cadences):
                pairs.append((cadence, period))
                found += 1
            period = previous_period(period)
    pairs.sort(key=lambda pair: (pair[1].end, pair[0].months))
    return pairs[-2:]


def seed_reviews(*, today):
    """Create the demo reviews and recommendations that do not exist yet; returns the reviews created."""
    regions = Region.objects.select_related("parent").in_bulk(list(PLAN))
    officials = User.objects.in_bulk(["sd_staff", "jn_staff", "lx_staff", "sz_staff"], field_name="username")
    pairs = demo_periods(today=today)
    created = []
    for position, (cadence, period) in enumerate(pairs):
        for code, states in PLAN.items():
            if Review.objects.filter(region_id=code, cadence=cadence, period_label=period.label).exists():
                continue
            created.append(_review(regions[code], cadence, period, states[position], position, officials, today=today))
    if pairs:
        _recommend(pairs[0], officials)
    return created


def _moment(day, today, hour):
    """A time on `day`, but never after `today` (the demo's clock)."""
    return timezone.make_aware(datetime.combine(min(day, today), time(hour)))


def _review(region, cadence, period, state, position, officials, *, today):
    writer = officials.get(WRITERS.get(region.code, ""))
    decider = officials.get(DECIDERS.get(region.parent_id or "", ""))
    values = {"region": region.name}
    review = Review.objects.create(
        region=region,
        cadence=cadence,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        created_by=writer,
        **{field: text.format(**values) for field, text in SECTIONS.items()},
    )
    pool = PRACTICES[region.code]
    chosen = [pool[(position * 2 + offset) % len(pool)] for offset in range(2)]
    bulk_create_with_history(
        [
            Practice(review=review, region=region, title=title, topic=topic, description=description)
            for title, topic, description in chosen
        ],
        Practice,
        default_user=writer,
    )
    steps = []  # (kind, actor, comment, day)
    submitted_on = period.end + timedelta(days=5)
    if state in (SUBMITTED, ACK, RETURNED, RESUBMITTED):
        steps.append((ReviewEventKind.SUBMITTED, writer, "", submitted_on))
    if state in (RETURNED, RESUBMITTED):
        steps.append((ReviewEventKind.RETURNED, decider, RETURN_COMMENT, submitted_on + timedelta(days=3)))
    if state == RESUBMITTED:
        steps.append((ReviewEventKind.SUBMITTED, writer, "", submitted_on + timedelta(days=6)))
    if state in (ACK, RESUBMITTED):
        ack_decider = None if region.parent_id is None else decider
        comment = ACK_COMMENT if ack_decider else ""
        steps.append((ReviewEventKind.ACKNOWLEDGED, ack_decider, comment, steps[-1][3] + timedelta(days=4)))
    for kind, actor, comment, day in steps:
        event = record(review, kind, actor, comment=comment)
        ReviewEvent.objects.filter(pk=event.pk).update(created_at=_moment(day, today, 10))
    submissions = [day for kind, _actor, _comment, day in steps if kind == ReviewEventKind.SUBMITTED]
    review.revision = len(submissions)
    review.submitted_at = _moment(submissions[-1], today, 10) if submissions else None
    review.status = {
        DRAFT: ReviewStatus.DRAFT,
        SUBMITTED: ReviewStatus.SUBMITTED,
        RETURNED: ReviewStatus.RETURNED,
        ACK: ReviewStatus.ACKNOWLEDGED,
        RESUBMITTED: ReviewStatus.ACKNOWLEDGED,
    }[state]
    if review.status == ReviewStatus.ACKNOWLEDGED:
        review.acknowledged_at = _moment(steps[-1][3], today, 15)
        review.acknowledged_by = steps[-1][1]
    review.save()
    return review


def _recommend(pair, officials):
    """Recommend a few practices of the older period's acknowledged reviews."""
    cadence, period = pair
    for recommending, source, index in RECOMMENDATIONS:
        title = PRACTICES[source][index][0]
        practice = Practice.objects.in_library().filter(
            review__cadence=cadence, review__period_label=period.label, region_id=source, title=title
        )
        practice = practice.first()
        if practice is None:
            continue
        Recommendation.objects.get_or_create(
            practice=practice, region_id=recommending, defaults={"recommended_by": officials.get(WRITERS[recommending])}
        )
