"""The demo cases: every state, a handful on the showcase, the same when seeded again."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.demo import DEFAULT_PASSWORD, seed_officials
from accounts.models import User
from cases import demo
from cases.models import Case, CaseEvent, CasePhoto, CaseStatus, Publicity
from enterprises import demo as enterprise_demo
from problems import demo as problem_demo
from visits import demo as visit_demo


@pytest.mark.django_db
def test_seed_cases_is_complete_and_idempotent(client):
    today = timezone.localdate()
    with translation.override("zh-hans"):
        seed_officials(password=DEFAULT_PASSWORD)
        enterprise_demo.seed_cadres(password=DEFAULT_PASSWORD)
        enterprise_demo.seed_enterprises()
        enterprise_demo.seed_liaisons(actor=User.objects.get(username="sd_staff"))
        visit_demo.seed_visits(today=today)
        problem_demo.seed_problems(today=today)
        demo.seed_cases(today=today)
        first = sorted(Case.objects.values_list("title", "enterprise_id", "status", "consent_given"))
        counts = (CaseEvent.objects.count(), CasePhoto.objects.count(), Publicity.objects.count(), Case.history.count())
        demo.seed_cases(today=today)
    assert sorted(Case.objects.values_list("title", "enterprise_id", "status", "consent_given")) == first
    assert (CaseEvent.objects.count(), CasePhoto.objects.count(), Publicity.objects.count(), Case.history.count()) == counts
    assert len(first) == len(demo.CASES)
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    published = Case.objects.published()
    assert 5 <= published.count() <= 8
    assert set(published.values_list("region__parent_id", flat=True)) >= {"370100"}
    assert Case.objects.filter(evidence_visits__isnull=False).exists()
    assert Case.objects.filter(status=CaseStatus.APPROVED, consent_given=False).exists()
    assert Case.objects.filter(status=CaseStatus.APPROVED, consent_given=True).exists()
    page = client.get(reverse("showcase:list")).content.decode()
    assert all(case.title in page for case in published)
    photo = CasePhoto.objects.filter(case__status=CaseStatus.PUBLISHED).first()
    assert client.get(reverse("showcase:photo", args=[photo.pk])).status_code == 200
