"""The key pages per kind of user, with their query-count bounds.

A page is (label, URL name, args key, query string, bound). The args key names an object the runner picks
from the database (`enterprise`); a URL name that does not exist is skipped, not failed. Bounds are
issue 13's "under 20 queries per page whatever the data size" plus the session and user loads, with room;
a bound above that carries its reason.
"""

from dataclasses import dataclass

DEFAULT_BOUND = 30


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    query: str = ""
    needs: str = ""  # "enterprise": the URL takes the benchmark's enterprise id
    bound: int | None = DEFAULT_BOUND  # None: not checked (the admin's pages)
    admin: str = ""  # the label of the admin changelist of the same rows, if any


HOME = Page("home", "home")
ENTERPRISES = Page("enterprise list", "enterprises:list", admin="admin enterprises")
ENTERPRISE_SEARCH = Page("enterprise search", "enterprises:list", query="q={search}", admin="admin enterprise search")
ENTERPRISE_DETAIL = Page("enterprise detail", "enterprises:detail", needs="enterprise")
VISITS = Page("visit list", "visits:list", admin="admin visits")
VISITS_DEEP = Page("visit list p500", "visits:list", query="page=500")
DUE = Page("due list", "visits:due")
MY_VISITS = Page("my visits", "visits:mine")
PROBLEMS = Page("problem list", "problems:list", admin="admin problems")
COMMON = Page("common problems", "problems:common")
FORUMS = Page("forum list", "forums:list")
COMPLIANCE = Page("forum compliance", "forums:compliance")
ROSTER = Page("roster", "enterprises:roster")
NOTIFICATIONS = Page("notifications", "notifications:list")
DASHBOARD = Page("assessment dashboard", "assessment:dashboard")

STAFF_PAGES = [
    HOME,
    ENTERPRISES,
    ENTERPRISE_SEARCH,
    ENTERPRISE_DETAIL,
    VISITS,
    VISITS_DEEP,
    DUE,
    PROBLEMS,
    COMMON,
    FORUMS,
    COMPLIANCE,
    ROSTER,
    NOTIFICATIONS,
    DASHBOARD,
]

# Each kind of user (as `bench.run.pick_users` names them) and the pages their role opens.
PAGES = {
    "province staff": STAFF_PAGES,
    "city staff": STAFF_PAGES,
    "county staff": STAFF_PAGES,
    "cadre": [HOME, ENTERPRISE_DETAIL, MY_VISITS, VISITS, NOTIFICATIONS],
    "handler": [HOME, PROBLEMS, NOTIFICATIONS],
    "reviewer": [HOME, NOTIFICATIONS],
}

# Django's admin changelists of the same rows, as a superuser (who sees the whole province). They are the
# yardstick, not ours: no query bound (the problem changelist, with no `list_select_related`, makes one
# query per row's enterprise, category and department: 85 on the small preset), only the status is checked.
ADMIN_PAGES = [
    Page("admin enterprises", "admin:enterprises_enterprise_changelist", bound=None),
    Page("admin enterprise search", "admin:enterprises_enterprise_changelist", query="q={search}", bound=None),
    Page("admin visits", "admin:visits_visit_changelist", bound=None),
    Page("admin problems", "admin:problems_problem_changelist", bound=None),
]
# The admin's rows are the province's: the ratio ours ÷ admin is taken against this user's pages.
ADMIN_PEER = "province staff"
