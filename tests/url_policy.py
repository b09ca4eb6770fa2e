"""Who may use each URL of the portal: the table `test_url_policy.py` checks every URL pattern against.

A new URL pattern without an entry here fails the test, so each feature states its policy when it
adds a page. Each entry says which members of the test cast (see conftest.py) may GET and POST the
URL, and for URLs of one record, how the record is scoped:

- `region`: the record lies in 历下区 (370102) or in 市中区 (370103); a user whose region does not
  contain it must get 404, exactly as for a missing record.
- `owner`: the record belongs to one official (the 历下区 staff member); anyone else gets 404.
- `region_lead`: as `region`, and inside the region only the record's lead cadre may act on it: any
  other official whose role allows the action gets 403.

A user outside `get`/`post` gets 403 (a role that may not take the action); `NOBODY` means the
method is not accepted at all (405). Anonymous visitors are redirected to the login page unless the
entry is `public`.

The enterprise (`ENTERPRISE` of tests/cast.py: a browser holding the door session of an enterprise of
历下区, no official's login) is a role of its own: `door` names the methods it may use on a page of the
door, answered with `door_allowed`; `door_scope="enterprise"` says the record is its own enterprise's
(the record of 历下区) or another enterprise's (that of 市中区), which must be a 404. Every page without
`door` treats it as an anonymous visitor: the login page, unless the entry is `public`.
"""

from dataclasses import dataclass, field

from tests.cast import CAST_ROLES

EVERYONE = frozenset(CAST_ROLES)
ADMINISTRATORS = frozenset({"admin", "county_admin"})
STAFF = frozenset({"province_staff", "city_staff", "county_staff", "other_county_staff"})
REVIEWERS = frozenset({"reviewer"})
NOBODY = frozenset()
# The methods the enterprise's door session may use on a page (`Rule.door`).
GET, POST = frozenset({"get"}), frozenset({"post"})

OFFICIAL_READERS = ADMINISTRATORS | STAFF | REVIEWERS
ENTERPRISE_EDITORS = ADMINISTRATORS | STAFF
CADRES = frozenset({"cadre", "other_county_cadre"})
VISIT_LOGGERS = ADMINISTRATORS | CADRES
VISIT_VOIDERS = ADMINISTRATORS | STAFF
HANDLERS = frozenset({"handler"})
PROBLEM_RAISERS = ADMINISTRATORS | STAFF | CADRES
PROBLEM_ACTORS = ADMINISTRATORS | STAFF | HANDLERS
FORUM_ORGANISERS = ADMINISTRATORS | STAFF
NOMINATORS = ADMINISTRATORS | STAFF | CADRES
CASE_STAFF = ADMINISTRATORS | STAFF
REVIEW_READERS = ADMINISTRATORS | STAFF | REVIEWERS
REVIEW_WRITERS = ADMINISTRATORS | STAFF
ASSESSMENT_FOLLOWERS = ADMINISTRATORS | STAFF | REVIEWERS


@dataclass(frozen=True)
class Rule:
    get: frozenset = NOBODY
    post: frozenset = NOBODY
    public: bool = False
    # For URLs of one record: which kind of record (a key of the `records` fixture) and its scope.
    record: str | None = None
    scope: str | None = None
    # The URL keyword that carries the record's key.
    kwarg: str = "pk"
    # Fixed URL keywords, for URLs that take something other than a record.
    url_kwargs: dict = field(default_factory=dict, compare=False)
    # What a permitted user gets (a form, a page, or a redirect after a POST).
    allowed: frozenset = frozenset({200, 302})
    # The enterprise's door session: the methods it may use ("get", "post"), what it gets, and "enterprise"
    # when the record must be its own enterprise's.
    door: frozenset = NOBODY
    door_allowed: frozenset = frozenset({200})
    door_scope: str | None = None
    notes: str = field(default="", compare=False)


POLICY = {
    # Wiring and authentication
    "home": Rule(get=EVERYONE),
    "login": Rule(get=EVERYONE, post=EVERYONE, public=True),
    "logout": Rule(post=EVERYONE, public=True),
    "set_language": Rule(get=EVERYONE, post=EVERYONE, public=True),
    "healthz": Rule(get=EVERYONE, public=True),
    "accounts:password_change": Rule(get=EVERYONE, post=EVERYONE),
    "accounts:password_change_done": Rule(get=EVERYONE),
    # Officials and departments
    "accounts:official_list": Rule(get=OFFICIAL_READERS),
    "accounts:official_create": Rule(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "accounts:official_update": Rule(get=ADMINISTRATORS, post=ADMINISTRATORS, record="official", scope="region"),
    "accounts:official_deactivate": Rule(post=ADMINISTRATORS, record="official", scope="region"),
    "accounts:official_activate": Rule(post=ADMINISTRATORS, record="official", scope="region"),
    "accounts:official_password": Rule(get=ADMINISTRATORS, post=ADMINISTRATORS, record="official", scope="region"),
    "accounts:department_list": Rule(get=ADMINISTRATORS),
    "accounts:department_create": Rule(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "accounts:department_update": Rule(get=ADMINISTRATORS, post=ADMINISTRATORS, record="department", scope="region"),
    "accounts:department_add_standard": Rule(post=ADMINISTRATORS),
    "accounts:official_autocomplete": Rule(get=EVERYONE),
    # The audit trail: administrators, of their region and below (a region outside is a 404: test_audit_page.py)
    "audit:trail": Rule(get=ADMINISTRATORS),
    "audit:export": Rule(get=ADMINISTRATORS),
    "accounts:department_autocomplete": Rule(get=EVERYONE),
    # Enterprises and liaison lists
    "enterprises:list": Rule(get=EVERYONE),
    "enterprises:create": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS),
    "enterprises:mine": Rule(get=EVERYONE),
    "enterprises:roster": Rule(get=EVERYONE),
    "enterprises:roster_export": Rule(get=EVERYONE),
    "enterprises:bulk_assign": Rule(post=ENTERPRISE_EDITORS),
    "enterprises:autocomplete": Rule(get=EVERYONE),
    "enterprises:export": Rule(get=EVERYONE),
    "enterprises:import": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS),
    "enterprises:import_template": Rule(get=ENTERPRISE_EDITORS, url_kwargs={"kind": "enterprises"}),
    # An import preview belongs to the upload that made it; a token nobody uploaded is missing.
    "enterprises:import_preview": Rule(
        get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS, url_kwargs={"token": "0" * 32}, allowed=frozenset({404})
    ),
    "enterprises:import_job": Rule(get=ENTERPRISE_EDITORS, record="import_job", scope="owner"),
    "enterprises:detail": Rule(get=EVERYONE, record="enterprise", scope="region"),
    "enterprises:update": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS, record="enterprise", scope="region"),
    "enterprises:delete": Rule(post=ENTERPRISE_EDITORS, record="enterprise", scope="region"),
    "enterprises:assignment_create": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS, record="enterprise", scope="region"),
    "enterprises:assignment_end": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS, record="assignment", scope="region"),
    "enterprises:assignment_replace": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS, record="assignment", scope="region"),
    # Visits: cadres log them; everyone of the region reads them
    "visits:list": Rule(get=EVERYONE),
    "visits:export": Rule(get=EVERYONE),
    "visits:mine": Rule(get=VISIT_LOGGERS),
    "visits:create": Rule(get=VISIT_LOGGERS, post=VISIT_LOGGERS),
    "visits:detail": Rule(get=EVERYONE, record="visit", scope="region"),
    # Submitted visits are locked: their lead cadre is redirected to the visit, nobody else may try.
    "visits:update": Rule(get=VISIT_LOGGERS, post=VISIT_LOGGERS, record="visit", scope="region_lead"),
    "visits:delete": Rule(post=VISIT_LOGGERS, record="visit", scope="region_lead"),
    # Staff and administrators of the visit's region void a submitted visit, with a reason (an empty one
    # re-shows the page with the error beside the field).
    "visits:void": Rule(post=VISIT_VOIDERS, record="visit", scope="region"),
    "visits:attachment": Rule(get=EVERYONE, record="attachment", scope="region"),
    # The due list, plan and calendar: cadres see their own, others their region's liaisons
    "visits:due": Rule(get=EVERYONE),
    "visits:due_export": Rule(get=EVERYONE),
    "visits:plan": Rule(get=EVERYONE),
    "visits:plan_export": Rule(get=EVERYONE),
    "visits:calendar": Rule(get=EVERYONE),
    # Policy library: everyone reads what applies to their region; staff keep their region's
    "visits:policy_list": Rule(get=EVERYONE),
    "visits:policy_create": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS),
    # Suggestions need ?enterprise=; without one there is nothing to match.
    "visits:policy_suggestions": Rule(get=EVERYONE, allowed=frozenset({404})),
    "visits:policy_detail": Rule(get=EVERYONE, record="policy", scope="region"),
    "visits:policy_update": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS, record="policy", scope="region"),
    "visits:policy_document": Rule(get=EVERYONE, record="policy", scope="region"),
    # Problems: the enterprise's feedback link (public; an unknown token gets 410 Gone) and common problems
    "problems:feedback": Rule(
        get=EVERYONE, post=EVERYONE, public=True, url_kwargs={"token": "not-a-token"}, allowed=frozenset({410})
    ),
    "problems:common": Rule(get=EVERYONE),
    # Problems: everyone of the region reads them; cadres and staff raise them; staff and handlers act
    "problems:list": Rule(get=EVERYONE),
    "problems:escalated": Rule(get=EVERYONE),
    "problems:ledger": Rule(get=EVERYONE),
    "problems:create": Rule(get=PROBLEM_RAISERS, post=PROBLEM_RAISERS),
    "problems:detail": Rule(get=EVERYONE, record="problem", scope="region"),
    # Acting is POST only. Whoever may change problems and sees this one gets a redirect to it: done, or
    # refused with a message (an empty note; not the holder) by problems.services.
    "problems:act": Rule(post=PROBLEM_ACTORS, record="problem", scope="region", url_kwargs={"action": "note"}),
    "problems:attachment": Rule(get=EVERYONE, record="problem_attachment", scope="region"),
    # Forums: everyone of the region reads them; staff plan and record them
    "forums:list": Rule(get=EVERYONE),
    "forums:compliance": Rule(get=EVERYONE),
    "forums:compliance_export": Rule(get=EVERYONE),
    "forums:export": Rule(get=EVERYONE),
    "forums:opinion_export": Rule(get=EVERYONE),
    "forums:attachment": Rule(get=EVERYONE, record="forum_attachment", scope="region"),
    "forums:print": Rule(get=EVERYONE, record="forum", scope="region", url_kwargs={"sheet": "sign-in"}),
    "forums:create": Rule(get=FORUM_ORGANISERS, post=FORUM_ORGANISERS),
    "forums:detail": Rule(get=EVERYONE, record="forum", scope="region"),
    # The records' forums are held: changing their plan is refused with a message and a redirect.
    "forums:update": Rule(get=FORUM_ORGANISERS, post=FORUM_ORGANISERS, record="forum", scope="region"),
    # An empty POST is refused by the form or by forums.services: a message and a redirect to the forum.
    "forums:act": Rule(post=FORUM_ORGANISERS, record="forum", scope="region", url_kwargs={"action": "cancel"}),
    # Whoever may raise problems; forums.services refuses (with a message) those who may not record forums.
    "forums:opinion_to_problem": Rule(post=PROBLEM_RAISERS, record="opinion", scope="region"),
    # Model cases: everyone of the region reads them; cadres and staff nominate; staff review and publish
    "cases:list": Rule(get=EVERYONE),
    "cases:nominate": Rule(get=NOMINATORS, post=NOMINATORS, record="enterprise", scope="region", kwarg="enterprise"),
    "cases:detail": Rule(get=EVERYONE, record="case", scope="region"),
    # Only the nominator or staff may change an open nomination; others of the region get a message and a redirect.
    "cases:update": Rule(get=NOMINATORS, post=NOMINATORS, record="case", scope="region"),
    # An empty reason is refused by the form: the case's page with the error, or a message and a redirect.
    "cases:act": Rule(post=CASE_STAFF, record="case", scope="region", url_kwargs={"action": "reject"}),
    "cases:photo": Rule(get=EVERYONE, record="case_photo", scope="region"),
    # The records' photos belong to approved cases: removing one is refused with a message (302).
    "cases:photo_delete": Rule(post=NOMINATORS, record="case_photo", scope="region"),
    # The public showcase: published cases only, to anyone
    "showcase:list": Rule(get=EVERYONE, public=True),
    "showcase:detail": Rule(get=EVERYONE, public=True, record="published_case", allowed=frozenset({200})),
    "showcase:photo": Rule(get=EVERYONE, public=True, record="published_case_photo", allowed=frozenset({200})),
    # The enterprise's door (door/): its pages are public like the showcase's; an official is sent to the start page
    # (door:home), or asked to sign out before opening a link (door:open, whose unknown token is a 404 to others).
    "door:home": Rule(get=EVERYONE, public=True, door=GET),
    "door:start": Rule(get=EVERYONE, public=True, allowed=frozenset({200})),
    "door:open": Rule(get=EVERYONE, public=True, url_kwargs={"token": "not-a-token"}, allowed=frozenset({200})),
    "door:sign_out": Rule(post=EVERYONE, public=True, door=POST, door_allowed=frozenset({302})),
    # The enterprise's pages (door/pages/): an official is sent to the start page. The enterprise replies to the
    # invitations of its own forums (the record of 历下区 invites it; being held, the reply is refused with a
    # message and a redirect) and downloads the documents of the policies that fit it; any other is a 404.
    "door:forum_reply": Rule(
        post=EVERYONE,
        public=True,
        record="forum",
        door=POST,
        door_scope="enterprise",
        door_allowed=frozenset({302}),
        allowed=frozenset({302}),
    ),
    "door:policies": Rule(get=EVERYONE, public=True, door=GET),
    "door:policy_document": Rule(get=EVERYONE, public=True, record="policy", door=GET, door_scope="enterprise"),
    # Signing in with an SMS code: without an SMS channel (the tests' settings) or a number asked first, each step
    # sends the reader back to the start page.
    "door:code_request": Rule(post=EVERYONE, public=True),
    "door:code": Rule(get=EVERYONE, post=EVERYONE, public=True),
    "door:code_choose": Rule(post=EVERYONE, public=True),
    # The enterprise's demands (door/demands/): an official (no door session) is sent to the start page. The
    # enterprise reads, answers and judges only its own (the demand of 历下区); another enterprise's is a 404. An
    # empty answer or verdict shows the page again with the form's errors.
    "door:demands": Rule(get=EVERYONE, public=True, door=GET),
    "door:demand_new": Rule(get=EVERYONE, post=EVERYONE, public=True, door=GET | POST),
    "door:demand": Rule(get=EVERYONE, public=True, record="demand", door=GET, door_scope="enterprise"),
    "door:demand_answer": Rule(post=EVERYONE, public=True, record="demand", door=POST, door_scope="enterprise"),
    "door:demand_verdict": Rule(post=EVERYONE, public=True, record="demand", door=POST, door_scope="enterprise"),
    # The staff's side of the door: staff and administrators of the enterprise's region issue and revoke links.
    "door:links": Rule(get=ENTERPRISE_EDITORS),
    "door:enterprise_links": Rule(get=ENTERPRISE_EDITORS, record="enterprise", scope="region"),
    "door:issue": Rule(post=ENTERPRISE_EDITORS, record="enterprise", scope="region"),
    "door:revoke": Rule(post=ENTERPRISE_EDITORS, record="enterprise", scope="region"),
    # The confidence survey (surveys/): the enterprise answers behind its door (an official is sent to the door's start
    # page); those who follow the assessment read the results of their region; staff remind, manage the questions
    # (a county's staff are told only the province and cities add them) and turn comments into problems (the comment's
    # id in the query or form: without one, back to the results; one outside the region is a 404, tested in surveys/).
    "surveys:answer": Rule(get=EVERYONE, post=EVERYONE, public=True, door=GET | POST),
    "surveys:results": Rule(get=ASSESSMENT_FOLLOWERS, allowed=frozenset({200})),
    "surveys:remind": Rule(post=ENTERPRISE_EDITORS),
    "surveys:questions": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS),
    "surveys:retire": Rule(post=ENTERPRISE_EDITORS),
    "surveys:questionnaire": Rule(post=ENTERPRISE_EDITORS),
    "surveys:comment_problem": Rule(get=ENTERPRISE_EDITORS, post=ENTERPRISE_EDITORS),
    # Mechanism reviews: a region's staff write them, the region above acknowledges or returns them; what
    # reviews.services refuses (not one's own region, not the region directly above, the wrong state) is a
    # message and a redirect.
    "reviews:list": Rule(get=REVIEW_READERS),
    "reviews:create": Rule(get=REVIEW_WRITERS, post=REVIEW_WRITERS),
    "reviews:detail": Rule(get=REVIEW_READERS, record="review", scope="region"),
    "reviews:update": Rule(get=REVIEW_WRITERS, post=REVIEW_WRITERS, record="review", scope="region"),
    "reviews:submit": Rule(post=REVIEW_WRITERS, record="review", scope="region"),
    "reviews:acknowledge": Rule(post=REVIEW_WRITERS, record="review", scope="region"),
    "reviews:return": Rule(post=REVIEW_WRITERS, record="review", scope="region"),
    # The practice library is province-wide on purpose (a county learns from another city): no scope.
    "reviews:practice_list": Rule(get=EVERYONE),
    "reviews:practice_detail": Rule(get=EVERYONE, record="practice"),
    "reviews:recommend": Rule(post=REVIEW_WRITERS, record="practice"),
    "reviews:unrecommend": Rule(post=REVIEW_WRITERS, record="practice"),
    # Assessment bulletins (the province's and each city's), the assessment table and a region's report:
    # read by those who follow the assessment, fenced to their region and below (a bulletin of a region
    # above is a 404; the table holds only the reader's regions).
    "assessment:bulletin_list": Rule(get=ASSESSMENT_FOLLOWERS),
    "assessment:bulletin_detail": Rule(get=ASSESSMENT_FOLLOWERS, record="bulletin", scope="region", allowed=frozenset({200})),
    "assessment:bulletin_workbook": Rule(get=ASSESSMENT_FOLLOWERS, record="bulletin", scope="region", allowed=frozenset({200})),
    "assessment:bulletin_report": Rule(get=ASSESSMENT_FOLLOWERS, record="bulletin", scope="region", allowed=frozenset({200})),
    "assessment:table_export": Rule(get=ASSESSMENT_FOLLOWERS, url_kwargs={"period": "2026"}, allowed=frozenset({200})),
    "assessment:region_report": Rule(
        get=ASSESSMENT_FOLLOWERS,
        record="assessment_region",
        scope="region",
        kwarg="region",
        url_kwargs={"period": "2026"},
        allowed=frozenset({200}),
    ),
    # Assessment schemes: read by those who follow the assessment, inside their fence and from the regions
    # above (a county reads its city's scheme and the province's; 枣庄市's is a 404 below the province); set
    # by the administrators of the province or of a city: another region's scheme, a county's administrator
    # or a closed period is refused with a message and a redirect.
    "assessment:scheme_list": Rule(get=ASSESSMENT_FOLLOWERS, allowed=frozenset({200})),
    "assessment:scheme_create": Rule(get=ADMINISTRATORS, post=ADMINISTRATORS),
    "assessment:scheme_detail": Rule(get=ASSESSMENT_FOLLOWERS, record="scheme", scope="region", allowed=frozenset({200})),
    "assessment:scheme_update": Rule(get=ADMINISTRATORS, post=ADMINISTRATORS, record="scheme", scope="region"),
    "assessment:scheme_copy": Rule(get=ADMINISTRATORS, post=ADMINISTRATORS, record="scheme", scope="region"),
    # The approval of a period's figures (2026 of the `records` fixture), region by region: read by those who
    # follow the assessment, fenced by region; staff confirm, accept and reopen, the province's administrators
    # close and reopen the period. What assessment.services refuses (not one's own region, not the region
    # directly above, the period under way) is a message and a redirect.
    "assessment:approval_index": Rule(get=ASSESSMENT_FOLLOWERS, allowed=frozenset({200})),
    "assessment:approval_detail": Rule(
        get=ASSESSMENT_FOLLOWERS,
        record="assessment_region",
        scope="region",
        kwarg="region",
        url_kwargs={"period": "2026"},
        allowed=frozenset({200}),
    ),
    "assessment:approval_act": Rule(
        post=ADMINISTRATORS | STAFF,
        record="assessment_region",
        scope="region",
        kwarg="region",
        url_kwargs={"period": "2026", "action": "confirm"},
        allowed=frozenset({302}),
    ),
    "assessment:approval_close": Rule(post=ADMINISTRATORS, url_kwargs={"period": "2026"}, allowed=frozenset({302})),
    "assessment:approval_reopen_period": Rule(post=ADMINISTRATORS, url_kwargs={"period": "2026"}, allowed=frozenset({302})),
    # The dashboards (the period 2026 of the `records` fixture): one's own region by default, any region inside
    # the fence by its code (outside it a 404), and the records behind each figure, fenced the same way.
    # "Refresh now" is for the staff and administrators of the province or of a city (a county's get 403).
    "assessment:dashboard": Rule(get=ASSESSMENT_FOLLOWERS, allowed=frozenset({200})),
    "assessment:dashboard_period": Rule(get=ASSESSMENT_FOLLOWERS, url_kwargs={"period": "2026"}, allowed=frozenset({200})),
    "assessment:dashboard_region": Rule(
        get=ASSESSMENT_FOLLOWERS,
        record="assessment_region",
        scope="region",
        kwarg="region",
        url_kwargs={"period": "2026"},
        allowed=frozenset({200}),
    ),
    "assessment:figure_records": Rule(
        get=ASSESSMENT_FOLLOWERS,
        record="assessment_region",
        scope="region",
        kwarg="region",
        url_kwargs={"period": "2026", "indicator": "visit_coverage", "part": "numerator"},
        allowed=frozenset({200}),
    ),
    "assessment:refresh": Rule(
        post=frozenset({"admin", "province_staff", "city_staff"}), url_kwargs={"period": "2026"}, allowed=frozenset({302})
    ),
    "assessment:refresh_progress": Rule(get=ASSESSMENT_FOLLOWERS, url_kwargs={"period": "2026"}, allowed=frozenset({200})),
    # Notifications: everyone has their own, nobody sees another's
    "notifications:list": Rule(get=EVERYONE),
    "notifications:open": Rule(get=EVERYONE, post=EVERYONE, record="notification", scope="owner"),
    "notifications:mark_all_read": Rule(post=EVERYONE),
    # Exports written in the background: each official's own list; a job and its file are its owner's only.
    "exports:list": Rule(get=EVERYONE),
    "exports:job": Rule(get=EVERYONE, record="export_job", scope="owner"),
    "exports:job_progress": Rule(get=EVERYONE, record="export_job", scope="owner"),
    "exports:download": Rule(get=EVERYONE, record="export_job", scope="owner"),
    # Liaison cadres' scorecards (the period 2026 of the `records` fixture): staff, reviewers and administrators
    # see the cadres of their region and below (a region or a cadre outside is a 404); a liaison cadre sees
    # their own scorecard only (another's is a 404, as a missing one).
    "assessment:cadre_list": Rule(
        get=ASSESSMENT_FOLLOWERS,
        record="assessment_region",
        scope="region",
        kwarg="region",
        url_kwargs={"period": "2026"},
        allowed=frozenset({200}),
    ),
    "assessment:cadre_list_export": Rule(
        get=ASSESSMENT_FOLLOWERS,
        record="assessment_region",
        scope="region",
        kwarg="region",
        url_kwargs={"period": "2026"},
        allowed=frozenset({200}),
    ),
    "assessment:cadre_scorecard": Rule(
        get=ASSESSMENT_FOLLOWERS | CADRES,
        record="cadre",
        scope="region",
        url_kwargs={"period": "2026"},
        allowed=frozenset({200}),
    ),
    "assessment:cadre_scorecard_export": Rule(
        get=ASSESSMENT_FOLLOWERS | CADRES,
        record="cadre",
        scope="region",
        url_kwargs={"period": "2026"},
        allowed=frozenset({200}),
    ),
}

# Django's admin site is not region-fenced: only the province's administrators (is_staff) enter it,
# everyone else is sent to its login page. Its URLs are generated per model, so they share one rule.
ADMIN_NAMESPACE = "admin"
