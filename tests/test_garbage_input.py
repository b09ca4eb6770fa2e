"""No input gives a server error: every page's query parameters and every form's fields, filled with garbage.

For each URL of the policy table (tests/url_policy.py) a permitted member of the cast asks it plainly once, and
the test notes what its code reads: every key looked up in request.GET (and, for a URL taking POSTs, in
request.POST), plus the fields of every form and filter set in the page's context. So a new filter, parameter or
field is covered without editing this test. Hypothesis then fills each of them with garbage (NUL, impossible
dates, huge numbers, 10,000 characters, right-to-left and zero-width marks, and mixes of them) and asserts:

- no server error;
- no record of a region outside the reader's fence (its marker name, `LEAK_MARKERS`, never shows);
- a refused POST (a form shown again with its errors, or a redirect with an error message) saves nothing: the
  row counts of every model of the project's apps are unchanged.

The safety net that answers 400 to a NUL in a query string (core.query) is taken out here, so the views
themselves are shown to cope. It runs on the database in use: PostgreSQL in CI, where a NUL in a string literal
is an error (SQLite accepts it). Examples are few per URL and derandomized, so a run is quick and repeatable.
"""

from datetime import date

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.db import connection, transaction
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_filters import FilterSet
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessment.models import AssessmentPeriod, Scheme
from forums.tests.factories import ForumFactory
from reviews.tests.factories import ReviewFactory
from visits.models import Visit

from . import test_url_policy
from .test_url_policy import LEAK_MARKERS, PORTAL_NAMES, assert_no_leak, expected_statuses
from .url_policy import POLICY

SAFETY_NET = "core.query.RefuseNullCharactersMiddleware"

# One record of each kind in 历下区 and in 市中区, and records of 枣庄 named with a marker (see test_url_policy.py).
records = test_url_policy.records

# Who asks: a reader of 历下区 first, so that records of 市中区 and 枣庄 are outside the fence.
PREFERRED_ROLES = (
    "county_staff",
    "county_admin",
    "cadre",
    "handler",
    "city_staff",
    "province_staff",
    "reviewer",
    "admin",
    "other_county_staff",
    "other_county_cadre",
)

NUL = "\x00"
RIGHT_TO_LEFT = "\u202e"
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
SPECIAL_VALUES = [
    NUL,
    f"370102{NUL}",
    f"a{NUL}b",
    # Impossible or extreme dates and months
    "2026-02-30",
    "2026-13-45",
    "2025-02-29",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "30/02/2026",
    "2026-00",
    "2026-13",
    # Huge, signed, exotic numbers: digits str.isdigit() accepts and int() refuses, full-width and Arabic-Indic
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "-inf",
    "-0",
    "²",
    "¹²³",
    "１２３",
    "٣",
    # Marks one cannot see, and writing that runs right to left
    RIGHT_TO_LEFT + "企业",
    ZERO_WIDTH,
    "\u061c\u200f",
    "مرحبا",
    # Plausible values, so some garbage reaches past the first check
    "370102",
    "370103",
    "370402",
    "1",
    "0",
    "",
    " ",
    "%",
    "_",
    "\\",
    "' OR 1=1 --",
]
LONG_VALUES = st.sampled_from(["x", "字", "9", ZERO_WIDTH[0], RIGHT_TO_LEFT, NUL]).map(lambda char: char * 10_000)
MIXED_VALUES = st.lists(st.sampled_from(SPECIAL_VALUES) | st.text(max_size=6), min_size=2, max_size=4).map("".join)
GARBAGE = st.one_of(st.sampled_from(SPECIAL_VALUES), st.text(max_size=20), LONG_VALUES, MIXED_VALUES)

EXAMPLES = hypothesis_settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# What a request's code reads, by method: filled by the `record_reads` middleware below.
READ = {"GET": set(), "POST": set()}


class RecordedQueryDict(QueryDict):
    """A QueryDict that notes every key looked up in it."""

    method = "GET"

    def __getitem__(self, key):
        READ[self.method].add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        READ[self.method].add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        READ[self.method].add(key)
        return super().__contains__(key)


def recorded(query_dict, method):
    copy = type(f"Recorded{method}", (RecordedQueryDict,), {"method": method})(mutable=True, encoding=query_dict.encoding)
    for key, values in query_dict.lists():
        copy.setlist(key, values)
    copy._mutable = False
    return copy


def record_reads(get_response):
    def middleware(request):
        request.GET = recorded(request.GET, "GET")
        if request.method == "POST":
            request.FILES  # noqa: B018 (parse the body now, so the recorded POST below is the one views read)
            request.POST = recorded(request.POST, "POST")
        return get_response(request)

    return middleware


@pytest.fixture
def without_safety_net(settings):
    assert SAFETY_NET in settings.MIDDLEWARE, "the NUL safety net is installed"
    settings.MIDDLEWARE = [f"{__name__}.record_reads", *(name for name in settings.MIDDLEWARE if name != SAFETY_NET)]


def field_names(value, *, bound_only=False):
    """The names a form, a formset or a filter set (or a list or dict of them) in a page's context sends back.
    `bound_only`: only those of forms bound to data, as a filter form is to the query string."""
    if isinstance(value, FilterSet):
        return field_names(value.form, bound_only=bound_only)
    if isinstance(value, BaseFormSet):
        if bound_only and not value.is_bound:
            return set()
        names = field_names(value.management_form)
        for form in [*value.forms, value.empty_form]:
            names |= field_names(form)
        return names
    if isinstance(value, BaseForm):
        return {value.add_prefix(name) for name in value.fields} if value.is_bound or not bound_only else set()
    if isinstance(value, list | tuple | dict):
        items = value.values() if isinstance(value, dict) else value
        return set().union(
            *(field_names(item, bound_only=bound_only) for item in items if not isinstance(item, list | tuple | dict))
        )
    return set()


def context_field_names(response, *, bound_only=False):
    names = set().union(*(field_names(value, bound_only=bound_only) for value in context_values(response)))
    return {name for name in names if "__prefix__" not in name}


@pytest.fixture
def open_records(records, cast):
    """Records of 历下区 still open to change, whose forms the records of test_url_policy.py (a submitted visit, a
    held forum, a submitted review) no longer offer: a draft visit, a planned forum, a draft review, and a scheme of
    the province. By kind, as (region, record) pairs."""
    enterprise = records["enterprise"]["370102"]
    period = AssessmentPeriod.objects.get(label="2026")
    return {
        "visit": [
            (
                "370102",
                Visit.objects.create(
                    enterprise=enterprise, region_id="370102", cadre=cast["cadre"], level="county", purpose="历下区草稿走访"
                ),
            )
        ],
        "forum": [("370102", ForumFactory(theme="历下区计划座谈会"))],
        "review": [("370102", ReviewFactory(on=date(2024, 9, 1)))],
        "scheme": [("370000", Scheme.objects.create(period=period, owner_id="370000", assessed_level="city", name="全省方案"))],
    }


def visitors(name, method, cast, records, open_records):
    """Who may `method` the URL `name` (None: a visitor not signed in), with its address (of a record of 历下区
    first when it takes one), in the order of PREFERRED_ROLES."""
    rule = POLICY[name]
    if rule.record:
        kinds = [*records[rule.record].items(), *open_records.get(rule.record, [])]
        targets = [(key, {**rule.url_kwargs, rule.kwarg: record.pk}, record) for key, record in kinds]
    else:
        targets = [(None, dict(rule.url_kwargs), None)]
    found = [(None, reverse(name, kwargs=targets[0][1]))] if rule.public else []
    for role in PREFERRED_ROLES:
        for record_key, kwargs, record in targets:
            if expected_statuses(rule, method, role, cast[role], cast, record_key, record) == rule.allowed:
                found.append((cast[role], reverse(name, kwargs=kwargs)))
    assert found, f"nobody of the cast may {method.upper()} {name}"
    return found


def client_of(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def project_models():
    root = str(django_settings.BASE_DIR)
    for config in apps.get_app_configs():
        if config.path.startswith(root) and ".venv" not in config.path:
            yield from (model for model in config.get_models() if model._meta.managed and not model._meta.proxy)


def row_counts():
    """The number of rows of every model of the project's apps, in one query."""
    models = sorted(project_models(), key=lambda model: model._meta.label)
    quote = connection.ops.quote_name
    selects = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selects}")
        return dict(zip((model._meta.label for model in models), cursor.fetchone(), strict=True))


def refused(response):
    """Whether the answer refuses the POST: a form shown again with its errors, an error message (on the page or
    after a redirect), or a client error. A success may answer 200 too (a page showing what was made)."""
    if 400 <= response.status_code < 500:
        return True
    if any(message.level == message_levels.ERROR for message in response.wsgi_request._messages):
        return True
    return any(has_errors(value) for value in context_values(response))


def context_values(response):
    if response.context is None:
        return []
    contexts = response.context if isinstance(response.context, list) else [response.context]
    return [value for context in contexts for value in context.flatten().values()]


def has_errors(value):
    if isinstance(value, BaseFormSet | BaseForm):
        return value.is_bound and not value.is_valid()
    return False


def rolled_back(send):
    """The answer to `send()`, with whatever it wrote undone, so each example starts from the same rows."""
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


def assert_answered(response, user, label):
    assert response.status_code < 500, f"{label} answered {response.status_code}"
    if user is not None:
        assert_no_leak(response, user, label)
    elif response.status_code == 200 and not response.streaming:
        text = response.content.decode(errors="replace")
        assert not [marker for marker in LEAK_MARKERS.values() if marker in text], f"{label} shows a region's record"


def query_parameters(name, cast, records, open_records):
    """Who asks for the URL `name`, its address, and the parameters its code reads (none: nothing to fill)."""
    user, url = visitors(name, "get", cast, records, open_records)[0]
    READ["GET"].clear()
    plain = rolled_back(lambda: client_of(user).get(url))
    assert_answered(plain, user, f"GET {url}")  # which answer it is, test_url_policy.py checks
    return user, url, sorted(READ["GET"] | context_field_names(plain, bound_only=True))


def form_fields(name, cast, records, open_records):
    """Who posts to the URL `name`, its address, and the fields its form reads: of the first visitor whose page
    shows a form or whose POST reads fields (a view may bind its form only to a POST that is not empty)."""
    for user, url in visitors(name, "post", cast, records, open_records):
        fields = set()
        if POLICY[name].get:
            fields |= context_field_names(rolled_back(lambda: client_of(user).get(url)))  # noqa: B023 (called at once)
        READ["POST"].clear()
        probe = rolled_back(lambda: client_of(user).post(url, {"probe": ""}))  # noqa: B023 (called at once)
        assert_answered(probe, user, f"POST {url}")
        if fields := sorted((fields | READ["POST"]) - {"probe"}):
            return user, url, fields
    return user, url, []


# A URL without a policy is test_url_policy.py's failure to report; here it has no permitted visitor yet.
GARBAGE_NAMES = sorted(name for name in PORTAL_NAMES if name in POLICY and (POLICY[name].get or POLICY[name].post))


@pytest.mark.parametrize("name", GARBAGE_NAMES)
def test_garbage_gives_no_server_error_no_other_regions_record_and_nothing_half_saved(
    name, cast, records, open_records, without_safety_net
):
    if POLICY[name].get:
        user, url, parameters = query_parameters(name, cast, records, open_records)
        if parameters:

            @EXAMPLES
            @given(st.fixed_dictionaries(dict.fromkeys(parameters, GARBAGE)))
            def ask_with_garbage(query):
                response = rolled_back(lambda: client_of(user).get(url, query))
                assert_answered(response, user, f"GET {url} with {sorted(query)}")

            ask_with_garbage()
    if POLICY[name].post:
        user, url, fields = form_fields(name, cast, records, open_records)
        if fields:

            @EXAMPLES
            @given(st.fixed_dictionaries(dict.fromkeys(fields, GARBAGE)))
            def post_garbage(form_data):
                client = client_of(user)  # a fresh session each time: a POST may end it (logout)
                with transaction.atomic():
                    before = row_counts()
                    response = client.post(url, form_data)
                    label = f"POST {url} with {sorted(form_data)}"
                    assert_answered(response, user, label)
                    if refused(response):
                        changed = {model: count for model, count in row_counts().items() if count != before[model]}
                        assert not changed, f"{label} was refused ({response.status_code}) yet changed the rows of {changed}"
                    transaction.set_rollback(True)

            post_garbage()


# The requests that answered 500, by hand, on the database in use.

NUL_REQUESTS = [
    "/enterprises/roster/?region=%00",
    "/enterprises/roster/export/?region=%00",
    "/enterprises/autocomplete/?q=%00",
    "/accounts/officials/autocomplete/?q=%00",
    "/accounts/departments/autocomplete/?q=%00",
    "/problems/common/?region=%00",
    "/problems/common/?category=%00",
]


def english(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", NUL_REQUESTS)
def test_a_nul_in_the_address_is_the_bad_request_page(url, cast):
    response = english(cast["county_staff"]).get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Request not understood" in page and "navbar-brand" in page, "the portal's page, with its navigation"


@pytest.mark.parametrize("url", NUL_REQUESTS)
def test_behind_the_safety_net_the_views_ignore_or_refuse_a_nul(url, cast, without_safety_net):
    response = english(cast["county_staff"]).get(url)
    assert response.status_code == 200
    if "autocomplete" in url:
        assert response.json() == {"results": []}, "a search nobody could type finds nothing"
    elif "common" in url:
        assert response.context["filter"].errors and not list(response.context["page"]), "refused on the form"
    elif "export" not in url:
        assert response.context["region"].code == "370102", "the malformed region is ignored: the reader's own"


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-45", "0000-00-00"])
def test_an_impossible_date_shows_the_liaison_list_of_today(day, cast):
    client = english(cast["county_staff"])
    response = client.get(reverse("enterprises:roster"), {"on": day})
    assert response.status_code == 200 and response.context["on"] == timezone.localdate()
    assert client.get(reverse("enterprises:roster_export"), {"on": day}).status_code == 200


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/enterprises/?page={HUGE}", 200),
        (f"/enterprises/?page=-{HUGE}", 200),
        (f"/enterprises/roster/?department={HUGE}", 200),
        (f"/enterprises/{HUGE}/", 404),
        (f"/problems/new/?enterprise={HUGE}", 200),
        (f"/problems/new/?visit={HUGE}", 404),
        ("/problems/new/?enterprise=²", 200),
        (f"/visits/new/?enterprise={'9' * 5000}", 200),
        ("/visits/new/?enterprise=²", 200),
        (f"/visits/policies/suggestions/?enterprise={HUGE}", 404),
        # The end of a day range is the start of the next day, which 9999-12-31 does not have.
        ("/forums/?start=9999-12-31&end=9999-12-31", 200),
        ("/forums/export/?end=9999-12-31", 200),
        ("/forums/?start=0001-01-01", 200),
        ("/audit/?until=9999-12-31", 200),
        ("/audit/?since=0001-01-01", 200),
    ],
)
def test_huge_or_exotic_numbers_are_no_server_error(url, status, cast):
    assert english(cast["county_admin"]).get(url).status_code == status


@pytest.mark.parametrize("name", ["visits:plan", "visits:calendar"])
def test_a_parameter_named_like_a_method_keeps_the_other_choices(name, cast):
    """`request.GET.items` in a template was the parameter "items": a 500 for ?items=x."""
    response = english(cast["county_staff"]).get(reverse(name), {"items": "x", "month": "2026-05", "cadre": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<input type="hidden" name="items" value="x">' in page
    assert '<input type="hidden" name="month" value="2026-05">' in page
    assert '<input type="hidden" name="cadre"' not in page, "the form's own choice is not kept twice"


def test_a_login_with_a_name_longer_than_any_officials_is_refused_on_the_form(db):
    response = english(None).post(reverse("login"), {"username": "x" * 10_000, "password": "secret"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"], "said beside the field"


@pytest.mark.parametrize(
    ("name", "role", "prefix"),
    [("visits:create", "cadre", "deliveries"), ("reviews:update", "county_staff", "practices")],
)
def test_a_forged_form_count_builds_no_thousands_of_rows(name, role, prefix, cast):
    kwargs = {"pk": ReviewFactory(on=date(2024, 9, 1)).pk} if name == "reviews:update" else {}
    response = english(cast[role]).post(
        reverse(name, kwargs=kwargs), {f"{prefix}-TOTAL_FORMS": "99999", f"{prefix}-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 200
    formset = response.context[prefix]
    assert formset.non_form_errors() and len(formset.forms) <= 30
    assert len(response.content) < 300_000


def test_the_safety_net_sends_a_visitor_not_signed_in_to_the_login_page_first(db):
    response = english(None).get("/enterprises/?q=%00")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/admin/enterprises/enterprise/?q=%00", "/problems/feedback/%00/", "/showcase/?%00=1"])
def test_the_safety_net_covers_the_admin_the_paths_and_parameter_names(url, cast):
    assert english(cast["admin"]).get(url).status_code == 400


def test_too_many_parameters_are_the_bad_request_page_too(cast):
    """Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters itself (a 400 through its own view)."""
    query = "&".join(f"p{number}=1" for number in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = english(cast["county_staff"]).get(f"/enterprises/?{query}")
    assert response.status_code == 400 and "Request not understood" in response.content.decode()
