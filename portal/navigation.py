"""Which entries of the main navigation the current page lights: decided here, once, so base.html only
asks `{% if nav.visits %}` instead of comparing URL names and paths."""


def _named(*names):
    return lambda url_name: url_name in names


def _prefixed(prefix):
    return lambda url_name: url_name.startswith(prefix)


def _any(url_name):
    return True


# section: (namespace, which URL names of it)
SECTIONS = {
    "home": ("", _named("home")),
    "enterprises": ("enterprises", lambda url_name: url_name not in {"mine", "roster"}),
    "my_enterprises": ("enterprises", _named("mine")),
    "roster": ("enterprises", _named("roster")),
    # The enterprises' access links (staff's side of the door): the region's live links, one enterprise's.
    "access_links": ("door", _named("links", "enterprise_links", "issue", "revoke")),
    "visits": ("visits", _named("list", "mine", "create", "detail", "update")),
    "plan": ("visits", _named("due", "plan", "calendar")),
    "policies": ("visits", _prefixed("policy_")),
    "problems": ("problems", _any),
    "forums": ("forums", _any),
    "cases": ("cases", _any),
    "showcase": ("showcase", _any),
    "reviews": ("reviews", lambda url_name: "practice" not in url_name),
    "practices": ("reviews", lambda url_name: "practice" in url_name),
    "assessment_dashboard": (
        "assessment",
        lambda url_name: url_name.startswith(("dashboard", "figure", "refresh", "cadre")) or url_name == "region_report",
    ),
    "assessment_approval": ("assessment", _prefixed("approval_")),
    "assessment_bulletins": ("assessment", lambda url_name: url_name.startswith("bulletin_") or url_name == "table_export"),
    "assessment_schemes": ("assessment", _prefixed("scheme_")),
    # The confidence survey's staff pages (its answer page is the enterprise's, behind the door).
    "surveys": ("surveys", lambda url_name: url_name != "answer"),
    "officials": ("accounts", _prefixed("official_")),
    "departments": ("accounts", _prefixed("department_")),
    "audit": ("audit", _any),
}
# A menu is lit when one of its entries is.
MENUS = {
    "enterprise_menu": {"enterprises", "access_links"},
    "excellence": {"cases", "showcase", "reviews", "practices"},
    "administration": {"officials", "departments", "audit"},
    "assessment": {"assessment_dashboard", "assessment_approval", "assessment_bulletins", "assessment_schemes", "surveys"},
}


def current_sections(namespace, url_name):
    url_name = url_name or ""
    lit = {section for section, (space, test) in SECTIONS.items() if space == (namespace or "") and test(url_name)}
    return lit | {menu for menu, entries in MENUS.items() if lit & entries}


def navigation(request):
    """Context processor: `nav`, the sections the current page lights (a dict, for `nav.<section>`)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav": {}}
    return {"nav": dict.fromkeys(current_sections(match.namespace, match.url_name), True)}
