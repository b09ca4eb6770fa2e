"""The key pages per kind of user, with their query-count bounds.

A page is (label, URL name, query string, argument keys, bound). Argument keys and `{…}` in the query
name objects the runner picks from the database (`enterprise`, `search`, `county`, `city`, `period`,
`short`, `region` — the user's own region); a URL name that does not exist is skipped, not failed. Bounds are
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
    needs: tuple = ()  # the URL's arguments, named from the runner's objects: ("enterprise",), ("period", "region")
    bound: int | None = DEFAULT_BOUND  # None: not checked (the admin's pages)
    admin: str = ""  # the label of the admin changelist of the same rows, if any


HOME = Page("home", "home")
ENTERPRISES = Page("enterprise list", "enterprises:list", admin="admin enterprises")
ENTERPRISES_CITY = Page(
    "enterprises of the city", "enterprises:list", query="region={city}", admin="admin enterprises of the city"
)
ENTERPRISES_COUNTY = Page(
    "enterprises of the county", "enterprises:list", query="region={county}", admin="admin enterprises of the county"
)
ENTERPRISE_SEARCH = Page("enterprise search", "enterprises:list", query="q={search}", admin="admin enterprise search")
# One or two characters have no trigram to look up: such a search reads every row of the region.
ENTERPRISE_SHORT_SEARCH = Page("enterprise search, 2 chars", "enterprises:list", query="q={short}")
ENTERPRISE_DETAIL = Page("enterprise detail", "enterprises:detail", needs=("enterprise",))
VISITS = Page("visit list", "visits:list", admin="admin visits")
VISITS_CITY = Page("visits of the city", "visits:list", query="region={city}", admin="admin visits of the city")
VISITS_COUNTY = Page("visits of the county", "visits:list", query="region={county}", admin="admin visits of the county")
VISITS_WITH_PROBLEMS = Page("visits with problems", "visits:list", query="problems=yes")
VISITS_DEEP = Page("visit list p500", "visits:list", query="page=500")
DUE = Page("due list", "visits:due")
MY_VISITS = Page("my visits", "visits:mine")
PLAN = Page("annual plan", "visits:plan")
PROBLEMS = Page("problem list", "problems:list", admin="admin problems")
PROBLEMS_COUNTY = Page("problems of the county", "problems:list", query="region={county}", admin="admin problems of the county")
PROBLEM_SEARCH = Page("problem search", "problems:list", query="q={search}", admin="admin problem search")
PROBLEM_SHORT_SEARCH = Page("problem search, 2 chars", "problems:list", query="q={short}")
OVERDUE = Page("overdue problems", "problems:list", query="overdue=yes")
ESCALATED = Page("escalated problems", "problems:escalated")
COMMON = Page("common problems", "problems:common")
FORUMS = Page("forum list", "forums:list")
COMPLIANCE = Page("forum compliance", "forums:compliance")
ROSTER = Page("roster", "enterprises:roster")
NOTIFICATIONS = Page("notifications", "notifications:list")
DASHBOARD = Page("assessment dashboard", "assessment:dashboard")
SCORECARDS = Page("cadre scorecards", "assessment:cadre_list", needs=("period", "region"))
FIGURE = Page("figure's records", "assessment:figure_records", needs=("period", "region", "indicator", "part"))

STAFF_PAGES = [
    HOME,
    ENTERPRISES,
    ENTERPRISES_CITY,
    ENTERPRISES_COUNTY,
    ENTERPRISE_SEARCH,
    ENTERPRISE_SHORT_SEARCH,
    ENTERPRISE_DETAIL,
    VISITS,
    VISITS_CITY,
    VISITS_COUNTY,
    VISITS_WITH_PROBLEMS,
    VISITS_DEEP,
    DUE,
    PROBLEMS,
    PROBLEMS_COUNTY,
    PROBLEM_SEARCH,
    PROBLEM_SHORT_SEARCH,
    OVERDUE,
    ESCALATED,
    COMMON,
    FORUMS,
    COMPLIANCE,
    ROSTER,
    NOTIFICATIONS,
    DASHBOARD,
    SCORECARDS,
    FIGURE,
]
# A county's staff have no city above them to filter by.
COUNTY_STAFF_PAGES = [page for page in STAFF_PAGES if page not in (ENTERPRISES_CITY, VISITS_CITY)]

# Each kind of user (as `bench.run.pick_users` names them) and the pages their role opens.
PAGES = {
    "province staff": STAFF_PAGES,
    "city staff": STAFF_PAGES,
    "county staff": COUNTY_STAFF_PAGES,
    "cadre": [HOME, ENTERPRISE_DETAIL, MY_VISITS, PLAN, VISITS, NOTIFICATIONS],
    "handler": [HOME, PROBLEMS, OVERDUE, NOTIFICATIONS],
    "reviewer": [HOME, DASHBOARD, SCORECARDS, NOTIFICATIONS],
}

# Django's admin changelists of the same rows, as a superuser (who sees the whole province). They are the
# yardstick, not ours: no query bound (the problem changelist, with no `list_select_related`, makes one
# query per row's enterprise, category and department: 85 on the small preset), only the status is checked.
ADMIN_PAGES = [
    Page("admin enterprises", "admin:enterprises_enterprise_changelist", bound=None),
    Page(
        "admin enterprises of the city",
        "admin:enterprises_enterprise_changelist",
        query="within={city}",
        bound=None,
    ),
    Page(
        "admin enterprises of the county",
        "admin:enterprises_enterprise_changelist",
        query="within={county}",
        bound=None,
    ),
    Page("admin enterprise search", "admin:enterprises_enterprise_changelist", query="q={search}", bound=None),
    Page("admin visits", "admin:visits_visit_changelist", bound=None),
    Page("admin visits of the city", "admin:visits_visit_changelist", query="within={city}", bound=None),
    Page("admin visits of the county", "admin:visits_visit_changelist", query="within={county}", bound=None),
    Page("admin problems", "admin:problems_problem_changelist", bound=None),
    Page("admin problems of the county", "admin:problems_problem_changelist", query="within={county}", bound=None),
    Page("admin problem search", "admin:problems_problem_changelist", query="q={search}", bound=None),
]
# The admin's rows are the province's (a superuser is fenced by nothing): the ratio ours ÷ admin is taken
# against this user's pages, which show the same rows.
ADMIN_PEER = "province staff"
