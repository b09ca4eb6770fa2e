"""The cadence of visits: due dates, states, the plan for the year, the home page's to-dos and the weekly digest.

Every function takes `today`, so these tests freeze time by passing a date.
"""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.traffic import Light
from enterprises.models import LiaisonAssignment, LiaisonLevel
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from notifications.models import Notification
from visits.models import CadenceRule, Visit, VisitStatus
from visits.plan import cadence
from visits.plan.cadence import add_months, due_visit_items, visit_plan, year_plan
from visits.plan.digest import DIGEST_ENTERPRISES_LIMIT, send_weekly_digests
from visits.plan.services import cadence_changed, refresh_visit
from visits.plan.tasks import send_weekly_visit_digests

TODAY = date(2026, 6, 15)  # a Monday, in ISO week 2026-W25


def make_visit(enterprise, cadre, visited_on, *, status=VisitStatus.SUBMITTED, companions=(), follow_up_on=None):
    visit = Visit.objects.create(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        cadre=cadre,
        level=LiaisonLevel.COUNTY,
        visited_on=visited_on,
        status=status,
        follow_up_on=follow_up_on,
    )
    visit.companions.set(companions)
    # Written directly, as a bulk loader would: keep the liaisons' last visit and next due date true.
    refresh_visit(visit)
    return visit


def plan_of(official, *, today=TODAY):
    return visit_plan(cadence.current_assignments_of(official, today=today), today=today)


def only_item(official, *, today=TODAY):
    [item] = plan_of(official, today=today)
    return item


# add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), 3, date(2026, 6, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 2, 28), 12, date(2027, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_add_months_clamps_to_the_end_of_shorter_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("due_on", "state"),
    [
        (date(2026, 6, 14), Light.OVERDUE),
        (date(2026, 6, 15), Light.DUE_SOON),  # due today is not yet overdue
        (date(2026, 7, 15), Light.DUE_SOON),  # the 30th day ahead is still "due soon"
        (date(2026, 7, 16), Light.ON_TRACK),
    ],
)
def test_visit_state_boundaries(due_on, state):
    assert cadence.visit_state(due_on, today=TODAY, due_soon_days=30) == state


# Due dates


def test_never_visited_is_due_one_interval_after_the_start(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2026, 5, 1))
    item = only_item(cast["cadre"])
    assert item.last_visit_on is None
    assert item.due_on == date(2026, 8, 1)  # a county cadre: every three months
    assert item.state == Light.ON_TRACK


def test_visited_recently_is_on_track(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 3, 1))
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 6, 1))
    item = only_item(cast["cadre"])
    assert item.last_visit_on == date(2026, 6, 1)
    assert item.due_on == date(2026, 9, 1)
    assert item.state == Light.ON_TRACK


def test_due_within_the_rules_days_is_due_soon(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 4, 1))
    item = only_item(cast["cadre"])
    assert item.due_on == date(2026, 7, 1)
    assert item.state == Light.DUE_SOON
    assert item.days_left == 16


def test_due_date_passed_is_overdue(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 2, 10))
    item = only_item(cast["cadre"])
    assert item.due_on == date(2026, 5, 10)
    assert item.state == Light.OVERDUE
    assert item.days_overdue == 36


def test_a_visit_as_companion_counts(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    colleague = UserFactory(roles=[Role.CADRE])
    make_visit(assignment.enterprise, colleague, date(2026, 5, 20), companions=[cast["cadre"]])
    assert only_item(cast["cadre"]).last_visit_on == date(2026, 5, 20)


def test_the_later_of_led_and_accompanied_visits_counts(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    colleague = UserFactory(roles=[Role.CADRE])
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 6, 1))
    make_visit(assignment.enterprise, colleague, date(2026, 4, 1), companions=[cast["cadre"]])
    assert only_item(cast["cadre"]).last_visit_on == date(2026, 6, 1)


def test_a_draft_does_not_count(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 6, 1), status=VisitStatus.DRAFT)
    item = only_item(cast["cadre"])
    assert item.last_visit_on is None
    assert item.state == Light.OVERDUE


def test_a_visit_before_the_assignment_started_does_not_count(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2026, 5, 1))
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 4, 30))
    item = only_item(cast["cadre"])
    assert item.last_visit_on is None
    assert item.due_on == date(2026, 8, 1)


def test_another_cadres_visit_does_not_count(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    make_visit(assignment.enterprise, UserFactory(roles=[Role.CADRE]), date(2026, 6, 1))
    assert only_item(cast["cadre"]).last_visit_on is None


def test_a_visit_to_another_enterprise_does_not_count(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    make_visit(EnterpriseFactory(), cast["cadre"], date(2026, 6, 1))
    assert only_item(cast["cadre"]).last_visit_on is None


def test_a_changed_cadence_rule_changes_the_due_date(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2026, 5, 1))
    assert only_item(cast["cadre"]).due_on == date(2026, 8, 1)
    CadenceRule.objects.filter(level=LiaisonLevel.COUNTY).update(interval_months=1, due_soon_days=7)
    cadence_changed()
    item = only_item(cast["cadre"])
    assert item.due_on == date(2026, 6, 1)
    assert item.state == Light.OVERDUE


def test_the_due_soon_window_comes_from_the_rule(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2026, 4, 1))  # due 2026-07-01, 16 days ahead
    assert only_item(cast["cadre"]).state == Light.DUE_SOON
    CadenceRule.objects.filter(level=LiaisonLevel.COUNTY).update(due_soon_days=10)
    cadence_changed()
    assert only_item(cast["cadre"]).state == Light.ON_TRACK


def test_each_level_has_its_own_interval(cast):
    enterprise = EnterpriseFactory()
    started_on = date(2026, 1, 1)
    for code in ("370102", "370100", "370000"):
        AssignmentFactory(enterprise=enterprise, official=UserFactory(region_id=code, roles=[Role.CADRE]), started_on=started_on)
    items = visit_plan(LiaisonAssignment.objects.all(), today=TODAY)
    assert {item.assignment.level: item.due_on for item in items} == {
        "county": date(2026, 4, 1),
        "city": date(2026, 7, 1),
        "province": date(2027, 1, 1),
    }


def test_a_deleted_rule_falls_back_to_the_campaign_default(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2026, 5, 1))
    CadenceRule.objects.filter(level=LiaisonLevel.COUNTY).delete()
    cadence_changed()
    assert only_item(cast["cadre"]).due_on == date(2026, 8, 1)


def test_ended_assignments_are_not_planned(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1), ended_on=date(2026, 3, 1))
    assert plan_of(cast["cadre"]) == []


def test_the_plan_puts_overdue_first_then_due_soon_then_by_due_date(cast):
    on_track = AssignmentFactory(official=cast["cadre"], started_on=date(2026, 6, 1), enterprise=EnterpriseFactory(name="甲"))
    overdue = AssignmentFactory(official=cast["cadre"], started_on=date(2026, 1, 1), enterprise=EnterpriseFactory(name="乙"))
    due_soon = AssignmentFactory(official=cast["cadre"], started_on=date(2026, 4, 1), enterprise=EnterpriseFactory(name="丙"))
    very_overdue = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 6, 1), enterprise=EnterpriseFactory(name="丁"))
    assert [item.assignment for item in plan_of(cast["cadre"])] == [very_overdue, overdue, due_soon, on_track]


@pytest.mark.parametrize("count", [10, 200])
def test_the_plan_takes_two_queries_however_many_assignments(cast, django_assert_num_queries, count):
    for number in range(count):
        assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
        if number % 2:
            make_visit(assignment.enterprise, cast["cadre"], date(2026, 5, 1))
        if number % 3 == 0:
            make_visit(assignment.enterprise, cast["county_staff"], date(2026, 6, 1), companions=[cast["cadre"]])
    with django_assert_num_queries(2):
        items = visit_plan(LiaisonAssignment.objects.all(), today=TODAY)
        states = {item.state for item in items}
    assert len(items) == count
    assert states <= set(Light.values)


# The plan for the year


def test_expected_dates_run_from_the_last_visit_through_december(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 2, 10))
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 5, 31))
    make_visit(assignment.enterprise, cast["cadre"], date(2025, 12, 1))  # last year: not a mark of this year
    [row] = year_plan(cadence.current_assignments_of(cast["cadre"], today=TODAY), today=TODAY)
    assert [mark.day for mark in row.done] == [date(2026, 2, 10), date(2026, 5, 31)]
    assert [(mark.day, mark.kind) for mark in row.expected] == [
        (date(2026, 8, 31), Light.ON_TRACK),
        (date(2026, 11, 30), Light.ON_TRACK),
    ]
    assert [len(marks) for marks in row.by_month] == [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]


def test_after_an_overdue_visit_the_plan_runs_from_today(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2025, 12, 1))  # due 2026-03-01, never visited
    [row] = year_plan(cadence.current_assignments_of(cast["cadre"], today=TODAY), today=TODAY)
    assert row.done == []
    assert [(mark.day, mark.kind) for mark in row.expected] == [
        (date(2026, 3, 1), Light.OVERDUE),
        (date(2026, 9, 15), Light.ON_TRACK),
        (date(2026, 12, 15), Light.ON_TRACK),
    ]


def test_a_yearly_visit_due_next_year_has_no_expected_date_this_year(cast):
    province_cadre = UserFactory(region_id="370000", roles=[Role.CADRE])
    assignment = AssignmentFactory(official=province_cadre, started_on=date(2025, 1, 1))
    make_visit(assignment.enterprise, province_cadre, date(2026, 3, 1), companions=[])
    [row] = year_plan(cadence.current_assignments_of(province_cadre, today=TODAY), today=TODAY)
    assert row.item.due_on == date(2027, 3, 1)
    assert row.expected == []
    assert [mark.kind for mark in row.done] == ["done"]


def test_the_year_plan_marks_visits_made_as_companion_since_the_start(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2026, 3, 1))
    colleague = UserFactory(roles=[Role.CADRE])
    make_visit(assignment.enterprise, colleague, date(2026, 2, 1), companions=[cast["cadre"]])  # before the start
    make_visit(assignment.enterprise, colleague, date(2026, 4, 1), companions=[cast["cadre"]])
    make_visit(assignment.enterprise, cast["cadre"], date(2026, 5, 1), status=VisitStatus.DRAFT)
    [row] = year_plan(cadence.current_assignments_of(cast["cadre"], today=TODAY), today=TODAY)
    assert [mark.day for mark in row.done] == [date(2026, 4, 1)]


@pytest.mark.parametrize("count", [10, 200])
def test_the_year_plan_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries, count):
    for number in range(count):
        assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
        make_visit(assignment.enterprise, cast["cadre"], date(2026, 1 + number % 6, 1))
    with django_assert_max_num_queries(4):
        rows = year_plan(cadence.current_assignments_of(cast["cadre"], today=TODAY), today=TODAY)
        marks = [mark for row in rows for month in row.by_month for mark in month]
    assert len(rows) == count and marks


# The home page


def test_home_items_list_overdue_and_due_soon_enterprises_only(cast):
    overdue = AssignmentFactory(
        official=cast["cadre"], started_on=date(2026, 1, 1), enterprise=EnterpriseFactory(name="逾期企业")
    )
    AssignmentFactory(official=cast["cadre"], started_on=date(2026, 4, 1), enterprise=EnterpriseFactory(name="将到期企业"))
    AssignmentFactory(official=cast["cadre"], started_on=date(2026, 6, 1), enterprise=EnterpriseFactory(name="正常企业"))
    entries = due_visit_items(cast["cadre"], today=TODAY)
    assert [entry["due"] for entry in entries] == [date(2026, 4, 1), date(2026, 7, 1)]
    assert "逾期企业" in entries[0]["title"] and "将到期企业" in entries[1]["title"]
    assert entries[0]["url"] == f"{reverse('visits:create')}?enterprise={overdue.enterprise_id}"


def test_a_deregistered_enterprise_is_out_of_the_plan_and_the_digest(cast):
    from enterprises.models import Status

    AssignmentFactory(
        official=cast["cadre"],
        started_on=date(2025, 1, 1),
        enterprise=EnterpriseFactory(name="已注销企业", status=Status.DEREGISTERED),
    )
    AssignmentFactory(
        official=cast["cadre"],
        started_on=date(2025, 1, 1),
        enterprise=EnterpriseFactory(name="停业企业", status=Status.SUSPENDED),
    )
    titles = " ".join(entry["title"] for entry in due_visit_items(cast["cadre"], today=TODAY))
    assert "已注销企业" not in titles and "停业企业" in titles
    send_weekly_digests(today=TODAY)
    body = Notification.objects.get(recipient=cast["cadre"]).body
    assert "已注销企业" not in body and "停业企业" in body


def test_home_items_are_at_most_ten(cast):
    for _ in range(12):
        AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    assert len(due_visit_items(cast["cadre"], today=TODAY)) == 10


def test_home_items_are_empty_for_officials_who_are_not_cadres(cast):
    AssignmentFactory(official=cast["county_staff"], started_on=date(2025, 1, 1))
    assert due_visit_items(cast["county_staff"], today=TODAY) == []


# The weekly digest


def digests():
    return Notification.objects.filter(key__startswith="visit-digest:")


def test_the_digest_goes_only_to_cadres_with_due_or_overdue_visits(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2026, 1, 1), enterprise=EnterpriseFactory(name="逾期企业"))
    AssignmentFactory(official=cast["other_county_cadre"], started_on=date(2026, 6, 1))  # on track
    inactive = UserFactory(roles=[Role.CADRE], is_active=False)
    AssignmentFactory(official=inactive, started_on=date(2025, 1, 1))
    send_weekly_digests(today=TODAY)
    [digest] = digests()
    assert digest.recipient == cast["cadre"]
    assert digest.key == f"visit-digest:{cast['cadre'].pk}:2026-W25"
    assert "逾期企业" in digest.body
    assert digest.link == reverse("visits:due") + "?mine=1"


def test_the_digest_is_sent_once_a_week(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2026, 1, 1))
    assert len(send_weekly_digests(today=TODAY)) == 1
    assert send_weekly_digests(today=TODAY) == []
    assert send_weekly_digests(today=date(2026, 6, 21)) == []  # the Sunday of the same ISO week
    assert len(send_weekly_digests(today=date(2026, 6, 22))) == 1  # the next Monday
    assert digests().count() == 2


def test_the_digest_counts_and_lists_the_first_enterprises(cast):
    for number in range(7):
        AssignmentFactory(official=cast["cadre"], started_on=date(2026, 1, 1), enterprise=EnterpriseFactory(name=f"逾期{number}"))
    AssignmentFactory(official=cast["cadre"], started_on=date(2026, 4, 1), enterprise=EnterpriseFactory(name="将到期"))
    [digest] = send_weekly_digests(today=TODAY)
    body_lines = digest.body.splitlines()
    assert "7" in digest.title and "1" in digest.title
    assert len(body_lines) == DIGEST_ENTERPRISES_LIMIT + 1
    assert "3" in body_lines[-1]  # and three more


def test_the_digest_task_sends_across_regions(cast):
    AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    AssignmentFactory(
        official=cast["other_county_cadre"], started_on=date(2025, 1, 1), enterprise=EnterpriseFactory(region_id="370103")
    )
    assert send_weekly_visit_digests.delay().get() == 2
    assert send_weekly_visit_digests.delay().get() == 0
    assert set(digests().values_list("recipient__username", flat=True)) == {"t_lx_cadre", "t_sz_cadre"}


def test_the_digest_is_scheduled_on_monday_mornings():
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-visit-digests"]
    assert entry["task"] == send_weekly_visit_digests.name
    schedule = entry["schedule"]
    assert schedule.hour == {8} and schedule.minute == {0} and schedule.day_of_week == {1}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


@pytest.mark.parametrize("count", [10, 200])
def test_the_digest_takes_a_bounded_number_of_queries_per_cadre(cast, django_assert_max_num_queries, count):
    cadres = [UserFactory(roles=[Role.CADRE]) for _ in range(3)]
    for number in range(count):
        AssignmentFactory(official=cadres[number % 3], started_on=date(2025, 1, 1))
    # Two for the plan, then per cadre notified: a savepoint, the notification, its deliveries.
    with django_assert_max_num_queries(2 + 3 * 5):
        assert len(send_weekly_digests(today=TODAY)) == 3


@pytest.mark.parametrize("cadres", [3, 40])
def test_the_digest_is_a_fixed_number_of_queries_whatever_the_cadres(cast, django_assert_max_num_queries, cadres):
    officials = [UserFactory(roles=[Role.CADRE]) for _ in range(cadres)]
    for official in officials:
        AssignmentFactory(official=official, started_on=date(2025, 1, 1))
    # The plan's queries, then one bulk write of every digest and their deliveries.
    with django_assert_max_num_queries(8):
        assert len(send_weekly_digests(today=TODAY)) == cadres
