"""WCAG 2.1 AA with axe-core: the main page of each app, as each role of the cast, on a desk and on a phone.

axe-core is vendored (static/vendor/axe-core/, MPL-2.0) and injected by the test only: no page of the
portal loads it, and nothing is downloaded at test time. A serious or critical violation fails the
test with a report naming the rule, the page and the elements.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import DepartmentFactory
from cases.models import CaseStatus
from cases.tests.factories import CaseFactory
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums.tests.factories import ForumFactory
from notifications.services import notify
from problems.models import Source
from problems.tests.factories import ProblemFactory
from reviews.tests.factories import ReviewFactory
from tests.url_policy import POLICY
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.browser

AXE = settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}

# The main page of each app: (URL name, the record it shows or None). Who may open it comes from the URL
# policy table (tests/url_policy.py), so a role visits what its menu offers it. The public showcase has its
# own test, not logged in.
MAIN_PAGES = [
    ("home", None),
    ("enterprises:list", None),
    ("enterprises:detail", "enterprise"),
    ("visits:list", None),
    ("visits:create", None),
    ("visits:due", None),
    ("visits:plan", None),
    ("problems:list", None),
    ("problems:detail", "problem"),
    ("problems:common", None),
    ("forums:list", None),
    ("forums:detail", "forum"),
    ("forums:compliance", None),
    ("cases:list", None),
    ("reviews:list", None),
    ("assessment:dashboard", None),
    ("notifications:list", None),
    ("exports:list", None),
    ("accounts:official_list", None),
]
# Further pages of the daily paths, each as a role that works in them (every role would only add time).
MORE_PAGES = {
    "cadre": [("enterprises:mine", None), ("visits:mine", None), ("visits:detail", "visit"), ("problems:create", None)],
    "county_staff": [
        ("enterprises:roster", None),
        ("visits:policy_list", None),
        ("problems:create", None),
        ("forums:create", None),
        ("cases:detail", "case"),
        ("reviews:detail", "review"),
        ("reviews:practice_list", None),
    ],
}
DESK_ROLES = ["admin", "province_staff", "reviewer", "city_staff", "county_staff", "cadre", "handler"]
# On a phone, the pages officials open there: the cadre's day, and a look at a problem or a forum.
PHONE_ROLES = ["cadre", "county_staff", "handler"]
PHONE_PAGES = [
    ("home", None),
    ("enterprises:mine", None),
    ("enterprises:detail", "enterprise"),
    ("visits:mine", None),
    ("visits:create", None),
    ("visits:due", None),
    ("problems:list", None),
    ("problems:detail", "problem"),
    ("forums:detail", "forum"),
    ("notifications:list", None),
]


@pytest.fixture
def records(cast):
    """One record of each kind in 历下区, with something in every card the pages show."""
    enterprise = EnterpriseFactory(name="无障碍测试科技有限公司")
    AssignmentFactory(official=cast["cadre"], enterprise=enterprise)
    visit = Visit.objects.create(
        enterprise=enterprise,
        region_id="370102",
        cadre=cast["cadre"],
        level="county",
        visited_on=timezone.localdate(),
        status=VisitStatus.SUBMITTED,
        problems_raised="厂房用地指标未落实",
    )
    department = DepartmentFactory(region_id="370102", name="历下区自然资源局")
    cast["handler"].department = department
    cast["handler"].save()
    problem = ProblemFactory(enterprise=enterprise, visit=visit, source=Source.VISIT, raised_by=cast["cadre"])
    forum = ForumFactory()
    case = CaseFactory(
        enterprise=enterprise,
        nominated_by=cast["county_staff"],
        status=CaseStatus.PUBLISHED,
        consent_given=True,
        consent_on=timezone.localdate(),
        consent_by="企业办公室主任",
        published_at=timezone.now(),
    )
    review = ReviewFactory()
    for official in cast.values():
        notify(recipients=[official], key=f"a11y-{official.pk}", title="无障碍测试通知")
    return {"enterprise": enterprise, "visit": visit, "problem": problem, "forum": forum, "case": case, "review": review}


def axe_violations(page):
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    # Evaluated by the test rather than added as a <script>: the page's Content-Security-Policy runs no
    # inline script, and none at all on the public showcase.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        WCAG_21_AA,
    )
    return [violation for violation in violations if violation["impact"] in FAILING_IMPACTS]


def report(found):
    """One paragraph per rule and failure (a colour pair, a missing name), with the pages and elements."""
    grouped = {}
    for where, violation in found:
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            key = (violation["impact"], violation["id"], violation["help"], summary)
            grouped.setdefault(key, {}).setdefault(node["target"], []).append(where)
    lines = []
    for (impact, rule, help_text, summary), targets in sorted(grouped.items()):
        lines.append(f"[{impact}] {rule}: {help_text}\n  {summary}")
        for target, pages in list(targets.items())[:8]:
            lines.append(f"    {target}  on {', '.join(pages[:4])}{' …' if len(pages) > 4 else ''}")
        if len(targets) > 8:
            lines.append(f"    … and {len(targets) - 8} more elements")
    return "\n".join(lines)


def audit(page, live_server, role, records, *, pages):
    found = []
    for name, record in pages:
        rule = POLICY[name]
        if not rule.public and role not in rule.get:
            continue
        url = reverse(name, kwargs={"pk": records[record].pk} if record else None)
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, f"{url} as {role}: {response.status}"
        found += [(f"{role} {url}", violation) for violation in axe_violations(page)]
    return found


@pytest.mark.parametrize("role", DESK_ROLES)
def test_main_pages_pass_wcag_21_aa_on_a_desk(page, log_in, live_server, cast, records, role):
    page.set_viewport_size(DESK)
    log_in(page, cast[role])
    found = audit(page, live_server, role, records, pages=MAIN_PAGES + MORE_PAGES.get(role, []))
    assert not found, "axe-core (WCAG 2.1 AA) on a desk:\n" + report(found)


@pytest.mark.parametrize("role", PHONE_ROLES)
def test_main_pages_pass_wcag_21_aa_on_a_phone(page, log_in, live_server, cast, records, role):
    page.set_viewport_size(PHONE)
    log_in(page, cast[role])
    found = audit(page, live_server, role, records, pages=PHONE_PAGES)
    assert not found, "axe-core (WCAG 2.1 AA) on a phone:\n" + report(found)


def test_public_pages_pass_wcag_21_aa(page, live_server, records):
    found = []
    for viewport in (DESK, PHONE):
        page.set_viewport_size(viewport)
        for url in (reverse("login"), reverse("showcase:list"), reverse("showcase:detail", kwargs={"pk": records["case"].pk})):
            page.goto(f"{live_server.url}{url}")
            expect(page.locator("main")).to_be_visible()
            found += [(f"anonymous {viewport['width']}px {url}", v) for v in axe_violations(page)]
    assert not found, "axe-core (WCAG 2.1 AA), not logged in:\n" + report(found)
