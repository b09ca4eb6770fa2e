"""The region fence (accounts.access) covers every region-bound model, from one module.

- A model with a region column (a foreign key to `accounts.Region` named `region`, or one its queryset
  names as a fence key) has the region queryset, so `visible_to(user)` exists and means the same thing
  everywhere; the exceptions are listed below, each with its reason.
- The fence reads local columns only (a `startswith` on the record's own `_id` column, no join).
- A record seen from several regions (a problem: its enterprise's region OR the region handling it
  now) is visible through either key, and never to a sibling county.
"""

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from accounts.access import RegionScopedQuerySet
from accounts.models import Department, Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.history import AuditedChange
from enterprises.tests.factories import EnterpriseFactory
from problems import services
from problems.models import Problem
from problems.tests.factories import category

# Models with a `region` column that are NOT region-bound records, and so have no region queryset.
# Officials (accounts.User) need no entry: their manager (OfficialManager) is built from UserQuerySet,
# a region queryset. Regions themselves are fenced by their own code (RegionQuerySet, `region_key = "code"`).
# The history tables of the audit trail (core.history.AuditedChange) are fenced by their own `audit_region`
# column on the audit page (portal.audit.selectors), and otherwise read only through a record already fetched
# inside the fence (enterprise.history on its page) or in Django's admin (province administrators only).
EXEMPT = {
    # A region recommends a practice of the library to the regions BELOW it: it is read by the chain
    # of regions above the reader (reviews.selectors), the opposite of "one's region and below".
    "reviews.Recommendation": "read downwards, by the reader's ancestors",
}


def _region_columns(model):
    """The names of the model's foreign keys to Region."""
    return [
        field.name
        for field in model._meta.get_fields()
        if getattr(field, "many_to_one", False) and field.concrete and field.related_model is Region
    ]


def _queryset(model):
    return model._default_manager.get_queryset()


def unfenced_models(models_to_check):
    """Labels of the models with a `region` column whose default manager's queryset is not a region queryset."""
    return sorted(
        model._meta.label
        for model in models_to_check
        if "region" in _region_columns(model)
        and model._meta.label not in EXEMPT
        and not issubclass(model, AuditedChange)
        and not isinstance(_queryset(model), RegionScopedQuerySet)
    )


def fenced_models():
    return [model for model in apps.get_models() if isinstance(_queryset(model), RegionScopedQuerySet)]


def test_every_model_with_a_region_column_has_the_region_queryset():
    assert unfenced_models(apps.get_models()) == [], "give its manager a queryset inheriting RegionScopedQuerySet"


def test_the_exemptions_are_real_models_with_a_region_column_and_no_fence():
    models_by_label = {model._meta.label: model for model in apps.get_models()}
    for label in EXEMPT:
        model = models_by_label[label]
        assert "region" in _region_columns(model), label
        assert not isinstance(_queryset(model), RegionScopedQuerySet), f"{label} is fenced now: drop its exemption"


@isolate_apps("accounts")
def test_the_check_sees_a_model_without_the_fence():
    """The rule is real: a region-bound model with a plain manager is reported."""

    class Unfenced(models.Model):  # noqa: DJ008
        region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

        class Meta:
            app_label = "accounts"

    class Fenced(models.Model):  # noqa: DJ008
        region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

        objects = RegionScopedQuerySet.as_manager()

        class Meta:
            app_label = "accounts"

    assert unfenced_models([Unfenced, Fenced]) == ["accounts.Unfenced"]


def test_every_fence_key_is_a_region_column_and_a_region_column_named_region_is_the_first():
    for model in fenced_models():
        keys = _queryset(model).fence_keys
        columns = _region_columns(model)
        for key in keys:
            column = key.split("__")[0]
            assert (model is Region and key == "code") or (column in columns and key == f"{column}__code"), (model, key)
        if "region" in columns:
            assert keys[0] == "region__code", model  # the record's own region: what in_region filters on


@pytest.mark.django_db
def test_the_fence_reads_local_columns_without_a_join(cast):
    for model in fenced_models():
        sql = str(model._default_manager.visible_to(cast["county_staff"]).order_by().query)
        assert "JOIN" not in sql, model
        assert sql.count(" LIKE ") == len(_queryset(model).fence_keys), model


# --- several keys: a problem ------------------------------------------------------------------------


def sees(user, problem):
    return Problem.objects.visible_to(user).filter(pk=problem.pk).exists()


@pytest.fixture
def lx_problem(cast):
    """A problem of a 历下区 enterprise, triaged by 历下区's liaison office."""
    return services.raise_problem(
        actor=cast["cadre"], enterprise=EnterpriseFactory(), category=category("financing"), description="续贷困难。"
    )


def test_a_problem_referred_up_is_seen_by_the_region_handling_it_never_by_a_sibling_county(cast, lx_problem):
    jn_dev = Department.objects.create(region_id="370100", name="济南市发展和改革委员会")
    jn_handler = UserFactory(username="t_jn_dev", region_id="370100", department=jn_dev, roles=[Role.HANDLER])
    referred = services.refer(actor=cast["county_staff"], problem=lx_problem, department=jn_dev)
    assert referred.handling_region_id == "370100"
    for official in (jn_handler, cast["city_staff"], cast["county_staff"], cast["province_staff"]):
        assert sees(official, referred), official
    for official in (cast["other_county_staff"], cast["other_county_cadre"]):
        assert not sees(official, referred), official


def test_the_handling_key_reaches_a_region_outside_the_enterprises_and_no_sibling_of_it(cast, lx_problem):
    """The province hands a 历下区 problem to a 市中区 department, which refers it to another one of
    市中区: 市中区 sees it only through the handling key; 槐荫区, a sibling of both, never does."""
    sz_dev = Department.objects.create(region_id="370103", name="市中区发展和改革局")
    sz_land = Department.objects.create(region_id="370103", name="市中区自然资源局")
    sz_handler = UserFactory(username="t_sz_dev", region_id="370103", department=sz_dev, roles=[Role.HANDLER])
    hy_staff = UserFactory(username="t_hy_staff", region_id="370104", roles=[Role.STAFF])
    escalated = services.escalate(actor=cast["county_staff"], problem=lx_problem, justification="跨区协调。")
    assert not sees(cast["other_county_staff"], escalated)
    decided = services.decide_escalation(
        actor=cast["province_staff"], problem=escalated, decision="由市中区承办。", department=sz_dev
    )
    referred = services.refer(actor=sz_handler, problem=decided, department=sz_land)
    assert (referred.region_id, referred.handling_region_id) == ("370102", "370103")
    for official in (cast["other_county_staff"], sz_handler, cast["county_staff"], cast["city_staff"]):
        assert sees(official, referred), official
    assert not sees(hy_staff, referred)
    # A region the user picks in a list filters by the enterprise's region, as before.
    assert list(Problem.objects.in_region(Region.objects.get(code="370102"))) == [referred]
    assert not Problem.objects.in_region(Region.objects.get(code="370103")).exists()
