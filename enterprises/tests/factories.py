import factory
from django.utils import timezone

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.credit_codes import build_credit_code
from enterprises.models import Enterprise, Industry, LiaisonAssignment, Size
from enterprises.services import liaison_saved


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A private enterprise of 历下区 by default, with a valid credit code of its region."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"山东测试{n}科技有限公司")
    region = factory.LazyFunction(lambda: Region.objects.get(code="370102"))
    credit_code = factory.Sequence(lambda n: build_credit_code(division="370102", serial=10_000_000 + n))
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="C"))
    size = Size.SMALL


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A current liaison of a county cadre; like `services.assign_liaison`, it gets its last visit and next due date."""

    class Meta:
        model = LiaisonAssignment
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    official = factory.SubFactory(UserFactory, roles=[Role.CADRE])
    level = factory.LazyAttribute(lambda assignment: Region.objects.get(code=assignment.official.region_id).level)
    region_id = factory.LazyAttribute(lambda assignment: assignment.enterprise.region_id)
    started_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def due_dates(assignment, create, extracted, **kwargs):
        if create:
            liaison_saved(assignment)
