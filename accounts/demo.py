"""Demo officials for every role at the province, 济南市, 历下区 and 市中区 (to show the fence).

Used by `manage.py seed_demo`; later features add their demo records beside these.
"""

import zlib

from django.utils.translation import gettext_lazy as _

from notifications.services import notify
from notifications.texts import Text

from . import services
from .models import Region, UnitType, User
from .roles import Role

DEFAULT_PASSWORD = "Liaison@2026"
# Demo officials' e-mail addresses: the reserved .example domain (RFC 2606) never reaches a real mailbox, and
# with an address the e-mail channel takes their notifications, so the console backend shows what is sent.
DEMO_EMAIL_DOMAIN = "liaison.example"

# Surnames of the demo's people, weighted roughly as they occur in Shandong (王, 李 and 张 about one in
# fifteen each), and given names as people of working age carry them: mostly two characters.
SURNAME_WEIGHTS = {
    name: int(weight)
    for name, weight in (
        pair.split(":")
        for pair in (
            "王:75 李:70 张:68 刘:55 陈:30 杨:28 孙:25 赵:22 徐:18 马:17 高:16 于:15 郭:12 周:12 "
            "吴:10 朱:10 宋:10 胡:9 韩:9 孔:8 林:8 何:7 董:7 梁:6 田:6 曹:6 邢:5 姜:5 "
            "崔:5 郑:5 谢:4 冯:4 程:4 魏:4 薛:3 彭:3 吕:3 丁:3 许:3 欧阳:1"
        ).split()
    )
}
GIVEN_NAMES = (
    "建国 建军 建华 志刚 志强 海涛 国栋 永强 立新 德明 振华 学军 庆丰 洪涛 明远 长青 广平 春雷 宏伟 晓东 "
    "建平 连胜 文博 思远 俊杰 浩然 子轩 新民 爱民 卫东 玉林 成刚 树林 金山 "
    "丽华 秀英 桂芳 玉兰 红梅 海燕 晓燕 丽娟 静怡 淑珍 雪梅 春燕 慧敏 婷婷 晓红 文静 秀云 凤霞 美玲 丽萍"
).split()
SINGLE_GIVEN_NAMES = "伟 强 磊 军 勇 杰 涛 斌 鹏 辉 刚 峰 芳 娜 敏 静 霞 丽 艳 洁 琳 颖".split()


def person_name(rng):
    """A plausible Chinese name for a demo person: 王建国, 李丽华, 张磊, 欧阳海燕."""
    surname = rng.choices(list(SURNAME_WEIGHTS), weights=list(SURNAME_WEIGHTS.values()))[0]
    given = rng.choice(GIVEN_NAMES) if rng.random() < 0.8 else rng.choice(SINGLE_GIVEN_NAMES)
    return surname + given


def demo_email(username):
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


# The area code of each demo city's landlines (济南 and the province's offices 0531, 青岛 0532).
AREA_CODES = {"3700": "0531", "3701": "0531", "3702": "0532"}


def demo_office_phone(username, region_code):
    """A plausible office landline, the same at every run: 0531-86xxxxxx from the login's name."""
    digits = zlib.crc32(username.encode()) % 1_000_000
    return f"{AREA_CODES.get(region_code[:4], '0531')}-86{digits:06d}"


PROVINCE, JINAN, LIXIA, SHIZHONG = "370000", "370100", "370102", "370103"

# username, region, unit type of the department, roles, full name, title
DEMO_OFFICIALS = [
    ("admin", PROVINCE, "united-front", [Role.ADMINISTRATOR], "王建国", "省委统战部信息中心主任"),
    ("sd_staff", PROVINCE, "united-front", [Role.STAFF], "李红梅", "省委统战部经济处处长"),
    ("reviewer", PROVINCE, "united-front", [Role.REVIEWER], "赵志强", "省委统战部考核办干部"),
    ("jn_staff", JINAN, "united-front", [Role.STAFF], "孙丽", "济南市委统战部经济处干部"),
    ("lx_staff", LIXIA, "united-front", [Role.STAFF], "周文", "历下区委统战部干部"),
    ("lx_cadre", LIXIA, None, [Role.CADRE], "吴海涛", "历下区副区长"),
    ("lx_handler", LIXIA, "development-reform", [Role.HANDLER], "郑洁", "历下区发改委科员"),
    ("sz_staff", SHIZHONG, "united-front", [Role.STAFF], "钱磊", "市中区委统战部干部"),
    ("sz_cadre", SHIZHONG, None, [Role.CADRE], "冯雪", "市中区副区长"),
]


def seed_officials(*, password):
    """Create or bring back in line every demo official. Running it again changes nothing."""
    regions = Region.objects.in_bulk([PROVINCE, JINAN, LIXIA, SHIZHONG])
    for region in regions.values():
        services.ensure_standard_departments(region=region)
    unit_types = {unit_type.key: unit_type for unit_type in UnitType.objects.all()}
    officials = []
    for username, code, unit_key, roles, full_name, title in DEMO_OFFICIALS:
        region = regions[code]
        department = services.ensure_department(region=region, unit_type=unit_types[unit_key]) if unit_key else None
        fields = {
            "region": region,
            "department": department,
            "full_name": full_name,
            "title": title,
            "office_phone": demo_office_phone(username, code),
            "email": demo_email(username),
        }
        official = User.objects.filter(username=username).first()
        if official is None:
            official = services.create_official(username=username, password=password, roles=roles, **fields)
        else:
            services.update_official(official=official, roles=roles, is_active=True, **fields)
            services.reset_password(official=official, password=password)
        notify(
            recipients=[official],
            key="demo-welcome",
            title=Text(_("Welcome to Liaison")),
            body=Text(_("This is a demo account. Its region is %(region)s."), region=region.full_name),
            link="/",
        )
        officials.append(official)
    return officials
