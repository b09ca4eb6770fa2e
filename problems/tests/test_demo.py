"""The demo problems: every state, built through the state machine, the same when seeded again."""

from collections import Counter

import pytest
from django.utils import timezone, translation

from accounts.demo import DEFAULT_PASSWORD, seed_officials
from accounts.models import User
from enterprises import demo as enterprise_demo
from problems import demo
from problems.clusters.grouping import common_problems
from problems.models import Disposition, Problem, ProblemEvent, ProblemStatus, Source, Verdict
from visits import demo as visit_demo


@pytest.mark.django_db
def test_seed_problems_is_complete_and_idempotent():
    today = timezone.localdate()
    with translation.override("zh-hans"):
        seed_officials(password=DEFAULT_PASSWORD)
        enterprise_demo.seed_cadres(password=DEFAULT_PASSWORD)
        enterprise_demo.seed_enterprises()
        enterprise_demo.seed_liaisons(actor=User.objects.get(username="sd_staff"))
        visit_demo.seed_visits(today=today)
        demo.seed_problems(today=today)
        first = sorted(Problem.objects.values_list("enterprise_id", "description", "status"))
        events = ProblemEvent.objects.count()
        demo.seed_problems(today=today)
    assert sorted(Problem.objects.values_list("enterprise_id", "description", "status")) == first
    assert ProblemEvent.objects.count() == events
    for region in ("370102", "370103"):
        statuses = set(Problem.objects.filter(office_region_id=region).values_list("status", flat=True))
        assert statuses == set(ProblemStatus.values), region
    assert set(Problem.objects.values_list("disposition", flat=True)) >= set(Disposition.values)
    assert Counter(Problem.objects.values_list("region_id", flat=True)).keys() >= {"370102", "370103", "370104"}
    assert Problem.objects.overdue(today=today).exists()
    assert Verdict.objects.exists()
    assert Problem.objects.filter(source=Source.VISIT, visit__isnull=False).exists()
    assert all(problem.events.exists() for problem in Problem.objects.all())
    financing = [
        group for group in common_problems(Problem.objects.filter(category__key="financing")) if group.region_id == "370102"
    ]
    assert financing and financing[0].enterprise_count >= 3
