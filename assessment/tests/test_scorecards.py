"""Liaison cadres' scorecards: hand-computed numbers, the lists behind them, bounded queries, the fence and
the .xlsx exports."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.models import AssessmentPeriod, PeriodKind
from assessment.scorecards import cards, selectors
from enterprises.models import Status as EnterpriseStatus
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums.models import ForumStatus
from forums.tests.factories import ForumFactory
from problems.models import Outcome, ProblemStatus
from problems.tests.factories import ProblemFactory
from visits.models import Visit, VisitStatus

TODAY = date(2026, 1, 20)


def local(year, month, day, hour=10):
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.fixture
def period(db):
    return AssessmentPeriod.objects.create(label="2025", kind=PeriodKind.YEAR, start=date(2025, 1, 1), end=date(2025, 12, 31))


def visit(cadre, enterprise, visited_on, *, status=VisitStatus.SUBMITTED, level="county"):
    return Visit.objects.create(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        cadre=cadre,
        level=level,
        visited_on=visited_on,
        status=status,
        purpose="了解经营情况",
    )


@pytest.fixture
def data(cast, period):
    """历下区 (370102), the year 2025:

    - `cadre` liaises with e1 (since 2024: 4 visits due at a quarterly cadence), e2 (since 1 July 2025:
      184 of 365 days, 2.0 due) and the deregistered e3 (nothing due): 3 enterprises, 6.0 visits due. They
      made 3 submitted visits in 2025 (a draft, a visit of 2024 and a city-level visit do not count).
    - Problems of their enterprises raised in 2025 while they were the liaison: p1 (solved in April: resolved),
      p3 (open); p2 was raised on e2 before their liaison started; p4 was raised in 2024.
    - Forums: one held in 2025 they attended; one planned they were invited to attend; one held in 2024.
    - `gone` liaised with e4 from 1 January to 1 April 2025 (90 days, 1.0 due), no visit: 0 %.
    - 市中区's cadre is not a cadre of 历下区.
    """
    cadre, other = cast["cadre"], cast["other_county_cadre"]
    gone = UserFactory(username="sc_gone", region_id="370102", roles=[Role.CADRE], full_name="离任干部")
    e1 = EnterpriseFactory(name="甲企业")
    e2 = EnterpriseFactory(name="乙企业")
    e3 = EnterpriseFactory(name="丙企业", status=EnterpriseStatus.DEREGISTERED)
    e4 = EnterpriseFactory(name="丁企业")
    e5 = EnterpriseFactory(region_id="370103", name="市中区企业")
    AssignmentFactory(enterprise=e1, official=cadre, started_on=date(2024, 3, 1))
    AssignmentFactory(enterprise=e2, official=cadre, started_on=date(2025, 7, 1))
    AssignmentFactory(enterprise=e3, official=cadre, started_on=date(2024, 3, 1))
    AssignmentFactory(enterprise=e4, official=gone, started_on=date(2025, 1, 1), ended_on=date(2025, 4, 1))
    AssignmentFactory(enterprise=e5, official=other, started_on=date(2024, 3, 1))
    visits = [visit(cadre, e1, date(2025, 2, 1)), visit(cadre, e1, date(2025, 6, 1)), visit(cadre, e2, date(2025, 8, 1))]
    visit(cadre, e1, date(2025, 9, 1), status=VisitStatus.DRAFT)
    visit(cadre, e1, date(2024, 12, 1))
    visit(cadre, e1, date(2025, 10, 1), level="city")
    visit(other, e5, date(2025, 3, 1))
    p1 = ProblemFactory(
        enterprise=e1,
        raised_on=date(2025, 3, 1),
        status=ProblemStatus.CLOSED,
        outcome=Outcome.SOLVED,
        outcome_at=local(2025, 4, 1),
        description="融资难",
    )
    p2 = ProblemFactory(enterprise=e2, raised_on=date(2025, 5, 1), description="用地难")
    p3 = ProblemFactory(enterprise=e2, raised_on=date(2025, 9, 1), description="招工难")
    ProblemFactory(enterprise=e1, raised_on=date(2024, 11, 1))
    ProblemFactory(enterprise=e5, raised_on=date(2025, 3, 1))
    attended = ForumFactory(starts_at=local(2025, 5, 10), status=ForumStatus.HELD, minutes="纪要", theme="五月座谈会")
    attended.attending_officials.set([cadre, cast["county_staff"]])
    planned = ForumFactory(starts_at=local(2025, 11, 10), theme="十一月座谈会")
    planned.attending_officials.set([cadre])
    earlier = ForumFactory(starts_at=local(2024, 5, 10), status=ForumStatus.HELD, minutes="纪要")
    earlier.attending_officials.set([cadre])
    return {
        "cadre": cadre,
        "gone": gone,
        "other": other,
        "visits": visits,
        "problems": (p1, p2, p3),
        "forum": attended,
        "enterprises": (e1, e2, e3, e4),
    }


def lx():
    return Region.objects.get(code="370102")


def test_visits_due_by_the_cadence_prorated():
    period = AssessmentPeriod(label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    window = cards.window_of(period, "county", today=TODAY)
    whole = cards.visits_due(period=period, window=window, interval_months=3, started_on=date(2024, 1, 1), ended_on=None)
    assert whole == 4
    half = cards.visits_due(period=period, window=window, interval_months=3, started_on=date(2025, 7, 1), ended_on=None)
    assert half.quantize(Decimal("0.01")) == Decimal("2.02")  # 184 of 365 days
    ended = cards.visits_due(
        period=period, window=window, interval_months=6, started_on=date(2024, 1, 1), ended_on=date(2025, 7, 1)
    )
    assert ended.quantize(Decimal("0.01")) == Decimal("0.99")  # half-yearly, 181 days in force
    after = cards.visits_due(period=period, window=window, interval_months=3, started_on=date(2026, 1, 2), ended_on=None)
    assert after == 0
    half_year = AssessmentPeriod(label="2025H1", kind=PeriodKind.HALF, start=date(2025, 1, 1), end=date(2025, 6, 30))
    window = cards.window_of(half_year, "county", today=TODAY)
    assert cards.visits_due(period=half_year, window=window, interval_months=3, started_on=date(2024, 1, 1), ended_on=None) == 2


def test_a_period_under_way_owes_the_visits_of_the_days_so_far():
    period = AssessmentPeriod(label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    window = cards.window_of(period, "county", today=date(2025, 7, 2))  # 1 January to 2 July: 183 days
    due = cards.visits_due(period=period, window=window, interval_months=3, started_on=date(2024, 1, 1), ended_on=None)
    assert due.quantize(Decimal("0.01")) == Decimal("2.01")


def test_every_cadre_of_a_region_against_hand_computed_numbers(data, period):
    found = cards.region_scorecards(period, lx(), today=TODAY)
    assert set(found) == {data["cadre"].pk, data["gone"].pk}
    card = found[data["cadre"].pk]
    assert card.enterprises == 3
    assert card.visits_made == 3
    assert card.visits_due == Decimal("6.0")
    assert card.visit_progress == Decimal("50.0")
    assert card.is_behind
    assert (card.problems_raised, card.problems_resolved) == (2, 1)
    assert card.forums_attended == 1
    gone = found[data["gone"].pk]
    assert (gone.enterprises, gone.visits_made, gone.visits_due, gone.visit_progress) == (1, 0, Decimal("1.0"), Decimal("0.0"))
    assert (gone.problems_raised, gone.forums_attended) == (0, 0)


def test_a_city_and_the_province_list_their_own_level_only(data, period):
    city_cadre = UserFactory(username="sc_jn", region_id="370100", roles=[Role.CADRE])
    AssignmentFactory(enterprise=data["enterprises"][0], official=city_cadre, started_on=date(2024, 1, 1))
    visit(city_cadre, data["enterprises"][0], date(2025, 10, 1), level="city")
    city = cards.region_scorecards(period, Region.objects.get(code="370100"), today=TODAY)
    assert list(city) == [city_cadre.pk]
    assert city[city_cadre.pk].visits_made == 1
    assert city[city_cadre.pk].visits_due == Decimal("2.0")  # half-yearly at the city level
    assert cards.region_scorecards(period, Region.objects.get(code="370000"), today=TODAY) == {}
    assert cards.region_scorecards(period, Region.objects.get(code="370104"), today=TODAY) == {}


def test_the_lists_behind_a_scorecard_count_its_numbers(data, period):
    card = cards.scorecard_of(period, data["cadre"], today=TODAY)
    records = cards.records_of(period, data["cadre"], today=TODAY)
    assert len({assignment.enterprise_id for assignment in records.assignments}) == card.enterprises
    assert sum(assignment.visits_due for assignment in records.assignments) == card.visits_due
    assert list(records.visits) == sorted(data["visits"], key=lambda one: one.visited_on, reverse=True)
    p1, _p2, p3 = data["problems"]
    assert list(records.problems) == [p3, p1]
    assert [problem.is_resolved for problem in records.problems] == [False, True]
    assert list(records.forums) == [data["forum"]]


def test_a_cadre_without_a_liaison_has_a_card_of_zeros(cast, period):
    card = cards.scorecard_of(period, cast["other_county_cadre"], today=TODAY)
    assert (card.enterprises, card.visits_made, card.visits_due, card.visit_progress) == (0, 0, 0, None)
    assert not card.is_behind


def test_sorting_by_visits_against_due(data, period):
    found = cards.region_scorecards(period, lx(), today=TODAY).values()
    lagging = [card.official for card in cards.sorted_cards(found, "progress")]
    assert lagging == [data["gone"], data["cadre"]]
    assert [card.official for card in cards.sorted_cards(found, "-progress")] == [data["cadre"], data["gone"]]
    assert [card.official for card in cards.sorted_cards(found, "no-such-order")] == lagging


def _scaled(size, serial):
    """`size` more cadres of 历下区, each with two enterprises, two visits, a problem and a forum."""
    for number in range(size):
        cadre = UserFactory(username=f"sc_scaled_{serial}_{number}", region_id="370102", roles=[Role.CADRE])
        forum = ForumFactory(starts_at=local(2025, 3, 1 + number % 27), status=ForumStatus.HELD, minutes="纪要")
        forum.attending_officials.set([cadre])
        for _index in range(2):
            enterprise = EnterpriseFactory()
            AssignmentFactory(enterprise=enterprise, official=cadre, started_on=date(2024, 1, 1))
            visit(cadre, enterprise, date(2025, 4, 1))
            ProblemFactory(enterprise=enterprise, raised_on=date(2025, 5, 1))


def test_the_scorecards_of_a_region_take_a_fixed_number_of_queries(data, period, django_assert_max_num_queries):
    region = lx()
    _scaled(3, "small")
    with django_assert_max_num_queries(6):
        small = cards.region_scorecards(period, region, today=TODAY)
    _scaled(30, "large")
    with django_assert_max_num_queries(6):
        large = cards.region_scorecards(period, region, today=TODAY)
    assert (len(small), len(large)) == (5, 35)
    assert all(card.problems_raised == 2 and card.visits_made == 2 for card in large.values() if card.enterprises == 2)


def test_the_pages_take_a_fixed_number_of_queries(client, cast, data, period, django_assert_max_num_queries):
    client.force_login(cast["county_staff"])
    list_url = reverse("assessment:cadre_list", kwargs={"period": "2025", "region": "370102"})
    card_url = reverse("assessment:cadre_scorecard", kwargs={"period": "2025", "pk": data["cadre"].pk})
    _scaled(2, "small")
    with django_assert_max_num_queries(20) as small:
        assert client.get(list_url).status_code == 200
    _scaled(20, "large")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(list_url).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(card_url).status_code == 200


# ---------------------------------------------------------------------------------------------------
# Pages


def test_the_cadre_list_shows_every_cadre_and_links_their_scorecards(client, cast, data, period):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("assessment:cadre_list", kwargs={"period": "2025", "region": "370102"}))
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("assessment:cadre_scorecard", kwargs={"period": "2025", "pk": data["cadre"].pk}) in text
    assert data["gone"].display_name in text
    assert data["other"].display_name not in text
    # lagging first
    assert [card.official for card in response.context["page"]] == [data["gone"], data["cadre"]]
    response = client.get(reverse("assessment:cadre_list", kwargs={"period": "2025", "region": "370102"}), {"sort": "-progress"})
    assert [card.official for card in response.context["page"]] == [data["cadre"], data["gone"]]


def test_a_scorecard_lists_the_records_behind_each_number_with_links(client, cast, data, period):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("assessment:cadre_scorecard", kwargs={"period": "2025", "pk": data["cadre"].pk}))
    assert response.status_code == 200
    text = response.content.decode()
    for enterprise in data["enterprises"][:3]:
        assert reverse("enterprises:detail", args=[enterprise.pk]) in text
    for one in data["visits"]:
        assert reverse("visits:detail", args=[one.pk]) in text
    p1, p2, p3 = data["problems"]
    assert reverse("problems:detail", args=[p1.pk]) in text and reverse("problems:detail", args=[p3.pk]) in text
    assert reverse("problems:detail", args=[p2.pk]) not in text
    assert reverse("forums:detail", args=[data["forum"].pk]) in text


def test_a_forum_above_the_readers_region_is_listed_without_a_link(client, cast, data, period):
    city_forum = ForumFactory(region=Region.objects.get(code="370100"), starts_at=local(2025, 6, 1), status=ForumStatus.HELD)
    city_forum.attending_officials.set([data["cadre"]])
    client.force_login(cast["county_staff"])
    response = client.get(reverse("assessment:cadre_scorecard", kwargs={"period": "2025", "pk": data["cadre"].pk}))
    text = response.content.decode()
    assert city_forum.theme in text
    assert reverse("forums:detail", args=[city_forum.pk]) not in text
    assert response.context["card"].forums_attended == 2


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [
        ("province_staff", "370102", 200),
        ("reviewer", "370102", 200),
        ("city_staff", "370102", 200),
        ("county_staff", "370102", 200),
        ("county_admin", "370102", 200),
        ("county_staff", "370103", 404),
        ("county_staff", "370100", 404),
        ("county_staff", "999999", 404),
        ("cadre", "370102", 403),
        ("handler", "370102", 403),
    ],
)
def test_the_cadre_list_is_fenced(client, cast, period, role, region, status):
    client.force_login(cast[role])
    assert client.get(reverse("assessment:cadre_list", kwargs={"period": "2025", "region": region})).status_code == status


@pytest.mark.parametrize(
    ("role", "whose", "status"),
    [
        ("reviewer", "cadre", 200),
        ("city_staff", "cadre", 200),
        ("county_staff", "cadre", 200),
        ("other_county_staff", "cadre", 404),
        ("cadre", "cadre", 200),
        ("cadre", "other_county_cadre", 404),
        ("cadre", "county_staff", 404),
        ("county_staff", "county_staff", 404),  # not a liaison cadre: no scorecard
        ("handler", "cadre", 403),
    ],
)
def test_a_scorecard_is_fenced(client, cast, period, role, whose, status):
    client.force_login(cast[role])
    url = reverse("assessment:cadre_scorecard", kwargs={"period": "2025", "pk": cast[whose].pk})
    assert client.get(url).status_code == status
    assert client.get(url.replace("/2025/", "/1999/")).status_code in {403, 404}


def test_a_cadre_sees_their_own_scorecard_without_the_region_list(client, cast, data, period):
    client.force_login(cast["cadre"])
    response = client.get(reverse("assessment:cadre_scorecard", kwargs={"period": "2025", "pk": cast["cadre"].pk}))
    assert response.status_code == 200
    assert reverse("assessment:cadre_list", kwargs={"period": "2025", "region": "370102"}) not in response.content.decode()


# ---------------------------------------------------------------------------------------------------
# Exports


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_cadre_list_as_xlsx(client, cast, data, period):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("assessment:cadre_list_export", kwargs={"period": "2025", "region": "370102"}))
    sheet = _workbook(response).active
    assert sheet["A1"].value.startswith("联系干部考核 2025") and "济南市 历下区" in sheet["A1"].value
    assert [cell.value for cell in sheet[2]][:3] == ["干部姓名", "职务", "所在地区"]
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["A"].width >= 10
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    cadre = rows[data["cadre"].display_name]
    assert cadre[4:] == (3, 3, 6, 50, 2, 1, 1)
    assert isinstance(cadre[6], (int, float)) and isinstance(cadre[7], (int, float))
    assert data["other"].display_name not in rows


def test_a_scorecard_as_xlsx_with_its_records(client, cast, data, period):
    client.force_login(cast["cadre"])
    response = client.get(reverse("assessment:cadre_scorecard_export", kwargs={"period": "2025", "pk": cast["cadre"].pk}))
    workbook = _workbook(response)
    assert workbook.sheetnames == ["考核卡", "联系企业", "走访记录", "反映问题", "参加座谈会"]
    assert cast["cadre"].display_name in workbook["考核卡"]["A1"].value, "the title names whose scorecard it is"
    assert [row[4] for row in workbook["考核卡"].iter_rows(min_row=3, values_only=True)] == [3]
    assert workbook["走访记录"].max_row == 2 + 3
    assert workbook["反映问题"].max_row == 2 + 2
    assert all(cell.font.bold for cell in workbook["反映问题"][2])
    assert workbook["参加座谈会"].freeze_panes == "A3"


def test_exports_are_fenced(client, cast, data, period):
    client.force_login(cast["other_county_staff"])
    assert client.get(reverse("assessment:cadre_list_export", kwargs={"period": "2025", "region": "370102"})).status_code == 404
    url = reverse("assessment:cadre_scorecard_export", kwargs={"period": "2025", "pk": cast["cadre"].pk})
    assert client.get(url).status_code == 404
    client.force_login(cast["handler"])
    assert client.get(url).status_code == 403


# ---------------------------------------------------------------------------------------------------
# The home page


def test_a_cadre_finds_their_own_scorecard_on_the_home_page(client, cast, data, period):
    [panel] = selectors.own_scorecard_panels(cast["cadre"], today=TODAY)
    assert panel.context["period"] == period
    assert panel.context["card"].visits_made == 3
    assert selectors.own_scorecard_panels(cast["county_staff"], today=TODAY) == []
    assert selectors.own_scorecard_panels(cast["cadre"], today=date(2024, 6, 1)) == []  # before the first period
    AssessmentPeriod.objects.create(label="2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
    client.force_login(cast["cadre"])
    response = client.get(reverse("home"))
    assert reverse("assessment:cadre_scorecard", kwargs={"period": "2026", "pk": cast["cadre"].pk}) in response.content.decode()


def test_the_cadre_list_shows_a_page_of_cards_ranked_among_them_all(client, cast, data, period, monkeypatch):
    from assessment.scorecards import views

    monkeypatch.setattr(views, "CARDS_PER_PAGE", 1)
    client.force_login(cast["county_staff"])
    url = reverse("assessment:cadre_list", kwargs={"period": "2025", "region": "370102"})
    first, second = client.get(url), client.get(url, {"page": 2})
    assert [card.official for card in first.context["page"]] == [data["gone"]]  # lagging first, across pages
    assert [card.official for card in second.context["page"]] == [data["cadre"]]
    assert first.context["page"].paginator.count == 2
