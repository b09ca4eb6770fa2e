"""Reference data, permissions and the database's own guards."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from accounts.roles import Role
from problems.models import Category, Problem, ProblemStatus, Source, Verdict
from problems.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def test_the_nine_categories_are_seeded_in_order():
    assert list(Category.objects.values_list("key", flat=True)) == [
        "financing",
        "land",
        "taxes-fees",
        "approvals-permits",
        "labour-talent",
        "market-access",
        "legal-rights",
        "utilities-infrastructure",
        "other",
    ]
    assert Category.objects.get(key="land").name == "用地"


@pytest.mark.parametrize(
    "role, granted, withheld",
    [
        (Role.STAFF, {"view_problem", "add_problem", "change_problem", "triage_problems"}, {"handle_problems"}),
        (Role.HANDLER, {"view_problem", "change_problem", "handle_problems"}, {"add_problem", "triage_problems"}),
        (Role.CADRE, {"view_problem", "add_problem"}, {"change_problem", "triage_problems", "handle_problems"}),
        (Role.REVIEWER, {"view_problem"}, {"add_problem", "change_problem", "triage_problems", "handle_problems"}),
    ],
)
def test_roles_get_their_problem_permissions(role, granted, withheld):
    codenames = set(
        Group.objects.get(name=role).permissions.filter(content_type__app_label="problems").values_list("codename", flat=True)
    )
    assert granted <= codenames
    assert not withheld & codenames


def test_a_visit_goes_with_the_visit_source_only():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProblemFactory(source=Source.VISIT, visit=None)


def test_a_problem_in_progress_has_a_department():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProblemFactory(status=ProblemStatus.IN_PROGRESS, handling_department=None)


def test_a_waiting_problem_has_its_pause_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProblemFactory(status=ProblemStatus.WAITING, handling_department=None)


def test_one_verdict_per_round():
    problem = ProblemFactory(status=ProblemStatus.SOLVED, outcome="solved", feedback_round=1)
    Verdict.objects.create(problem=problem, round=1, outcome="solved", verdict="satisfied", channel="link")
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(problem=problem, round=1, outcome="solved", verdict="satisfied", channel="link")


def test_a_phone_verdict_names_who_called():
    problem = ProblemFactory(status=ProblemStatus.SOLVED, outcome="solved", feedback_round=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(problem=problem, round=1, outcome="solved", verdict="satisfied", channel="phone")


def test_str_shows_the_enterprise_and_the_first_line():
    problem = ProblemFactory.build(description="第一行\n第二行")
    assert str(problem).endswith("· 第一行")
    assert Problem.objects.none().open().count() == 0
