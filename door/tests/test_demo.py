"""The demo's access links: three demo enterprises, the same live links at every run."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.demo import seed_officials
from accounts.models import User
from door import demo
from door.models import EnterpriseAccess
from enterprises import demo as enterprise_demo
from enterprises.models import Enterprise
from problems.models import Problem, ProblemStatus, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_register():
    seed_officials(password="Demo-Pass-2026")
    enterprise_demo.seed_cadres(password="Demo-Pass-2026")
    enterprise_demo.seed_enterprises()
    enterprise_demo.seed_liaisons(actor=User.objects.get(username="sd_staff"))


def test_three_demo_enterprises_get_live_links_that_stay_the_same(demo_register):
    first = demo.seed_access_links()
    assert len(first) == 3 and len({enterprise.pk for enterprise, _link in first}) == 3
    assert [enterprise.region_id for enterprise, _link in first] == ["370102", "370102", "370103"]
    assert demo.seed_access_links() == first
    assert EnterpriseAccess.objects.count() == 3
    for enterprise, link in first:
        client = Client()
        assert client.get(link.removeprefix("http://127.0.0.1:8000"))["Location"] == reverse("door:home")
        assert enterprise.name in client.get(reverse("door:home")).content.decode()
    # A demo link revoked is replaced by the next of its series at the next run.
    revoked = EnterpriseAccess.objects.get(enterprise=first[0][0])
    revoked.revoked_at = revoked.issued_at
    revoked.save()
    again = demo.seed_access_links()
    assert again[0][1] != first[0][1] and again[1:] == first[1:]
    assert Enterprise.objects.get(pk=first[0][0].pk).door_accesses.live().count() == 1


def test_one_demo_enterprise_has_raised_an_open_demand_through_its_door_once(demo_register):
    links = demo.seed_access_links()
    demand = demo.seed_demand()
    assert demand.enterprise == links[0][0] and demand.source == Source.ENTERPRISE
    assert demand.status == ProblemStatus.NEW and demand.raised_by is None and demand.is_open
    assert demand.events.count() == 1
    assert demo.seed_demand() == demand
    assert Problem.objects.filter(source=Source.ENTERPRISE).count() == 1
    # The enterprise reads it on its own list of demands.
    client = Client()
    client.get(links[0][1].removeprefix("http://127.0.0.1:8000"))
    assert demo.DEMAND_DESCRIPTION[:20] in client.get(reverse("door:demands")).content.decode()
