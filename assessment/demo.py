"""The demo assessment: schemes, two closed periods and the open year, so that `reviewer` and `jn_staff`
see charts and rankings as soon as they log in.

- Schemes, in every period: the province's for cities, the province's default for counties (set through
  assessment.services by `admin`), and 济南市's own for its counties (written directly: the demo has no
  administrator of 济南市).
- Two closed periods: the year before and the last half year that has ended (the demo's records start
  in the current year, so the half year has figures to freeze). 历下区 and 市中区 confirm through the
  approval services, 济南市 accepts them, and the province closes the period, forced with a reason since
  the other regions have no demo officials to approve theirs. Closing computes the figures and freezes them.
- The open current year, its figures computed.

Called by `manage.py seed_demo` after the other apps' demos (its figures count their records). Running it
again changes nothing: a closed period is left as it is, an existing scheme is kept, the approval steps
already taken are not repeated, and the open year is computed at most once a day.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.demo import JINAN, LIXIA, PROVINCE, SHIZHONG
from accounts.models import Region, RegionLevel, User

from . import services
from .figures import refresh_period
from .models import ApprovalStatus, AssessmentPeriod, PeriodKind, RegionApproval, Scheme, SchemeItem

CITY_ITEMS = [
    ("liaison_coverage", 25, 90),
    ("visit_coverage", 25, 80),
    ("problem_resolution", 20, 85),
    ("satisfaction", 15, 90),
    ("forum_compliance", 15, 100),
]
COUNTY_ITEMS = [
    ("liaison_coverage", 30, 95),
    ("visit_coverage", 30, 85),
    ("problems_on_time", 20, 90),
    ("satisfaction", 20, 90),
]
JINAN_COUNTY_ITEMS = [
    ("liaison_coverage", 25, 95),
    ("visit_coverage", 25, 90),
    ("problems_on_time", 20, 90),
    ("median_days_to_close", 10, 15),
    ("satisfaction", 20, 90),
]
CLOSE_REASON = "演示数据：其他地区没有演示账号，由省里统一关闭。"
EXPLANATION = "个别企业年内注销，联系覆盖率分母已相应减少。"


def demo_periods(today):
    """(label, kind, start, end) of the two closed periods and of the open year, oldest first."""
    year = today.year
    if today > date(year, 6, 30):
        half = (f"{year}H1", PeriodKind.HALF, date(year, 1, 1), date(year, 6, 30))
    else:
        half = (f"{year - 1}H2", PeriodKind.HALF, date(year - 1, 7, 1), date(year - 1, 12, 31))
    last_year = (f"{year - 1}", PeriodKind.YEAR, date(year - 1, 1, 1), date(year - 1, 12, 31))
    current = (f"{year}", PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))
    return [last_year, half], current


def _items(rows):
    return [{"indicator": code, "weight": Decimal(weight), "target": Decimal(target)} for code, weight, target in rows]


def seed_schemes(period, *, admin):
    """The province's two schemes (through the services) and 济南市's scheme for its counties."""
    if period.is_closed:
        return
    province, jinan = Region.objects.get(code=PROVINCE), Region.objects.get(code=JINAN)
    for level, name, rows in (
        (RegionLevel.CITY, f"{period.label} 各市联系民营企业工作考核方案", CITY_ITEMS),
        (RegionLevel.COUNTY, f"{period.label} 县（市、区）联系民营企业工作考核方案（全省默认）", COUNTY_ITEMS),
    ):
        if not Scheme.objects.filter(period=period, owner=province, assessed_level=level).exists():
            scheme = services.create_scheme(actor=admin, period=period, owner=province, assessed_level=level, name=name)
            services.set_scheme_items(actor=admin, scheme=scheme, items=_items(rows))
    scheme, created = Scheme.objects.get_or_create(
        period=period,
        owner=jinan,
        assessed_level=RegionLevel.COUNTY,
        defaults={"name": f"{period.label} 济南市区县联系民营企业工作考核方案"},
    )
    if created:
        bulk_create_with_history(
            [
                SchemeItem(scheme=scheme, indicator=code, weight=Decimal(weight), target=Decimal(target))
                for code, weight, target in JINAN_COUNTY_ITEMS
            ],
            SchemeItem,
        )


def _status(period, code):
    found = RegionApproval.objects.filter(period=period, region_id=code).values_list("status", flat=True).first()
    return found or ApprovalStatus.OPEN


def close_demo_period(period, *, today, officials):
    """历下区 and 市中区 confirm, 济南市 accepts them, the province closes the period (forced, with a reason)."""
    if period.is_closed:
        return period
    regions = Region.objects.in_bulk([LIXIA, SHIZHONG])
    for code, username, explanation in ((LIXIA, "lx_staff", EXPLANATION), (SHIZHONG, "sz_staff", "")):
        if _status(period, code) == ApprovalStatus.OPEN:
            services.confirm_figures(
                actor=officials[username], period=period, region=regions[code], explanation=explanation, today=today
            )
        if _status(period, code) == ApprovalStatus.CONFIRMED:
            services.accept_figures(actor=officials["jn_staff"], period=period, region=regions[code])
    return services.close_period(actor=officials["admin"], period=period, force=True, reason=CLOSE_REASON, today=today)


def seed_assessment(*, today):
    """The demo assessment (see the module's docstring). Returns the periods, oldest first."""
    officials = {user.username: user for user in User.objects.filter(username__in=["admin", "jn_staff", "lx_staff", "sz_staff"])}
    closed, current = demo_periods(today)
    periods = []
    for label, kind, start, end in closed:
        period, _new = AssessmentPeriod.objects.get_or_create(label=label, defaults={"kind": kind, "start": start, "end": end})
        seed_schemes(period, admin=officials["admin"])
        periods.append(close_demo_period(period, today=today, officials=officials))
    label, kind, start, end = current
    period, _new = AssessmentPeriod.objects.get_or_create(label=label, defaults={"kind": kind, "start": start, "end": end})
    seed_schemes(period, admin=officials["admin"])
    if not period.is_closed and (period.refreshed_at is None or timezone.localdate(period.refreshed_at) < today):
        refresh_period(period, today=today)
        period.refresh_from_db()
    periods.append(period)
    return periods
