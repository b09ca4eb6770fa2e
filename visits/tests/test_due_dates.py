"""The dates each liaison keeps for the plan (`last_visit_on`, `next_due_on`): who writes them, and that they
agree with the cadence computed in Python. The plan itself is tested in test_cadence and test_plan_views."""

import importlib
import random
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.traffic import Light
from enterprises import services as enterprise_services
from enterprises.models import LiaisonAssignment, LiaisonLevel
from enterprises.models import Status as EnterpriseStatus
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from visits import services
from visits.models import CadenceRule, Visit, VisitStatus
from visits.plan.cadence import AddMonths, Plan, add_months, visit_plan
from visits.plan.digest import send_weekly_digests
from visits.plan.services import cadence_changed, refresh_due_dates

from .test_cadence import TODAY, make_visit

pytestmark = pytest.mark.django_db


def dates_of(assignment):
    assignment.refresh_from_db(fields=["last_visit_on", "next_due_on"])
    return assignment.last_visit_on, assignment.next_due_on


def submit(actor, enterprise, visited_on, *, companions=(), submit=True):
    visit = Visit(enterprise=enterprise, visited_on=visited_on, purpose="了解情况")
    return services.save_visit(
        actor=actor, visit=visit, companions=companions, policies_explained=[], deliveries=[], attachments=[], submit=submit
    )


# AddMonths: the SQL twin of add_months, on this database


EDGE_DAYS = [date(2026, 1, 31), date(2028, 1, 31), date(2026, 3, 31), date(2026, 8, 31), date(2028, 2, 29), date(2026, 12, 15)]


@pytest.mark.parametrize("months", [1, 3, 6, 11, 12, 25])
def test_add_months_in_sql_agrees_with_python(cast, months):
    for day in EDGE_DAYS:
        AssignmentFactory(official=cast["cadre"], started_on=day)
    moved = LiaisonAssignment.objects.annotate(moved=AddMonths(F("started_on"), months)).values_list("started_on", "moved")
    assert {started: result for started, result in moved} == {day: add_months(day, months) for day in EDGE_DAYS}


def test_refreshed_dates_agree_with_the_cadence_computed_in_python(cast):
    rng = random.Random(13)
    cadres = {code: UserFactory(region_id=code, roles=[Role.CADRE]) for code in ("370102", "370100", "370000")}
    colleague = UserFactory(region_id="370102", roles=[Role.CADRE])
    expected = {}
    for number in range(40):
        cadre = cadres[("370102", "370100", "370000")[number % 3]]
        started_on = date(2024, 1, 1) + timedelta(days=rng.randint(0, 800))
        assignment = AssignmentFactory(official=cadre, started_on=started_on)
        visits = []
        for _visit in range(rng.randint(0, 3)):
            visited_on = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
            status = rng.choice([VisitStatus.SUBMITTED, VisitStatus.SUBMITTED, VisitStatus.DRAFT])
            as_companion = rng.random() < 0.4
            lead, companions = (colleague, [cadre]) if as_companion else (cadre, [])
            Visit.objects.create(
                enterprise=assignment.enterprise,
                region_id=assignment.enterprise.region_id,
                cadre=lead,
                level=assignment.level,
                visited_on=visited_on,
                status=status,
            ).companions.set(companions)
            if status == VisitStatus.SUBMITTED and visited_on >= started_on:
                visits.append(visited_on)
        last = max(visits, default=None)
        months = {"county": 3, "city": 6, "province": 12}[assignment.level]
        expected[assignment.pk] = (last, add_months(last or started_on, months))
    LiaisonAssignment.objects.update(last_visit_on=None, next_due_on=None)  # as a bulk loader leaves them
    refresh_due_dates()
    assert {a.pk: (a.last_visit_on, a.next_due_on) for a in LiaisonAssignment.objects.all()} == expected


def test_the_migrations_backfill_computes_the_same_dates(cast):
    """The data migration's frozen copy of the computation agrees with the service's."""
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 11, 30))
    make_visit(assignment.enterprise, UserFactory(roles=[Role.CADRE]), date(2026, 1, 31), companions=[cast["cadre"]])
    ended = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1), ended_on=date(2025, 6, 1))
    LiaisonAssignment.objects.update(last_visit_on=None, next_due_on=None)
    migration = importlib.import_module("enterprises.migrations.0004_assignment_due_dates")
    migration.backfill(apps, None)
    assert dates_of(assignment) == (date(2026, 1, 31), date(2026, 4, 30))
    assert dates_of(ended) == (None, None)


# Who keeps them


def test_assigning_a_liaison_sets_its_due_date(cast):
    enterprise = EnterpriseFactory()
    started_on = timezone.localdate() - timedelta(days=10)
    assignment = enterprise_services.assign_liaison(
        enterprise=enterprise, official=cast["cadre"], actor=cast["county_staff"], started_on=started_on
    )
    assert (assignment.last_visit_on, assignment.next_due_on) == (None, add_months(started_on, 3))
    assert dates_of(assignment) == (None, add_months(started_on, 3))


def test_a_back_dated_liaison_counts_a_visit_already_made_as_companion(cast):
    enterprise = EnterpriseFactory()
    today = timezone.localdate()
    make_visit(enterprise, cast["other_county_cadre"], today - timedelta(days=5), companions=[cast["cadre"]])
    assignment = enterprise_services.assign_liaison(
        enterprise=enterprise, official=cast["cadre"], actor=cast["county_staff"], started_on=today - timedelta(days=30)
    )
    assert dates_of(assignment) == (today - timedelta(days=5), add_months(today - timedelta(days=5), 3))


def test_ending_a_liaison_clears_its_due_date_and_keeps_its_last_visit(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=timezone.localdate() - timedelta(days=100))
    make_visit(assignment.enterprise, cast["cadre"], timezone.localdate() - timedelta(days=50))
    enterprise_services.end_liaison(assignment=assignment, actor=cast["county_staff"], reason="调整")
    assert dates_of(assignment) == (timezone.localdate() - timedelta(days=50), None)


def test_replacing_a_liaison_plans_the_new_cadre_from_their_start(cast):
    today = timezone.localdate()
    old = AssignmentFactory(official=cast["cadre"], started_on=today - timedelta(days=300))
    newcomer = UserFactory(region_id="370102", roles=[Role.CADRE])
    new = enterprise_services.assign_liaison(enterprise=old.enterprise, official=newcomer, actor=cast["county_staff"])
    assert dates_of(old)[1] is None
    assert dates_of(new) == (None, add_months(today, 3))


def test_submitting_a_visit_moves_the_due_dates_of_the_lead_and_of_companions_who_liaise(cast):
    today = timezone.localdate()
    start = today - timedelta(days=400)
    mine = AssignmentFactory(official=cast["cadre"], started_on=start)
    city_cadre = UserFactory(region_id="370100", roles=[Role.CADRE])
    theirs = AssignmentFactory(official=city_cadre, enterprise=mine.enterprise, started_on=start)
    draft = submit(cast["cadre"], mine.enterprise, today, companions=[city_cadre], submit=False)
    assert dates_of(mine) == (None, add_months(start, 3))  # a draft counts for nobody
    services.save_visit(
        actor=cast["cadre"],
        visit=draft,
        companions=[city_cadre],
        policies_explained=[],
        deliveries=[],
        attachments=[],
        submit=True,
    )
    assert dates_of(mine) == (today, add_months(today, 3))
    assert dates_of(theirs) == (today, add_months(today, 6))


def test_a_visit_logged_through_the_form_takes_the_enterprise_off_the_due_list(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=timezone.localdate() - timedelta(days=400))
    client = Client()
    client.force_login(cast["cadre"])
    assert client.get(reverse("visits:due")).context["counts"][Light.OVERDUE] == 1
    data = {
        "enterprise": assignment.enterprise_id,
        "visited_on": timezone.localdate().isoformat(),
        "mode": "on_site",
        "purpose": "回访",
        "action": "submit",
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
        "deliveries-MIN_NUM_FORMS": "0",
        "deliveries-MAX_NUM_FORMS": "1000",
    }
    assert client.post(reverse("visits:create"), data).status_code == 302
    counts = client.get(reverse("visits:due")).context["counts"]
    assert counts == {"overdue": 0, "due_soon": 0, "on_track": 1}


@pytest.mark.parametrize("count", [5, 60])
def test_a_changed_cadence_rule_moves_every_due_date_in_one_statement(cast, django_assert_max_num_queries, count):
    start = date(2026, 1, 31)
    for _number in range(count):
        AssignmentFactory(official=cast["cadre"], started_on=start)
    CadenceRule.objects.filter(level=LiaisonLevel.COUNTY).update(interval_months=1)
    with django_assert_max_num_queries(4):  # the rules, the UPDATE, and a savepoint's two
        assert cadence_changed() == count
    assert set(LiaisonAssignment.objects.values_list("next_due_on", flat=True)) == {date(2026, 2, 28)}


def test_the_admin_saving_a_cadence_rule_recomputes_due_dates(cast):
    assignment = AssignmentFactory(official=cast["cadre"], started_on=date(2026, 1, 31))
    superuser = UserFactory(is_superuser=True, is_staff=True, region_id="370000")
    client = Client()
    client.force_login(superuser)
    rule = CadenceRule.objects.get(level=LiaisonLevel.COUNTY)
    url = reverse("admin:visits_cadencerule_change", args=[rule.pk])
    response = client.post(url, {"level": "county", "interval_months": "2", "due_soon_days": "30"})
    assert response.status_code == 302
    assert dates_of(assignment)[1] == date(2026, 3, 31)
    client.post(reverse("admin:visits_cadencerule_delete", args=[rule.pk]), {"post": "yes"})
    assert dates_of(assignment)[1] == date(2026, 4, 30)  # the campaign's default: every three months


def test_voiding_a_visit_moves_back_the_due_dates_of_everyone_on_it(cast):
    lead = AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    city_cadre = UserFactory(region_id="370100", roles=[Role.CADRE])
    companion = AssignmentFactory(enterprise=lead.enterprise, official=city_cadre, started_on=date(2025, 1, 1))
    make_visit(lead.enterprise, cast["cadre"], date(2026, 2, 1))
    wrong = make_visit(lead.enterprise, cast["cadre"], date(2026, 5, 1), companions=[city_cadre])
    refresh_due_dates()
    assert (dates_of(lead), dates_of(companion)) == ((date(2026, 5, 1), date(2026, 8, 1)), (date(2026, 5, 1), date(2026, 11, 1)))
    services.void_visit(actor=cast["county_staff"], visit=wrong, reason="同一次走访登记了两次")
    assert dates_of(lead) == (date(2026, 2, 1), date(2026, 5, 1)), "the lead's visit before it counts again"
    assert dates_of(companion) == (None, date(2025, 7, 1)), "the city liaison had no other visit"


# The plan read from the kept dates


def test_the_order_follows_the_state_even_when_levels_have_different_due_soon_windows(cast):
    """A county liaison due in 20 days is on track under a 10-day window; a city one due in 25 days is due soon."""
    CadenceRule.objects.filter(level=LiaisonLevel.COUNTY).update(due_soon_days=10)
    county = AssignmentFactory(official=cast["cadre"], started_on=add_months(TODAY + timedelta(days=20), -3))
    city_cadre = UserFactory(region_id="370100", roles=[Role.CADRE])
    city = AssignmentFactory(official=city_cadre, started_on=add_months(TODAY + timedelta(days=25), -6))
    plan = Plan(LiaisonAssignment.objects.all(), today=TODAY)
    counts = plan.counts()
    assert counts == {"overdue": 0, "due_soon": 1, "on_track": 1}
    assert [item.assignment for item in plan.rows(counts=counts)] == [city, county]
    assert [item.assignment for item in visit_plan(LiaisonAssignment.objects.all(), today=TODAY)] == [city, county]


def test_pages_that_span_two_states_read_each_in_order(cast):
    names = []
    for number in range(7):  # overdue: due 2026-05-01 + number days
        AssignmentFactory(official=cast["cadre"], started_on=date(2026, 2, 1) + timedelta(days=number))
    for number in range(5):  # due soon
        AssignmentFactory(official=cast["cadre"], started_on=date(2026, 3, 20) + timedelta(days=number))
    for number in range(4):  # on track
        AssignmentFactory(official=cast["cadre"], started_on=date(2026, 6, 1) + timedelta(days=number))
    plan = Plan(LiaisonAssignment.objects.all(), today=TODAY)
    counts = plan.counts()
    assert counts == {"overdue": 7, "due_soon": 5, "on_track": 4}
    rows = plan.rows(counts=counts)
    whole = list(rows)
    assert [item.state for item in whole] == ["overdue"] * 7 + ["due_soon"] * 5 + ["on_track"] * 4
    assert [item.due_on for item in whole] == sorted(item.due_on for item in whole)
    for start in range(0, 16, 5):
        names += [item.assignment.pk for item in rows[start : start + 5]]
    assert names == [item.assignment.pk for item in whole]
    assert len(rows[5:10]) == 5 and len(rows[15:40]) == 1 and list(rows[20:30]) == []
    assert [item.state for item in plan.rows(counts=counts, state="due_soon")] == ["due_soon"] * 5


def test_deregistered_enterprises_are_neither_listed_nor_counted(cast):
    AssignmentFactory(
        official=cast["cadre"], started_on=date(2025, 1, 1), enterprise=EnterpriseFactory(status=EnterpriseStatus.DEREGISTERED)
    )
    AssignmentFactory(official=cast["cadre"], started_on=date(2025, 1, 1))
    plan = Plan(LiaisonAssignment.objects.all(), today=TODAY)
    counts = plan.counts()
    assert counts == {"overdue": 1, "due_soon": 0, "on_track": 0}
    assert len(list(plan.rows(counts=counts))) == 1


# Query counts: the same at two data sizes


def add_liaisons(cadre, count, *, region_id="370102"):
    """`count` liaisons of `cadre` in every state: a third overdue, a third due soon, a third on track."""
    today = timezone.localdate()
    for number in range(count):
        started_on = today - timedelta(days=(400, 80, 10)[number % 3])
        AssignmentFactory(official=cadre, started_on=started_on, enterprise=EnterpriseFactory(region_id=region_id))


def queries_of(request):
    with CaptureQueriesContext(connection) as captured:
        response = request()
    return response, len(captured)


@pytest.mark.parametrize(
    ("who", "parameters"),
    [
        ("city_staff", {}),
        ("city_staff", {"state": "due_soon"}),
        ("province_staff", {"page": "2"}),
        ("county_staff", {"level": "county", "region": "370102"}),
        ("cadre", {"page": "2"}),
    ],
)
def test_the_due_list_runs_the_same_queries_at_two_sizes(cast, django_assert_max_num_queries, who, parameters):
    client = Client()
    client.force_login(cast[who])
    queries = []
    for added in (45, 135):  # 90 liaisons in two counties, then 360
        add_liaisons(cast["cadre"], added)
        add_liaisons(cast["other_county_cadre"], added, region_id="370103")
        with django_assert_max_num_queries(12):
            response, count = queries_of(lambda: client.get(reverse("visits:due"), parameters))
        assert response.status_code == 200 and len(response.context["page"]) > 0
        queries.append(count)
    assert queries[0] == queries[1]


def test_the_digest_runs_the_same_queries_per_cadre_at_two_sizes(cast):
    cadres = [UserFactory(roles=[Role.CADRE]) for _ in range(3)]
    counts = []
    for size, monday in ((30, date(2026, 12, 7)), (300, date(2026, 12, 14))):
        for cadre in cadres:
            add_liaisons(cadre, size // 3)
        with CaptureQueriesContext(connection) as captured:
            assert len(send_weekly_digests(today=monday)) == 3
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_demos_visits_leave_every_liaison_with_its_due_date(cast):
    from visits.demo import seed_visits

    today = timezone.localdate()
    for days in (30, 200, 700):
        AssignmentFactory(official=cast["cadre"], started_on=today - timedelta(days=days))
    seed_visits(today=today)
    for assignment in LiaisonAssignment.objects.all():
        visited = Visit.objects.submitted().filter(
            cadre=assignment.official, enterprise=assignment.enterprise, visited_on__gte=assignment.started_on
        )
        last = max(visited.values_list("visited_on", flat=True), default=None)
        assert (assignment.last_visit_on, assignment.next_due_on) == (last, add_months(last or assignment.started_on, 3))
