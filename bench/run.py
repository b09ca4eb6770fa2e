"""The runner: picks one official per kind from the database, requests each key page in-process with Django's
test client, and reports median and p95 time, status and query count, beside Django's admin changelists.

Everything runs inside one transaction that is rolled back at the end: the superuser the admin pages need,
the sessions and whatever a page writes leave no trace in the database measured.
"""

import math
import os
import statistics
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Region, RegionLevel, User
from accounts.roles import Role
from assessment.dashboards.selectors import default_period, periods_newest_first
from enterprises.models import Enterprise

from .pages import ADMIN_PAGES, ADMIN_PEER, PAGES

PREFIX = "scale_"
# The figure whose records the benchmark lists: its records are visits, the largest table.
FIGURE_INDICATOR = "visits_recorded_in_a_week"


class BenchError(Exception):
    """The database holds nothing to benchmark (run `manage.py generate_scale_data` first)."""


@dataclass
class Result:
    user: str
    page: str
    url: str
    status: int
    queries: int
    bound: int | None
    times: list = field(default_factory=list)
    admin: str = ""
    ratio: float | None = None

    @property
    def median(self):
        return statistics.median(self.times) * 1000

    @property
    def p95(self):
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000

    @property
    def failure(self):
        # Django's admin redirects a filter it does not know to `?e=1`: its pages must answer 200 to be compared.
        if self.status not in ((200,) if self.bound is None else (200, 302)):
            return f"{self.user} / {self.page} ({self.url}) answered {self.status}"
        if self.bound is not None and self.queries > self.bound:
            return f"{self.user} / {self.page} ({self.url}) made {self.queries} queries, above its bound of {self.bound}"
        return ""


def _official(role, **filters):
    return (
        User.objects.filter(username__startswith=PREFIX, is_active=True, groups__name=role, **filters)
        .order_by("username")
        .first()
    )


def pick_users():
    """One generated official per kind, in the county with the most enterprises and its city."""
    busiest = Enterprise.objects.values("region_id").annotate(n=Count("id")).order_by("-n", "region_id").first()
    if not busiest:
        raise BenchError("No enterprises: run `manage.py generate_scale_data` first.")
    county = Region.objects.get(code=busiest["region_id"])
    province = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").first()
    cadre = (
        User.objects.filter(username__startswith=PREFIX, is_active=True, groups__name=Role.CADRE, region=county)
        .annotate(n=Count("assignments"))
        .order_by("-n", "username")
        .first()
    )
    users = {
        "province staff": _official(Role.STAFF, region=province),
        "city staff": _official(Role.STAFF, region_id=county.parent_id),
        "county staff": _official(Role.STAFF, region=county),
        "cadre": cadre or _official(Role.CADRE),
        "handler": _official(Role.HANDLER, region=county) or _official(Role.HANDLER),
        "reviewer": _official(Role.REVIEWER, region=province) or _official(Role.REVIEWER),
    }
    missing = [kind for kind, user in users.items() if user is None]
    if missing:
        raise BenchError(f"No generated ({PREFIX}…) official for: {', '.join(missing)}.")
    return county, users


def _database():
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    return connection.vendor


def enterprise_objects(pk, name):
    """An enterprise's part of the pages' URLs: its id, and searches of its name of three characters (as people
    type a name, and as a trigram index can look up) and of two."""
    return {"enterprise": pk, "search": name[:3], "short": name[:2]}


def page_objects(county, enterprise):
    """What the pages' URLs name (bench.pages), but the user's own region: the enterprise and searches of its
    name, the county and its city, the open period and the figure whose records are listed."""
    period = default_period(periods_newest_first())
    return {
        **enterprise_objects(enterprise.pk, enterprise.name),
        "county": county.code,
        "city": county.parent_id,
        "period": period.label if period else "",
        "indicator": FIGURE_INDICATOR,
        "part": "numerator",
    }


def _url(page, objects):
    try:
        path = reverse(page.url_name, args=[objects[key] for key in page.needs])
    except NoReverseMatch:
        return None
    return f"{path}?{page.query.format(**objects)}" if page.query else path


def _measure(client, kind, page, url, repeat):
    if repeat > 1:
        client.get(url)  # warm-up, not counted
    times, status, queries = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        status, queries = response.status_code, len(captured.captured_queries)
    return Result(kind, page.label, url, status, queries, page.bound, times, admin=page.admin)


def run(repeat=5, progress=None):
    """Every page as every kind of user, then the admin's; returns (header lines, results, skipped pages)."""
    results, skipped = [], []
    with transaction.atomic(), override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        county, users = pick_users()
        enterprise = Enterprise.objects.filter(region=county).annotate(n=Count("visits")).order_by("-n", "pk").first()
        objects = page_objects(county, enterprise)
        for kind, user in users.items():
            client = Client()
            client.force_login(user)
            for page in PAGES[kind]:
                url = _url(page, {**objects, "region": user.region_id})
                if url is None:
                    skipped.append(f"{kind} / {page.label}: no URL named {page.url_name}")
                    continue
                results.append(_measure(client, f"{kind} ({user.username})", page, url, repeat))
                if progress:
                    progress(results[-1])
        superuser = User.objects.create_superuser("bench_superuser", password=None, region_id=county.code[:2] + "0000")
        client = Client()
        client.force_login(superuser)
        admin_results = {}
        for page in ADMIN_PAGES:
            url = _url(page, objects)
            if url is None:
                skipped.append(f"admin / {page.label}: no URL named {page.url_name}")
                continue
            admin_results[page.label] = result = _measure(client, "superuser", page, url, repeat)
            results.append(result)
            if progress:
                progress(result)
        for result in results:
            peer = result.admin and result.user.startswith(ADMIN_PEER) and admin_results.get(result.admin)
            if peer and peer.median:
                result.ratio = result.median / peer.median
        transaction.set_rollback(True)
    header = [
        f"Benchmark of {county.name} ({county.code}), the county with the most enterprises, and its city and province",
        f"date {timezone.localtime():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} cores, database {_database()}",
        f"{repeat} request(s) per page; times in ms; ratio = ours ÷ admin changelist (medians)",
    ]
    return header, results, skipped


def table(header, results, skipped):
    lines = [*header, ""]
    columns = f"{'user':<40} {'page':<24} {'status':>6} {'queries':>7} {'bound':>5} {'median':>8} {'p95':>8} {'÷admin':>7}"
    lines += [columns, "-" * len(columns)]
    for r in results:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        bound = r.bound if r.bound is not None else "-"
        lines.append(
            f"{r.user[:40]:<40} {r.page:<24} {r.status:>6} {r.queries:>7} {bound:>5} {r.median:>8.1f} {r.p95:>8.1f} {ratio:>7}"
        )
    if skipped:
        lines += ["", "Skipped:", *skipped]
    return "\n".join(lines) + "\n"
