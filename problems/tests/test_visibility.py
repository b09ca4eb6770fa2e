"""Who sees a problem: the enterprise's region and the regions above it, and whoever holds it now."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accounts.access import get_visible_or_404
from problems import services
from problems.models import Problem

pytestmark = pytest.mark.django_db


def sees(user, problem):
    return Problem.objects.visible_to(user).filter(pk=problem.pk).exists()


def test_a_new_problem_is_seen_in_its_county_and_above_not_in_a_sibling_county(cast, problem):
    for who in ("county_staff", "cadre", "handler", "city_staff", "province_staff", "reviewer", "admin"):
        assert sees(cast[who], problem), who
    for who in ("other_county_staff", "other_county_cadre"):
        assert not sees(cast[who], problem), who


def test_a_problem_referred_to_the_city_is_seen_by_the_city_and_above_not_by_a_sibling_county(
    cast, problem, departments, handlers
):
    referred = services.refer(actor=cast["county_staff"], problem=problem, department=departments["jn_dev"])
    for official in (handlers["jn_dev"], cast["city_staff"], cast["province_staff"], cast["county_staff"]):
        assert sees(official, referred)
    for official in (cast["other_county_staff"], handlers["sz_dev"]):
        assert not sees(official, referred)


def test_a_problem_handed_to_another_county_is_seen_there_while_it_holds_it(cast, problem, departments, handlers):
    escalated = services.escalate(actor=cast["county_staff"], problem=problem, justification="x")
    assert not sees(cast["other_county_staff"], escalated)
    decided = services.decide_escalation(
        actor=cast["province_staff"], problem=escalated, decision="由市中区承办。", department=departments["sz_dev"]
    )
    assert sees(cast["other_county_staff"], decided)
    assert sees(handlers["sz_dev"], decided)
    assert sees(cast["county_staff"], decided)  # still the enterprise's county


def test_an_inactive_or_regionless_official_sees_nothing(cast, problem):
    cast["county_staff"].is_active = False
    assert not sees(cast["county_staff"], problem)
    cast["cadre"].region = None
    assert not sees(cast["cadre"], problem)


def test_get_visible_or_404_fences_problems(cast, problem):
    assert get_visible_or_404(Problem, cast["county_staff"], pk=problem.pk) == problem
    with pytest.raises(Http404):
        get_visible_or_404(Problem, cast["other_county_staff"], pk=problem.pk)


def test_the_fence_reads_the_local_columns_without_a_join(cast, problem):
    with CaptureQueriesContext(connection) as queries:
        list(Problem.objects.visible_to(cast["county_staff"]))
    assert "JOIN" not in queries.captured_queries[-1]["sql"]


def test_held_by_lists_what_each_holder_acts_on(cast, problem, in_progress, handlers):
    assert list(Problem.objects.held_by(handlers["lx_dev"])) == [in_progress]
    assert list(Problem.objects.held_by(cast["county_staff"])) == [in_progress]
    assert list(Problem.objects.held_by(handlers["lx_land"])) == []
    assert list(Problem.objects.held_by(cast["city_staff"])) == []
    assert list(Problem.objects.held_by(cast["handler"])) == []  # a handler without a department


def test_may_handle_agrees_with_held_by(cast, in_progress, handlers):
    for official in [*handlers.values(), *cast.values()]:
        assert in_progress.may_handle(official) == Problem.objects.held_by(official).filter(pk=in_progress.pk).exists(), official


def test_a_timeline_takes_a_fixed_number_of_queries(cast, in_progress, handlers, django_assert_num_queries):
    problem = services.add_note(actor=handlers["lx_dev"], problem=in_progress, note="x")
    with django_assert_num_queries(2):
        events = list(problem.events.for_timeline())
        names = [(event.actor.display_name, event.to_department and event.to_department.name) for event in events]
        files = [list(event.attachments.all()) for event in events]
    assert len(names) == len(files) == 3
