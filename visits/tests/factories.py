"""Factories of the visits app's records, shared by its tests and the demo data."""

import factory
from django.utils import timezone

from accounts.models import Region
from visits.models import Policy, PolicyDelivery, PolicyLevel, SupportType


class PolicyFactory(factory.django.DjangoModelFactory):
    """A provincial policy in force, for every industry, size and tag unless told otherwise.

    `industries=[...]` and `tags=[...]` set what it applies to; `sizes` is comma-joined ("small,micro").
    """

    class Meta:
        model = Policy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"关于支持民营经济发展的若干措施（{n}）")
    document_number = factory.Sequence(lambda n: f"鲁政发〔2025〕{n}号")
    issuer = "山东省人民政府"
    level = PolicyLevel.PROVINCE
    region = factory.LazyFunction(lambda: Region.objects.get(code="370000"))
    issued_on = factory.LazyFunction(timezone.localdate)
    summary = "对符合条件的企业给予资金奖励。"

    @factory.post_generation
    def industries(policy, create, industries, **kwargs):
        if create and industries:
            policy.industries.set(industries)

    @factory.post_generation
    def tags(policy, create, tags, **kwargs):
        if create and tags:
            policy.tags.set(tags)


class PolicyDeliveryFactory(factory.django.DjangoModelFactory):
    """What an enterprise obtained under a policy; give it the `visit` it was recorded on."""

    class Meta:
        model = PolicyDelivery

    policy = factory.SubFactory(PolicyFactory)
    enterprise = factory.LazyAttribute(lambda delivery: delivery.visit.enterprise)
    region_id = factory.LazyAttribute(lambda delivery: delivery.enterprise.region_id)
    support_type = SupportType.FUNDING
    amount = "10.00"
