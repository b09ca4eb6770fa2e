"""The dashboards: the province's cities side by side (lagging first), a city's counties, a county's cadres;
every figure's records (their count is the figure), the fence, published rankings of a closed period,
"refresh now", the home page's cards, and bounded query counts at two data sizes."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment import progress
from assessment.dashboards import selectors
from assessment.figures import refresh_period
from assessment.indicators import INDICATORS, Unit
from assessment.models import AssessmentPeriod, IndicatorValue, PeriodKind, PeriodStatus, RegionScore
from assessment.tests.factories import TODAY, AssessmentPeriodFactory, SchemeFactory, local, small_data_set
from cases.tests.factories import CaseFactory
from enterprises.credit_codes import build_credit_code
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from problems.tests.factories import ProblemFactory
from visits.models import PolicyDelivery, SupportType, Visit, VisitStatus
from visits.tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db

ITEMS = [("liaison_coverage", 40, 90), ("visit_coverage", 30, 80), ("problem_resolution", 30, 80)]


@pytest.fixture
def client(client, settings):
    """Pages answer in English, so that their messages can be asserted in the source text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assess(period, *, close=False):
    """Schemes for cities and counties, the figures computed, and the period closed if asked."""
    SchemeFactory(period=period, assessed_level="city", items=ITEMS)
    SchemeFactory(period=period, assessed_level="county", items=ITEMS)
    refresh_period(period, today=TODAY)
    if close:
        AssessmentPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)
        period.refresh_from_db()
    return period


@pytest.fixture
def data(cast):
    small_data_set()
    earlier = AssessmentPeriodFactory(label="2024", start=date(2024, 1, 1), end=date(2024, 12, 31))
    assess(earlier, close=True)
    return assess(AssessmentPeriodFactory())


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def dashboard_url(period="2025", region=None):
    if region is None:
        return reverse("assessment:dashboard_period", kwargs={"period": period})
    return reverse("assessment:dashboard_region", kwargs={"period": period, "region": region})


def records_url(region, indicator, part="numerator", period="2025"):
    return reverse("assessment:figure_records", kwargs={"period": period, "region": region, "indicator": indicator, "part": part})


def test_the_province_overview_shows_the_sixteen_cities_lagging_ones_first(client, cast, data):
    response = get(client, cast["reviewer"], reverse("assessment:dashboard"))
    assert response.status_code == 200
    board = response.context["board"]
    assert board.period == data  # the latest open period by default
    assert len(board.rows) == 16
    scores = [row.score_value for row in board.rows if row.score_value is not None]
    assert scores == sorted(scores)
    scored = [row.region.code for row in board.rows if row.score_value is not None]
    assert scored[-1] == "370100"  # 济南市 has the records: it leads; cities with nothing to score come last
    assert [row.score_value for row in board.rows[len(scored) :]] == [None] * (16 - len(scored))
    # Each city's figure links to the records behind it; a zero denominator shows "—" and the reason.
    zibo = next(row for row in board.rows if row.region.code == "370300")
    assert all(cell.is_empty for cell in zibo.cells)
    content = response.content.decode()
    assert "The region has no operating enterprise on the register." in content
    assert records_url("370100", "liaison_coverage") in content
    # The charts' numbers are on the page as JSON and as tables.
    chart = json.loads(json.dumps(response.context["scores_chart"]))
    assert chart["labels"][len(scored) - 1] == "济南市"
    assert 'id="assessment-scores-data"' in content and 'data-testid="trend-table"' in content


def test_the_change_against_the_previous_period(client, cast, data):
    board = get(client, cast["reviewer"], dashboard_url()).context["board"]
    jinan = next(row for row in board.rows if row.region.code == "370100")
    before = RegionScore.objects.get(period__label="2024", region_id="370100").score
    assert jinan.change == jinan.score_value - before
    assert [point["label"] for point in board.trend] == ["2024", "2025"]


def test_a_city_sees_its_counties_and_a_county_its_cadres(client, cast, data):
    board = get(client, cast["city_staff"], reverse("assessment:dashboard")).context["board"]
    assert board.region.code == "370100"
    assert {row.region.code for row in board.rows} == set(
        Region.objects.filter(parent_id="370100").values_list("code", flat=True)
    )
    response = get(client, cast["county_staff"], reverse("assessment:dashboard"))
    board = response.context["board"]
    assert board.region.code == "370102" and not board.rows
    assert "as_lx_cadre" in {official.username for official in board.cadres}
    assert "as_lx_cadre_gone" not in {official.username for official in board.cadres}


def test_a_region_outside_the_fence_is_a_404(client, cast, data):
    assert get(client, cast["county_staff"], dashboard_url(region="370103")).status_code == 404
    assert get(client, cast["city_staff"], dashboard_url(region="370200")).status_code == 404
    assert get(client, cast["county_staff"], records_url("370103", "liaison_coverage")).status_code == 404
    assert get(client, cast["county_staff"], dashboard_url(period="2031")).status_code == 404
    assert get(client, cast["cadre"], reverse("assessment:dashboard")).status_code == 403


@pytest.mark.parametrize("code", ["370102", "370100", "370000", "370104"])
def test_every_figures_records_count_equals_the_figure(client, cast, data, code):
    client.force_login(cast["reviewer"])
    stored = {value.indicator: value for value in IndicatorValue.objects.filter(period=data, region_id=code)}
    for indicator in INDICATORS:
        for part in selectors.PARTS:
            figure = stored[indicator.code].numerator if part == "numerator" else stored[indicator.code].denominator
            response = client.get(records_url(code, indicator.code, part))
            if figure is None:
                assert response.status_code == 404, f"{indicator.code} has no {part}"
                continue
            assert response.status_code == 200
            if part == "numerator" and indicator.unit in (Unit.AMOUNT, Unit.DAYS):
                continue  # a sum or a median, not a count of records
            assert response.context["page"].paginator.count == int(figure), f"{code} {indicator.code} {part}"
            assert not response.context["count_differs"]
            assert escape(str(indicator.definition)) in response.content.decode()


def test_the_records_list_names_the_records(client, cast, data):
    response = get(client, cast["county_staff"], records_url("370102", "liaison_coverage", "denominator"))
    assert response.context["page"].paginator.count == 3  # the deregistered enterprise does not count
    assert reverse("enterprises:detail", kwargs={"pk": response.context["page"][0].pk}) in response.content.decode()
    for indicator in ("visit_coverage", "satisfaction", "forum_compliance", "support_delivered", "reviews_on_time"):
        for part in selectors.PARTS:
            assert get(client, cast["county_staff"], records_url("370102", indicator, part)).status_code in (200, 404)


def test_bad_drill_down_addresses_are_404(client, cast, data):
    client.force_login(cast["reviewer"])
    assert client.get(records_url("370102", "no_such_indicator")).status_code == 404
    assert client.get(records_url("370102", "open_overdue", "denominator")).status_code == 404  # a count
    assert client.get("/assessment/2025/370102/liaison_coverage/both/").status_code == 404
    assert client.get("/assessment/2025/379999/").status_code == 404


def test_a_closed_period_publishes_the_peers_ranking_but_not_their_records(client, cast, data):
    response = get(client, cast["county_staff"], dashboard_url(period="2024", region="370102"))
    board = response.context["board"]
    assert board.period.is_closed
    names = [score.region_id for score in board.peers]
    assert "370103" in names and "370102" in names
    assert all(score.region.parent_id == "370100" for score in board.peers)
    content = response.content.decode()
    assert "/assessment/2024/370103/" not in content
    assert get(client, cast["county_staff"], records_url("370103", "liaison_coverage", period="2024")).status_code == 404
    # An open period names no peers.
    assert not get(client, cast["county_staff"], dashboard_url(region="370102")).context["board"].peers


def test_the_frozen_figure_is_kept_and_a_later_record_is_flagged(client, cast, data):
    AssessmentPeriod.objects.filter(pk=data.pk).update(status=PeriodStatus.CLOSED)
    EnterpriseFactory(region_id="370102")  # registered after the close
    response = get(client, cast["county_staff"], records_url("370102", "liaison_coverage", "denominator"))
    assert response.context["page"].paginator.count == 4
    assert response.context["figure_text"] == "3"
    assert response.context["count_differs"]


def test_refresh_now_recomputes_an_open_period(client, cast, data):
    EnterpriseFactory(region_id="370102")
    client.force_login(cast["city_staff"])
    response = client.post(reverse("assessment:refresh", kwargs={"period": "2025"}), {"region": "370100"})
    assert response.status_code == 302 and response["Location"] == dashboard_url(region="370100")
    # The task ran in-process (eager): the figure moved, and no refresh is left running.
    # The figures count up to the period's end or today, so the 2025 denominator now counts the new enterprise.
    assert IndicatorValue.objects.get(period=data, region_id="370102", indicator="liaison_coverage").denominator == Decimal(4)
    assert client.get(reverse("assessment:refresh_progress", kwargs={"period": "2025"})).json() == {
        "running": False,
        "percent": 100,
    }


def test_refresh_shows_its_progress_while_it_runs(client, cast, data):
    progress.start(data.pk)
    progress.report(data.pk, 5, 20)
    try:
        client.force_login(cast["city_staff"])
        assert client.get(reverse("assessment:refresh_progress", kwargs={"period": "2025"})).json() == {
            "running": True,
            "percent": 25,
        }
        response = client.get(dashboard_url(region="370100"))
        assert 'data-refresh-progress="/assessment/2025/refresh/progress/"' in response.content.decode()
        response = client.post(reverse("assessment:refresh", kwargs={"period": "2025"}), follow=True)
        assert "already being refreshed" in response.content.decode()
    finally:
        progress.finish(data.pk)


def test_refreshing_a_closed_period_is_refused(client, cast, data):
    client.force_login(cast["province_staff"])
    response = client.post(reverse("assessment:refresh", kwargs={"period": "2024"}), follow=True)
    assert "frozen" in response.content.decode()
    assert not progress.state(AssessmentPeriod.objects.get(label="2024").pk)["running"]


def test_only_province_and_city_staff_refresh(client, cast, data):
    url = reverse("assessment:refresh", kwargs={"period": "2025"})
    for role in ("reviewer", "county_staff", "cadre"):
        client.force_login(cast[role])
        assert client.post(url).status_code == 403, role
    client.force_login(cast["county_staff"])
    assert 'data-testid="refresh-now"' not in client.get(reverse("assessment:dashboard")).content.decode()


def test_the_home_page_opens_on_the_region_dashboard_for_reviewers_and_shows_figures_to_staff(client, cast, data):
    response = get(client, cast["reviewer"], reverse("home"))
    content = response.content.decode()
    assert 'data-testid="home-assessment"' in content and dashboard_url(region="370000") in content
    assert "Lagging behind" in content
    content = get(client, cast["county_staff"], reverse("home")).content.decode()
    assert 'data-testid="home-assessment"' in content and records_url("370102", "liaison_coverage") in content
    assert 'data-testid="home-assessment"' not in get(client, cast["cadre"], reverse("home")).content.decode()
    assert 'data-testid="home-assessment"' not in get(client, cast["handler"], reverse("home")).content.decode()


def test_a_portal_without_periods_shows_a_notice(client, cast):
    response = get(client, cast["reviewer"], reverse("assessment:dashboard"))
    assert response.status_code == 200 and response.context["board"] is None
    assert 'data-testid="home-assessment"' not in get(client, cast["reviewer"], reverse("home")).content.decode()


def test_a_scorecard_link_only_when_the_scorecards_exist(cast, data):
    official = cast["cadre"]
    url = selectors.scorecard_url(data, official)
    assert url is None or str(official.pk) in url


# ---------------------------------------------------------------------------------------------------
# Query counts: bounded whatever the data size


def grow(size, region_id, serial):
    """`size` enterprises of `region_id` with a county liaison, a submitted visit with a delivery, a problem
    raised and a case nominated in 2025 each."""
    region = Region.objects.get(code=region_id)
    cadre = UserFactory(username=f"dash_{region_id}_{serial}", region_id=region_id, roles=[Role.CADRE])
    policy = PolicyFactory()
    for number in range(size):
        enterprise = EnterpriseFactory(
            region_id=region_id, credit_code=build_credit_code(division=region_id, serial=40_000_000 + serial * 1000 + number)
        )
        AssignmentFactory(enterprise=enterprise, official=cadre, started_on=date(2024, 1, 1))
        visit = Visit.objects.create(
            enterprise=enterprise,
            region=region,
            cadre=cadre,
            level="county",
            visited_on=date(2025, 3, 3),
            status=VisitStatus.SUBMITTED,
        )
        PolicyDelivery.objects.create(
            visit=visit, enterprise=enterprise, region=region, policy=policy, support_type=SupportType.FUNDING, amount=1
        )
        ProblemFactory(enterprise=enterprise, raised_on=date(2025, 5, 5))
        CaseFactory(enterprise=enterprise, nominated_at=local(2025, 4, 1))


def scaled(size, serial):
    grow(size, "370102", serial)
    grow(size, "370203", serial)


def pages():
    return [
        ("reviewer", reverse("assessment:dashboard")),
        ("reviewer", dashboard_url(region="370100")),
        ("county_staff", dashboard_url(region="370102")),
        ("county_staff", dashboard_url(period="2024", region="370102")),
        ("reviewer", records_url("370102", "visit_coverage")),
        ("reviewer", records_url("370100", "satisfaction", "denominator")),
        ("reviewer", records_url("370000", "support_delivered")),
        ("reviewer", reverse("home")),
        ("county_staff", reverse("home")),
    ]


def query_counts(client, cast):
    counts = {}
    for role, url in pages():
        client.force_login(cast[role])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url, role] = len(queries)
    return counts


def test_dashboard_query_counts_do_not_grow_with_the_data(client, cast):
    scaled(2, 0)
    periods = {}
    for label, start in (("2024", date(2024, 1, 1)), ("2025", date(2025, 1, 1))):
        period = AssessmentPeriodFactory(label=label, start=start, end=date(start.year, 12, 31), kind=PeriodKind.YEAR)
        periods[label] = assess(period, close=label == "2024")
    small = query_counts(client, cast)
    scaled(30, 1)
    refresh_period(periods["2025"], today=TODAY)
    large = query_counts(client, cast)
    assert large == small
    assert max(large.values()) <= 30, large
