"""Factories of the problems app's records, shared by its tests and (later) the demo data."""

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from problems.models import Category, Problem, ProblemStatus, Source, Urgency


def category(key="financing"):
    """One of the nine categories the data migration seeds."""
    return Category.objects.get(key=key)


class ProblemFactory(factory.django.DjangoModelFactory):
    """A new problem of an enterprise of 历下区, waiting for 历下区's liaison office to triage it.

    Only for a starting point: every later state is reached through problems.services, as in use.
    """

    class Meta:
        model = Problem

    enterprise = factory.SubFactory(EnterpriseFactory)
    region_id = factory.LazyAttribute(lambda problem: problem.enterprise.region_id)
    office_region_id = factory.LazyAttribute(lambda problem: problem.enterprise.region_id)
    handling_region_id = factory.LazyAttribute(lambda problem: problem.office_region_id)
    source = Source.OTHER
    category = factory.LazyFunction(category)
    description = factory.Sequence(lambda n: f"企业反映融资难，需协调银行授信（{n}）")
    urgency = Urgency.NORMAL
    raised_by = factory.SubFactory(UserFactory)
    raised_on = factory.LazyFunction(timezone.localdate)
    status = ProblemStatus.NEW
