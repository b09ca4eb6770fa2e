"""Every URL pattern, requested as every role, inside and outside the role's region.

The policy table is `url_policy.py`. The test fails on a URL without an entry, on any answer other
than the one the table implies, on a server error, and on any page that shows a record of a region
its reader may not see.
"""

import json
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from assessment.bulletins.selectors import bulletin_content
from assessment.models import AssessmentPeriod, Bulletin, Scheme
from cases.models import CasePhoto, CaseStatus
from cases.tests.factories import PNG, CaseFactory
from door.tests.clients import door_client
from enterprises.models import ImportJob
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from exports.models import ExportJob, ExportStatus
from forums.models import ForumAttachment, ForumStatus, Opinion
from forums.tests.factories import ForumFactory
from notifications.services import notify
from problems.models import EventKind, ProblemEvent, ProblemEventAttachment, Source
from problems.tests.factories import ProblemFactory
from reviews.models import ReviewStatus
from reviews.tests.factories import PracticeFactory, ReviewFactory
from tests.cast import ENTERPRISE, ENTERPRISE_REGION
from visits.models import Policy, Visit, VisitAttachment, VisitStatus

from .url_policy import ADMIN_NAMESPACE, POLICY

# Records only some regions may see, with a text that must not appear on any page outside them.
LEAK_MARKERS = {
    "370103": "市中区泄漏标记",  # 济南市 市中区: visible to the province, 济南市 and 市中区 only
    "370402": "枣庄泄漏标记",  # 枣庄市 市中区: visible to the province only
}


def iter_url_patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if namespace and entry.namespace:
                inner = f"{namespace}:{entry.namespace}"
            yield from iter_url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            if entry.name is None and namespace == ADMIN_NAMESPACE:
                continue  # the admin's own redirects (<path:object_id>/ to its change page)
            if entry.name is None:
                raise AssertionError(f"URL pattern {entry.pattern} has no name: every URL needs a name and a policy")
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry


ALL_PATTERNS = dict(iter_url_patterns())
PORTAL_NAMES = sorted(name for name in ALL_PATTERNS if not name.startswith(f"{ADMIN_NAMESPACE}:"))
ADMIN_NAMES = sorted(name for name in ALL_PATTERNS if name.startswith(f"{ADMIN_NAMESPACE}:"))


def test_every_url_pattern_has_a_policy():
    missing = [name for name in PORTAL_NAMES if name not in POLICY]
    stale = [name for name in POLICY if name not in ALL_PATTERNS]
    assert not missing, f"URL patterns without an entry in tests/url_policy.py: {missing}"
    assert not stale, f"Entries in tests/url_policy.py for URLs that no longer exist: {stale}"


@pytest.fixture
def records(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    """For each kind of record: one in 历下区 (370102) and one in 市中区 (370103), or the owner's one."""
    inside_official = UserFactory(username="policy_inside", region_id="370102", full_name="历下区干部甲")
    outside_official = UserFactory(username="policy_outside", region_id="370103", full_name=LEAK_MARKERS["370103"])
    UserFactory(username="policy_zaozhuang", region_id="370402", full_name=LEAK_MARKERS["370402"])
    DepartmentFactory(region_id="370402", name=LEAK_MARKERS["370402"] + "部门")
    [notification] = notify(recipients=[cast["county_staff"]], key="policy-test", title="政策测试通知")
    enterprises = {
        "370102": EnterpriseFactory(region_id="370102", name="历下区测试企业"),
        "370103": EnterpriseFactory(region_id="370103", name=LEAK_MARKERS["370103"] + "企业"),
    }
    zaozhuang = EnterpriseFactory(region_id="370402", name=LEAK_MARKERS["370402"] + "企业")
    assignments = {
        "370102": AssignmentFactory(enterprise=enterprises["370102"], official=cast["cadre"]),
        "370103": AssignmentFactory(enterprise=enterprises["370103"], official=cast["other_county_cadre"]),
    }
    AssignmentFactory(enterprise=zaozhuang, official=UserFactory(region_id="370402", roles=[Role.CADRE]))
    # A liaison of the province's, so that lists which show every level have something to show.
    AssignmentFactory(enterprise=enterprises["370103"], official=UserFactory(region_id="370000", roles=[Role.CADRE]))
    visits = {
        code: Visit.objects.create(
            enterprise=enterprises[code],
            region_id=code,
            cadre=assignments[code].official,
            level="county",
            purpose=("历下区走访" if code == "370102" else LEAK_MARKERS["370103"] + "走访"),
            status=VisitStatus.SUBMITTED,
        )
        for code in ("370102", "370103")
    }
    Visit.objects.create(
        enterprise=zaozhuang,
        region_id="370402",
        cadre=zaozhuang.assignments.get().official,
        level="county",
        purpose=LEAK_MARKERS["370402"] + "走访",
        status=VisitStatus.SUBMITTED,
    )
    attachments = {
        code: VisitAttachment.objects.create(
            visit=visit,
            file=ContentFile(b"%PDF-1.4 test", name="minutes.pdf"),
            original_name="minutes.pdf",
            content_type="application/pdf",
            size=13,
        )
        for code, visit in visits.items()
    }
    policies = {
        code: Policy.objects.create(
            title=("历下区政策" if code == "370102" else LEAK_MARKERS["370103"] + "政策"),
            issuer="区政府",
            level="county",
            region_id=code,
            issued_on="2026-01-01",
            document=ContentFile(b"%PDF-1.4 policy", name="policy.pdf"),
        )
        for code in ("370102", "370103")
    }
    Policy.objects.create(
        title=LEAK_MARKERS["370402"] + "政策", issuer="区政府", level="county", region_id="370402", issued_on="2026-01-01"
    )
    problems = {
        code: ProblemFactory(
            enterprise=enterprises[code],
            raised_by=assignments[code].official,
            description=("历下区问题" if code == "370102" else LEAK_MARKERS["370103"] + "问题"),
        )
        for code in ("370102", "370103")
    }
    ProblemFactory(
        enterprise=zaozhuang, raised_by=zaozhuang.assignments.get().official, description=LEAK_MARKERS["370402"] + "问题"
    )
    # The enterprises' own demands, raised through their doors (door/demands/).
    demands = {
        code: ProblemFactory(
            enterprise=enterprises[code],
            source=Source.ENTERPRISE,
            raised_by=None,
            description=("历下区诉求" if code == "370102" else LEAK_MARKERS["370103"] + "诉求"),
        )
        for code in ("370102", "370103")
    }
    problem_attachments = {
        code: ProblemEventAttachment.objects.create(
            event=ProblemEvent.objects.create(problem=problem, kind=EventKind.RAISED, status=problem.status),
            file=ContentFile(b"%PDF-1.4 reply", name="reply.pdf"),
            original_name="reply.pdf",
            content_type="application/pdf",
            size=14,
        )
        for code, problem in problems.items()
    }
    forums = {
        code: ForumFactory(
            region=Region.objects.get(code=code),
            status=ForumStatus.HELD,
            minutes="纪要",
            theme=("历下区座谈会" if code == "370102" else LEAK_MARKERS["370103"] + "座谈会"),
        )
        for code in ("370102", "370103")
    }
    ForumFactory(region=Region.objects.get(code="370402"), theme=LEAK_MARKERS["370402"] + "座谈会")
    # The enterprise of the cast (its door session) is invited to its own region's forum only.
    forums["370102"].invited_enterprises.add(enterprises["370102"])
    opinions = {
        code: Opinion.objects.create(
            forum=forum,
            region_id=code,
            enterprise=enterprises[code],
            text=("历下区意见" if code == "370102" else LEAK_MARKERS["370103"] + "意见"),
        )
        for code, forum in forums.items()
    }
    forum_attachments = {
        code: ForumAttachment.objects.create(
            forum=forum,
            file=ContentFile(b"%PDF-1.4 signed minutes", name="minutes.pdf"),
            original_name="minutes.pdf",
            content_type="application/pdf",
            size=23,
        )
        for code, forum in forums.items()
    }
    cases = {
        code: CaseFactory(
            enterprise=enterprises[code],
            nominated_by=assignments[code].official,
            title=("历下区典型" if code == "370102" else LEAK_MARKERS["370103"] + "典型"),
        )
        for code in ("370102", "370103")
    }
    CaseFactory(enterprise=zaozhuang, nominated_by=zaozhuang.assignments.get().official, title=LEAK_MARKERS["370402"] + "典型")

    def photo(case):
        return CasePhoto.objects.create(
            case=case, file=ContentFile(PNG, name="photo.png"), original_name="photo.png", content_type="image/png", size=len(PNG)
        )

    case_photos = {
        code: photo(
            CaseFactory(enterprise=enterprises[code], nominated_by=assignments[code].official, status=CaseStatus.APPROVED)
        )
        for code in ("370102", "370103")
    }
    # Public by design: a published case, whose enterprise carries no leak marker.
    published = CaseFactory(
        enterprise=EnterpriseFactory(region_id="370103", name="市中区公开典型企业"),
        status=CaseStatus.PUBLISHED,
        consent_given=True,
        consent_on=timezone.localdate(),
        consent_by="企业办公室主任",
        published_at=timezone.now(),
    )
    reviews = {}
    for code in ("370102", "370103"):
        marker = "历下区" if code == "370102" else LEAK_MARKERS["370103"]
        reviews[code] = ReviewFactory(
            region=Region.objects.get(code=code), status=ReviewStatus.SUBMITTED, lessons=marker + "总结"
        )
        PracticeFactory(review=reviews[code], title=marker + "做法")
    ReviewFactory(region=Region.objects.get(code="370402"), lessons=LEAK_MARKERS["370402"] + "总结")
    # The practice library shows acknowledged practices province-wide: they carry no leak marker.
    practices = {
        code: PracticeFactory(
            review=ReviewFactory(region=Region.objects.get(code=code), on=date(2025, 3, 1), status=ReviewStatus.ACKNOWLEDGED),
            title=f"{code}公开做法",
        )
        for code in ("370102", "370103")
    }
    # The assessment's pages of a period: the year of the records above (a liaison starts today by default).
    AssessmentPeriod.objects.get_or_create(label="2026", defaults={"start": date(2026, 1, 1), "end": date(2026, 12, 31)})
    # Progress bulletins of 济南市 (inside the city's fence) and of 枣庄市 (outside it).
    bulletin_period, _new = AssessmentPeriod.objects.get_or_create(
        label="2026", defaults={"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    )
    bulletins = {
        code: Bulletin.objects.create(
            period=bulletin_period,
            region_id=code,
            issue="2026-01",
            as_of=date(2026, 1, 31),
            content=bulletin_content(bulletin_period, Region.objects.get(code=code), as_of=date(2026, 1, 31)),
            workbook=ContentFile(b"PK table", name="bulletin.xlsx"),
            report=ContentFile(b"PK report", name="bulletin.docx"),
        )
        for code in ("370100", "370400")
    }
    # An assessment scheme of 枣庄市 for its counties: read by the province only.
    scheme = Scheme.objects.create(
        period=bulletin_period, owner_id="370400", assessed_level="county", name=LEAK_MARKERS["370402"] + "方案"
    )
    return {
        "scheme": {"370400": scheme},
        "assessment_region": {code: Region.objects.get(code=code) for code in ("370102", "370103")},
        "cadre": {"370102": cast["cadre"], "370103": cast["other_county_cadre"]},
        "case": cases,
        "case_photo": case_photos,
        "published_case": {"public": published},
        "published_case_photo": {"public": photo(published)},
        "review": reviews,
        "practice": practices,
        "problem": problems,
        "demand": demands,
        "forum": forums,
        "forum_attachment": forum_attachments,
        "opinion": opinions,
        "problem_attachment": problem_attachments,
        "visit": visits,
        "attachment": attachments,
        "policy": policies,
        "enterprise": enterprises,
        "assignment": assignments,
        "official": {"370102": inside_official, "370103": outside_official},
        "department": {
            "370102": DepartmentFactory(region_id="370102", name="历下区测试部门"),
            "370103": DepartmentFactory(region_id="370103", name=LEAK_MARKERS["370103"] + "部门"),
        },
        "bulletin": bulletins,
        "notification": {"owner": notification},
        "import_job": {"owner": ImportJob.objects.create(owner=cast["county_staff"], token="f" * 32, kind="enterprises")},
        "export_job": {
            "owner": ExportJob.objects.create(
                owner=cast["county_staff"],
                kind="visits",
                fingerprint="policy",
                status=ExportStatus.DONE,
                file=ContentFile(b"PK xlsx", name="visits.xlsx"),
                file_name="走访记录.xlsx",
                finished_at=timezone.now(),
            )
        },
    }


def region_contains(user, code):
    region = Region.objects.get(code=user.region_id)
    return region.contains(code)


def expected_statuses(rule, method, role, user, cast, record_key, record=None):
    allowed = rule.get if method == "get" else rule.post
    if not allowed:
        return {405}
    if role not in allowed:
        return {403}
    if rule.scope in ("region", "region_lead") and not region_contains(user, record_key):
        return {404}
    if rule.scope == "region_lead" and record.cadre_id != user.pk:
        return {403}
    if rule.scope == "owner" and user != cast["county_staff"]:
        return {404}
    return rule.allowed


def expected_for_the_enterprise(rule, method, record_key):
    """What the enterprise's door session gets: a set of statuses, "login" (the officials' login page, as an
    anonymous visitor), or None (a public page not of the door: anything but a server error)."""
    if not rule.door:
        return None if rule.public else "login"
    if method not in rule.door:
        return {405}
    if rule.door_scope == "enterprise" and record_key != ENTERPRISE_REGION:
        return {404}
    return rule.door_allowed


@pytest.fixture
def enterprise_client(records):
    """The cast's enterprise: a browser that opened a link of the enterprise of 历下区."""
    return door_client(records["enterprise"][ENTERPRISE_REGION])


def assert_no_leak(response, user, label):
    """No record of a region outside the reader's (`user`: an official, or the region code of the enterprise's
    door session) on the page."""
    if response.status_code != 200 or response.streaming:
        return
    content_type = response.get("Content-Type", "")
    if "json" in content_type:
        text = json.dumps(response.json(), ensure_ascii=False)
    elif "text" in content_type:
        text = response.content.decode()
    else:
        return  # spreadsheets are checked by the export tests
    for code, marker in LEAK_MARKERS.items():
        if marker in text:
            inside = user == code if isinstance(user, str) else region_contains(user, code)
            assert inside, f"{label} shows {marker}, a record of {code}, outside the reader's region"


@pytest.mark.parametrize("name", PORTAL_NAMES)
def test_url_policy(name, cast, records, enterprise_client):
    rule = POLICY[name]
    targets = [(None, dict(rule.url_kwargs))]
    if rule.record:
        targets = [(key, {**rule.url_kwargs, rule.kwarg: record.pk}, record) for key, record in records[rule.record].items()]
    else:
        targets = [(None, kwargs, None) for _key, kwargs in targets]
    for record_key, kwargs, record in targets:
        url = reverse(name, kwargs=kwargs)
        anonymous = Client()
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            assert response.status_code != 500, f"anonymous {method.upper()} {url} answered 500"
            if not rule.public:
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
                    f"anonymous {method.upper()} {url} answered {response.status_code} instead of the login page"
                )
        for role, user in cast.items():
            client = Client()
            client.force_login(user)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                label = f"{role} {method.upper()} {url}"
                wanted = expected_statuses(rule, method, role, user, cast, record_key, record)
                assert response.status_code in wanted, f"{label}: {response.status_code}, expected {sorted(wanted)}"
                assert_no_leak(response, user, label)
        for method in ("get", "post"):
            response = getattr(enterprise_client, method)(url)
            label = f"{ENTERPRISE} {method.upper()} {url}"
            wanted = expected_for_the_enterprise(rule, method, record_key)
            assert response.status_code != 500, f"{label} answered 500"
            if wanted == "login":
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
                    f"{label}: {response.status_code} instead of the login page"
                )
            elif wanted is not None:
                assert response.status_code in wanted, f"{label}: {response.status_code}, expected {sorted(wanted)}"
            assert_no_leak(response, ENTERPRISE_REGION, label)


def fill_admin_kwargs(pattern):
    converters = pattern.pattern.converters
    names = pattern.pattern.regex.groupindex
    return {key: 1 if key in converters and converters[key].regex == "[0-9]+" else "1" for key in names}


@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_admin_site_is_for_province_administrators_only(name, cast):
    pattern = ALL_PATTERNS[name]
    try:
        url = reverse(name, kwargs=fill_admin_kwargs(pattern))
    except Exception:  # patterns with regex groups that "1" cannot fill, such as app_list's app label
        url = reverse(name, kwargs={"app_label": "accounts"}) if "app_label" in pattern.pattern.regex.groupindex else None
    if url is None:
        pytest.skip(f"cannot build a URL for {name}")
    staff = Client()
    staff.force_login(cast["admin"])
    # 403: what the admin itself refuses (adding a region: they come from the national codes); 405: GET of logout
    assert staff.get(url).status_code in {200, 302, 403, 404, 405}
    for role in ("county_admin", "county_staff", "cadre"):
        client = Client()
        client.force_login(cast[role])
        response = client.get(url)
        if name in {"admin:login", "admin:logout"}:
            assert response.status_code in {200, 302, 405}
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (
                f"{role} GET {url}: {response.status_code}"
            )
