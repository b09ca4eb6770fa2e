"""Demo officials for every role at the province, 济南市, 历下区 and 市中区 (to show the fence).

Used by `manage.py seed_demo`; later features add their demo records beside these.
"""

from django.utils.translation import gettext as _

from notifications.services import notify

from . import services
from .models import Region, UnitType, User
from .roles import Role

DEFAULT_PASSWORD = "Liaison@2026"

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
        fields = {"region": region, "department": department, "full_name": full_name, "title": title}
        official = User.objects.filter(username=username).first()
        if official is None:
            official = services.create_official(username=username, password=password, roles=roles, **fields)
        else:
            services.update_official(official=official, roles=roles, is_active=True, **fields)
            services.reset_password(official=official, password=password)
        notify(
            recipients=[official],
            key="demo-welcome",
            title=_("Welcome to Liaison"),
            body=_("This is a demo account. Its region is %(region)s.") % {"region": region.full_name},
            link="/",
        )
        officials.append(official)
    return officials
