"""The plan pages: due and overdue visits, the plan for the year, and the calendar.

The pages read the clock, so dates here are relative to today.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from visits.models import Visit, VisitStatus
from visits.plan.cadence import add_months
from visits.plan.views import parse_month

from .test_cadence import make_visit


def today():
    return timezone.localdate()


def overdue_assignment(official, name, **kwargs):
    """An assignment whose first visit is overdue: started a year ago, never visited."""
    return AssignmentFactory(
        official=official, enterprise=EnterpriseFactory(name=name, **kwargs), started_on=today() - timedelta(days=400)
    )


def on_track_assignment(official, name, **kwargs):
    return AssignmentFactory(official=official, enterprise=EnterpriseFactory(name=name, **kwargs), started_on=today())


@pytest.fixture
def liaisons(cast):
    """Liaisons of 历下区 (the cast's cadre and a colleague) and of 市中区 (370103)."""
    colleague = UserFactory(username="t_lx_colleague", region_id="370102", roles=[Role.CADRE], full_name="同区干部")
    return {
        "mine_overdue": overdue_assignment(cast["cadre"], "我的逾期企业"),
        "mine_on_track": on_track_assignment(cast["cadre"], "我的正常企业"),
        "colleague": overdue_assignment(colleague, "同事的企业"),
        "other_county": overdue_assignment(cast["other_county_cadre"], "市中区企业", region_id="370103"),
    }


def names_on(response):
    return [item.enterprise.name for item in response.context["page"]]


# Due and overdue visits


def test_cadre_sees_only_their_own_due_visits_overdue_first(client, cast, liaisons):
    client.force_login(cast["cadre"])
    response = client.get(reverse("visits:due"))
    assert response.status_code == 200
    assert names_on(response) == ["我的逾期企业", "我的正常企业"]
    body = response.content.decode()
    assert "同事的企业" not in body and "市中区企业" not in body
    assert "text-bg-danger" in body and "text-bg-success" in body
    assert f"{reverse('visits:create')}?enterprise={liaisons['mine_overdue'].enterprise_id}" in body


def test_county_staff_see_their_region_only(client, cast, liaisons):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("visits:due"))
    assert set(names_on(response)) == {"我的逾期企业", "我的正常企业", "同事的企业"}
    assert "市中区企业" not in response.content.decode()


def test_city_staff_see_every_county_of_their_city(client, cast, liaisons):
    client.force_login(cast["city_staff"])
    response = client.get(reverse("visits:due"))
    assert "市中区企业" in names_on(response)


def test_other_county_staff_never_see_lixia_liaisons(client, cast, liaisons):
    client.force_login(cast["other_county_staff"])
    assert names_on(client.get(reverse("visits:due"))) == ["市中区企业"]


def test_staff_filter_by_state(client, cast, liaisons):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("visits:due"), {"state": "on_track"})
    assert names_on(response) == ["我的正常企业"]
    # The counts describe the region's whole plan, whatever state is shown.
    assert response.context["counts"] == {"overdue": 2, "due_soon": 0, "on_track": 1}


def test_staff_filter_by_region_inside_theirs(client, cast, liaisons):
    client.force_login(cast["city_staff"])
    assert names_on(client.get(reverse("visits:due"), {"region": "370103"})) == ["市中区企业"]


def test_a_region_outside_the_users_matches_nothing(client, cast, liaisons):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("visits:due"), {"region": "370103"})
    assert response.status_code == 200
    assert names_on(response) == []
    assert response.context["filter"].errors
    assert "市中区企业" not in response.content.decode()


def test_staff_filter_by_cadre(client, cast, liaisons):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("visits:due"), {"cadre": cast["cadre"].pk})
    assert set(names_on(response)) == {"我的逾期企业", "我的正常企业"}


def test_a_malformed_state_or_page_is_not_a_server_error(client, cast, liaisons):
    client.force_login(cast["county_staff"])
    assert client.get(reverse("visits:due"), {"state": "nonsense", "page": "x"}).status_code == 200


def test_staff_who_are_also_cadres_can_see_their_own_only(client, cast, liaisons):
    cadre = cast["cadre"]
    cadre.groups.add(*cast["county_staff"].groups.all())
    client.force_login(cadre)
    assert len(names_on(client.get(reverse("visits:due")))) == 3
    assert names_on(client.get(reverse("visits:due"), {"mine": "1"})) == ["我的逾期企业", "我的正常企业"]


def test_the_due_page_shows_due_soon_in_yellow(client, cast):
    AssignmentFactory(official=cast["cadre"], started_on=add_months(today(), -3) + timedelta(days=10))
    client.force_login(cast["cadre"])
    body = client.get(reverse("visits:due")).content.decode()
    assert 'data-state="due_soon"' in body and "text-bg-warning" in body


@pytest.mark.parametrize("count", [10, 200])
def test_the_due_page_of_staff_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries, count):
    for number in range(count):
        assignment = AssignmentFactory(official=cast["cadre"], started_on=today() - timedelta(days=400))
        if number % 2:
            make_visit(assignment.enterprise, cast["cadre"], today() - timedelta(days=number))
    client.force_login(cast["county_staff"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("visits:due"), {"page": 2 if count > 25 else 1, "region": "370102"})
    assert response.status_code == 200 and len(response.context["page"]) == min(count, 25)


@pytest.mark.parametrize("count", [10, 200])
def test_the_due_page_of_a_cadre_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries, count):
    for number in range(count):
        assignment = AssignmentFactory(official=cast["cadre"], started_on=today() - timedelta(days=400))
        if number % 2:
            make_visit(assignment.enterprise, cast["county_staff"], today(), companions=[cast["cadre"]])
    client.force_login(cast["cadre"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("visits:due"))
    assert response.status_code == 200 and len(response.context["page"]) == min(count, 25)


# The plan for the year


def test_cadre_sees_their_plan_for_the_year(client, cast, liaisons):
    make_visit(liaisons["mine_on_track"].enterprise, cast["cadre"], today())
    client.force_login(cast["cadre"])
    response = client.get(reverse("visits:plan"))
    assert [row.enterprise.name for row in response.context["rows"]] == ["我的正常企业", "我的逾期企业"]
    body = response.content.decode()
    assert 'data-mark="done"' in body and 'data-mark="overdue"' in body
    assert "同事的企业" not in body and "市中区企业" not in body


def test_staff_read_the_plan_of_a_cadre_of_their_region(client, cast, liaisons):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("visits:plan"), {"cadre": cast["cadre"].pk})
    assert response.context["subject"] == cast["cadre"]
    assert {row.enterprise.name for row in response.context["rows"]} == {"我的逾期企业", "我的正常企业"}


def test_staff_cannot_read_the_plan_of_a_cadre_outside_their_region(client, cast, liaisons):
    client.force_login(cast["county_staff"])
    response = client.get(reverse("visits:plan"), {"cadre": cast["other_county_cadre"].pk})
    assert response.status_code == 200
    assert response.context["rows"] == [] and response.context["cadre_form"].errors
    assert "市中区企业" not in response.content.decode()


def test_a_cadre_cannot_read_a_colleagues_plan(client, cast, liaisons):
    client.force_login(cast["cadre"])
    response = client.get(reverse("visits:plan"), {"cadre": liaisons["colleague"].official_id})
    assert response.context["subject"] == cast["cadre"]
    assert "同事的企业" not in response.content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_the_plan_page_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries, count):
    for number in range(count):
        assignment = AssignmentFactory(official=cast["cadre"], started_on=today() - timedelta(days=400))
        if number % 2:
            make_visit(assignment.enterprise, cast["cadre"], today())
    client.force_login(cast["cadre"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("visits:plan"))
    assert len(response.context["rows"]) == count


# The calendar


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11", date(2026, 11, 1)),
        ("2026-1", date(2026, 1, 1)),
        (" 2027-02 ", date(2027, 2, 1)),
        ("2026-13", date(2026, 6, 1)),
        ("2026-00", date(2026, 6, 1)),
        ("2026-11-05", date(2026, 6, 1)),
        ("nonsense", date(2026, 6, 1)),
        ("", date(2026, 6, 1)),
        (None, date(2026, 6, 1)),
        ("0001-01", date(2026, 6, 1)),
        ("9999-12", date(2026, 6, 1)),
        ("２０２６-11", date(2026, 6, 1)),  # full-width digits are refused, not misread
    ],
)
def test_parse_month_falls_back_to_the_current_month(value, expected):
    assert parse_month(value, today=date(2026, 6, 15)) == expected


@pytest.mark.parametrize("month", ["2026-13", "abc", "0001-01", "9999-12", "-1", "2026-11' OR 1=1"])
def test_a_bad_month_shows_the_current_month(client, cast, month):
    client.force_login(cast["cadre"])
    response = client.get(reverse("visits:calendar"), {"month": month})
    assert response.status_code == 200
    assert response.context["month_start"] == today().replace(day=1)


def test_the_calendar_links_the_previous_and_next_months(client, cast):
    client.force_login(cast["cadre"])
    response = client.get(reverse("visits:calendar"), {"month": "2026-01"})
    assert response.context["month_start"] == date(2026, 1, 1)
    body = response.content.decode()
    assert "?month=2025-12" in body and "?month=2026-02" in body


def test_the_calendar_shows_visits_follow_ups_and_due_dates(client, cast):
    month_start = today().replace(day=1)
    visited_on, follow_up_on = month_start + timedelta(days=2), month_start + timedelta(days=20)
    led = AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name="亲自走访企业"), started_on=month_start)
    visit = make_visit(led.enterprise, cast["cadre"], visited_on, follow_up_on=follow_up_on)
    accompanied = make_visit(EnterpriseFactory(name="陪同走访企业"), cast["county_staff"], visited_on, companions=[cast["cadre"]])
    make_visit(EnterpriseFactory(name="草稿企业"), cast["cadre"], visited_on, status=VisitStatus.DRAFT)
    make_visit(EnterpriseFactory(name="别人走访企业"), cast["county_staff"], visited_on)
    due = AssignmentFactory(
        official=cast["cadre"], enterprise=EnterpriseFactory(name="本月到期企业"), started_on=add_months(month_start, -3)
    )
    client.force_login(cast["cadre"])
    response = client.get(reverse("visits:calendar"), {"month": f"{month_start:%Y-%m}"})
    body = response.content.decode()
    assert reverse("visits:detail", args=[visit.pk]) in body
    assert reverse("visits:detail", args=[accompanied.pk]) in body
    assert 'data-entry="follow_up"' in body
    assert f"{reverse('visits:create')}?enterprise={due.enterprise_id}" in body
    assert "草稿企业" not in body and "别人走访企业" not in body
    days = {day.day: [entry.kind for entry in day.entries] for week in response.context["weeks"] for day in week}
    assert days[visited_on] == ["visit", "visit"]
    assert "follow_up" in days[follow_up_on]


def test_staff_read_the_calendar_of_a_cadre_of_their_region(client, cast):
    visit = make_visit(EnterpriseFactory(name="干部走访企业"), cast["cadre"], today())
    client.force_login(cast["county_staff"])
    response = client.get(reverse("visits:calendar"), {"cadre": cast["cadre"].pk})
    assert response.context["subject"] == cast["cadre"]
    body = response.content.decode()
    assert reverse("visits:detail", args=[visit.pk]) in body
    assert f"cadre={cast['cadre'].pk}" in body  # the month links keep the cadre


def test_staff_cannot_read_the_calendar_of_a_cadre_outside_their_region(client, cast):
    make_visit(EnterpriseFactory(name="市中区走访企业", region_id="370103"), cast["other_county_cadre"], today())
    client.force_login(cast["county_staff"])
    response = client.get(reverse("visits:calendar"), {"cadre": cast["other_county_cadre"].pk})
    assert response.status_code == 200
    assert response.context["subject"] is None
    assert "市中区走访企业" not in response.content.decode()


def test_a_cadres_visit_outside_the_staff_region_stays_hidden(client, cast):
    """A 历下区 cadre who went along on a 市中区 visit: 历下区 staff reading their calendar do not see it."""
    make_visit(
        EnterpriseFactory(name="区外陪同企业", region_id="370103"),
        cast["other_county_cadre"],
        today(),
        companions=[cast["cadre"]],
    )
    client.force_login(cast["county_staff"])
    response = client.get(reverse("visits:calendar"), {"cadre": cast["cadre"].pk})
    assert "区外陪同企业" not in response.content.decode()
    client.force_login(cast["cadre"])
    assert "区外陪同企业" in client.get(reverse("visits:calendar")).content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_the_calendar_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries, count):
    month_start = today().replace(day=1)
    for number in range(count):
        assignment = AssignmentFactory(
            official=cast["cadre"], started_on=add_months(month_start, -3) + timedelta(days=number % 28)
        )
        visit = make_visit(assignment.enterprise, cast["cadre"], month_start + timedelta(days=number % 28))
        if number % 2:
            Visit.objects.filter(pk=visit.pk).update(follow_up_on=month_start + timedelta(days=(number + 5) % 28))
    client.force_login(cast["cadre"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("visits:calendar"))
    assert response.status_code == 200
    assert sum(len(day.entries) for week in response.context["weeks"] for day in week) >= count
