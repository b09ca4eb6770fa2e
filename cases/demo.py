"""Demo model cases: six on the public showcase, and others in every state of the workflow.

Built on the demo officials and enterprises (accounts.demo, enterprises.demo) and on the visits and
problems their demos create, which serve as evidence. Everything goes through cases.services, so
every case has its history. Deterministic and idempotent: a case is known by its headline, and a
headline already on the list is left alone.
"""

import struct
import zlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import User
from enterprises.models import Enterprise
from problems.demo import OFFICE_STAFF
from visits.models import VisitStatus

from . import services
from .models import Case, Quality, Subject

P, L, E, G = Quality.PATRIOTIC, Quality.LAW_ABIDING, Quality.ENTERPRISING, Quality.GIVING_BACK

# The staff who review and publish for each region are the offices of problems.demo (OFFICE_STAFF).
# The cadre who nominates in each county.
CADRES = {"370102": "lx_cadre", "370103": "sz_cadre", "370104": "hy_cadre", "370176": "gx_cadre", "370202": "qd_cadre"}


@dataclass
class DemoCase:
    title: str
    region: str
    industries: str  # GB/T 4754 sections to pick the enterprise from, in order of preference
    qualities: list
    story: str
    achievements: str
    end: str  # the state the case is taken to
    entrepreneur_title: str = "董事长"
    subject: str = Subject.BOTH
    photos: list = field(default_factory=list)  # captions
    publicity: list = field(default_factory=list)  # (outlet, days before today, title)
    comment: str = ""


CASES = [
    DemoCase(
        title="三十年深耕精密制造 “小零件”做成“大产业”",
        region="370102",
        industries="C",
        qualities=[E, P],
        story=(
            "企业创办于1994年，从一间不足两百平方米的机加工车间起步，三十年专注精密传动零部件研发制造。"
            "面对进口产品长期垄断高端市场的局面，董事长带领团队坚持每年将销售收入的6%以上投入研发，"
            "联合山东大学建立省级企业技术中心，攻克高精度齿轮磨削等多项“卡脖子”工艺。\n"
            "疫情期间，企业主动承接医疗设备关键部件的紧急生产任务，连续四十天昼夜不停工，保障了省内多家医疗器械企业的供应链稳定。"
        ),
        achievements="获评国家级专精特新“小巨人”企业；拥有发明专利27项；主导制定行业标准2项；产品出口至德国、日本等18个国家和地区。",
        end="published",
        photos=["智能化生产车间", "研发团队在做精度检测"],
        publicity=[
            ("大众日报", 3, "“小零件”里的大匠心——记一家济南民营企业的三十年创新路"),
            ("齐鲁网", 1, "专精特新看山东：精密制造的“隐形冠军”"),
        ],
    ),
    DemoCase(
        title="诚信经营二十年 “放心药房”守护街坊健康",
        region="370102",
        industries="F",
        qualities=[L, G],
        story=(
            "企业深耕医药零售二十年，始终坚持“不卖一盒来路不明的药”，建立了从采购、验收到销售全程可追溯的质量管理体系，"
            "连续十二年药品抽检合格率100%。\n"
            "企业在社区门店设立“爱心药箱”，为辖区独居老人免费测量血压血糖、送药上门，累计服务老人两万余人次；"
            "每年组织执业药师走进学校、社区开展合理用药宣传。"
        ),
        achievements="连续十二年被评为A级纳税人；获评“济南市诚信经营示范单位”；带动就业320人，其中吸纳残疾人就业18人。",
        end="published",
        photos=["社区门店的“爱心药箱”"],
        publicity=[("济南日报", 2, "一家药房的二十年诚信坚守")],
    ),
    DemoCase(
        title="把数字化车间搬上“云端” 为中小企业降本增效",
        region="370102",
        industries="I",
        qualities=[E],
        story=(
            "企业由一群从海外归国的工程师创办，专注工业互联网平台研发。针对中小制造企业“不敢转、不会转”的难题，"
            "企业推出按月付费的轻量化生产管理系统，工人用手机即可报工、质检和查看订单进度。\n"
            "在区统战部和挂包干部协调下，企业与区内二十余家制造企业结成数字化转型伙伴，帮助企业平均降低库存15%、缩短交期20%。"
        ),
        achievements="服务制造企业1,200余家；获评省级工业互联网平台；获得软件著作权46项。",
        end="published",
        subject=Subject.ENTERPRISE,
        photos=["平台运营监控中心", "工程师为企业现场部署系统"],
        publicity=[("山东广播电视台", 1, "数字赋能：让小工厂也能用上“智慧大脑”")],
    ),
    DemoCase(
        title="扎根乡村十五年 带领千户农民增收致富",
        region="370103",
        industries="A",
        qualities=[G, P],
        story=(
            "企业负责人出身农家，2009年返乡创业，采用“企业+合作社+农户”模式发展特色果蔬种植。"
            "企业为签约农户统一提供种苗、技术和保底收购，让农民“种得好、卖得出”。\n"
            "多年来，企业出资修建村内道路4.5公里，设立助学基金资助困难家庭学生130余名，"
            "每年冬季为村里的孤寡老人送去米面油和取暖用品。"
        ),
        achievements="带动1,100余户农户年均增收1.8万元；获评“山东省农业产业化重点龙头企业”；负责人当选区政协委员。",
        end="published",
        entrepreneur_title="总经理",
        photos=["合作社农户采收果蔬"],
        publicity=[("农村大众", 4, "返乡创业人的“致富经”")],
    ),
    DemoCase(
        title="打通城乡物流“最后一公里” 危急时刻勇担当",
        region="370103",
        industries="G",
        qualities=[P, G],
        story=(
            "企业从三辆货车起家，发展为拥有冷链、城配、快运业务的综合物流企业，在全区建成村级物流服务站86个，"
            "让农产品进城、消费品下乡的时间缩短了一半。\n"
            "在2023年汛期抢险中，企业第一时间调派四十余辆车辆、一百余名员工，义务运送救灾物资三百余吨，连续奋战七昼夜。"
        ),
        achievements="获评国家4A级物流企业；吸纳退役军人就业95人；获评“济南市抗洪抢险先进集体”。",
        end="published",
        photos=["汛期运送救灾物资的车队"],
    ),
    DemoCase(
        title="守正创新做好一碗“老济南”味道",
        region="370176",
        industries="H C",
        qualities=[L, E],
        story=(
            "企业传承老济南传统小吃制作技艺，坚持原料可溯源、配方不添加，建立了中央厨房和全程冷链配送体系。"
            "在保留传统风味的同时，企业研发出适合电商销售的预制产品，让“老济南”味道走向全国。\n"
            "企业始终依法用工、按时足额缴纳社保，连续八年零劳动纠纷。"
        ),
        achievements="获评“山东老字号”；线上年销售额突破8,000万元；带动就业460人。",
        end="published",
        photos=["中央厨房生产线"],
        publicity=[("中国食品报", 2, "一碗老味道的守正与创新")],
    ),
    DemoCase(
        title="海洋科技企业勇闯“深蓝”",
        region="370202",
        industries="M C I",
        qualities=[E, P],
        story=(
            "企业专注海洋监测装备研发，自主研制的海洋浮标和水下观测设备打破国外技术垄断，"
            "广泛应用于近海生态监测和海上风电运维。企业坚持把研发中心留在青岛，培养了一支两百人的海洋科技人才队伍。"
        ),
        achievements="承担国家重点研发计划项目3项；拥有发明专利41项；获评青岛市科技进步一等奖。",
        end="withdrawn",
        photos=["海洋浮标海试现场"],
        comment="企业正在进行重大资产重组，暂停对外宣传，待重组完成后再行研究。",
    ),
    DemoCase(
        title="建筑企业坚持“零拖欠”保障农民工工资",
        region="370102",
        industries="E",
        qualities=[L, G],
        story="企业设立农民工工资专用账户，实行实名制管理和按月足额支付，十年来未发生一起欠薪事件。",
        achievements="获评“济南市劳动关系和谐企业”。",
        end="approved_with_consent",
    ),
    DemoCase(
        title="检测机构以“数据真实”立身",
        region="370102",
        industries="M",
        qualities=[L],
        story="企业坚持检测数据真实准确，建立数据全程留痕制度，主动向社会公开检测流程，多次获评市场监管部门信用评价A级。",
        achievements="获得CMA、CNAS资质；服务企业3,000余家。",
        end="approved",
    ),
    DemoCase(
        title="物业企业当好社区“大管家”",
        region="370102",
        industries="K",
        qualities=[G],
        story="企业在疫情防控、老旧小区改造中积极配合街道社区开展工作，为独居老人提供“一键呼叫”上门服务。",
        achievements="服务小区46个，业主满意度连续三年超过95%。",
        end="returned",
        comment="请补充企业在老旧小区改造中的具体做法和数据，并附现场照片。",
    ),
    DemoCase(
        title="供应链企业助力小微商户渡难关",
        region="370103",
        industries="F",
        qualities=[G, E],
        story="企业搭建供应链金融服务平台，为上下游小微商户提供账期支持，帮助两百余家商户渡过资金难关。",
        achievements="年交易额12亿元；带动就业150人。",
        end="nominated",
    ),
    DemoCase(
        title="新材料企业攻关高性能复合材料",
        region="370104",
        industries="C",
        qualities=[E],
        story="企业专注高性能复合材料研发，产品应用于轨道交通和新能源汽车轻量化领域。",
        achievements="获评省级“专精特新”企业。",
        end="nominated",
        subject=Subject.ENTERPRISE,
    ),
    DemoCase(
        title="餐饮企业积极参与公益助学",
        region="370102",
        industries="H F",
        qualities=[G],
        story="企业每年拿出部分利润资助困难学生，并为环卫工人提供免费早餐。",
        achievements="累计资助学生60余名。",
        end="rejected",
        comment="经核查，该企业近两年存在食品安全行政处罚记录，暂不符合先进典型推荐条件。",
    ),
]


def _png(width, height, top, bottom):
    """A small PNG with a vertical gradient from `top` to `bottom` (RGB): a stand-in photo, made
    without an imaging library."""
    rows = []
    for y in range(height):
        t = y / max(height - 1, 1)
        pixel = bytes(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        rows.append(b"\x00" + pixel * width)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


PALETTES = [((155, 28, 28), (245, 208, 160)), ((30, 64, 120), (190, 220, 240)), ((40, 110, 60), (220, 235, 200))]


def _photo(number, caption):
    top, bottom = PALETTES[number % len(PALETTES)]
    upload = SimpleUploadedFile(f"{caption}.png", _png(480, 360, top, bottom), content_type="image/png")
    return upload


def _enterprise(spec, used):
    """The first enterprise of the region in one of the preferred industries, not used by another case;
    those the demo visited come first, so that the case has evidence to link."""
    for industry in [*spec.industries.split(), None]:
        enterprises = Enterprise.objects.filter(region_id=spec.region).exclude(pk__in=used)
        if industry:
            enterprises = enterprises.filter(industry_id=industry)
        visited = enterprises.filter(visits__status=VisitStatus.SUBMITTED).distinct().order_by("credit_code").first()
        enterprise = visited or enterprises.order_by("credit_code").first()
        if enterprise is not None:
            return enterprise
    return None


def _reviewer(region_code, users, nominator):
    for code in (region_code, region_code[:4] + "00", region_code[:2] + "0000"):
        staff = users.get(OFFICE_STAFF.get(code, ""))
        if staff is not None and staff != nominator:
            return staff
    return None


@transaction.atomic
def repair_people_names(renamed):
    """Demo cases that copied an enterprise's broken name (enterprises.demo) as their entrepreneur's, renamed."""
    for case in Case.objects.filter(enterprise_id__in=list(renamed)).order_by("pk"):
        old, new = renamed[case.enterprise_id]
        if old == new or old not in (case.entrepreneur_name, case.consent_by.split("（")[0]):
            continue
        case.entrepreneur_name = new if case.entrepreneur_name == old else case.entrepreneur_name
        case.consent_by = case.consent_by.replace(old, new)
        case.save(update_fields=["entrepreneur_name", "consent_by"])


def seed_cases(*, today):
    names = set(OFFICE_STAFF.values()) | set(CADRES.values())
    users = {user.username: user for user in User.objects.filter(username__in=names, is_active=True)}
    existing = set(Case.objects.values_list("title", flat=True))
    used = set(Case.objects.values_list("enterprise_id", flat=True))
    for number, spec in enumerate(CASES):
        if spec.title in existing:
            continue
        nominator = users.get(CADRES.get(spec.region, ""))
        enterprise = _enterprise(spec, used)
        reviewer = _reviewer(spec.region, users, nominator)
        if nominator is None or enterprise is None or reviewer is None:
            continue  # the demo officials or enterprises this case needs are missing
        used.add(enterprise.pk)
        _play(spec, number, enterprise=enterprise, nominator=nominator, reviewer=reviewer, today=today)


def _play(spec, number, *, enterprise, nominator, reviewer, today):
    consented = spec.end in ("published", "withdrawn", "approved_with_consent")
    case = services.nominate(
        actor=nominator,
        enterprise=enterprise,
        title=spec.title,
        story=spec.story,
        achievements=spec.achievements,
        qualities=spec.qualities,
        subject=spec.subject,
        entrepreneur_name=enterprise.legal_representative or "企业负责人",
        entrepreneur_title=spec.entrepreneur_title,
        nomination_note="该企业在联系服务中表现突出，群众口碑好，建议推荐为先进典型。",
        evidence_visits=list(services.evidence_visits(enterprise).order_by("-visited_on")[:2]),
        evidence_forums=list(services.evidence_forums(enterprise)[:2]),
        evidence_problems=list(services.solved_problems(enterprise)[:2]),
        photos=[_photo(number + index, caption) for index, caption in enumerate(spec.photos)],
        consent_given=consented,
        consent_on=today - timedelta(days=60),
        consent_by=f"{enterprise.legal_representative or '企业负责人'}（{spec.entrepreneur_title}）",
        consent_note="企业出具加盖公章的《同意宣传报道确认书》。",
    )
    for photo, caption in zip(case.photos.order_by("id"), spec.photos, strict=False):
        photo.caption = caption
        photo.save(update_fields=["caption"])
    if spec.end == "nominated":
        return case
    if spec.end == "returned":
        return services.return_for_changes(actor=reviewer, case=case, comment=spec.comment)
    if spec.end == "rejected":
        return services.reject(actor=reviewer, case=case, reason=spec.comment)
    case = services.approve(actor=reviewer, case=case, comment="事迹真实，典型性强，同意推荐。")
    if spec.end in ("approved", "approved_with_consent"):
        return case
    case = services.publish(actor=reviewer, case=case)
    for outlet, days_ago, title in spec.publicity:
        services.record_publicity(
            actor=reviewer, case=case, outlet=outlet, published_on=today - timedelta(days=days_ago), title=title
        )
    if spec.end == "withdrawn":
        case = services.withdraw(actor=reviewer, case=case, reason=spec.comment)
    return case
