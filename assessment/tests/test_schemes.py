"""Schemes: who sets them, what a scheme must hold (weights adding up to 100, targets above zero, each
indicator once, from the catalogue), the lock of a closed period (copy it to change it), copies, and the
pages. Every refusal is a clear sentence and changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment import services
from assessment.models import AssessmentPeriod, PeriodStatus, Scheme, SchemeItem

pytestmark = pytest.mark.django_db

GOOD = [
    {"indicator": "liaison_coverage", "weight": Decimal("60"), "target": Decimal("95"), "rule": "linear"},
    {"indicator": "open_overdue", "weight": Decimal("40"), "target": Decimal("2"), "rule": "threshold"},
]


@pytest.fixture
def period():
    return AssessmentPeriod.objects.create(label="2026", start=date(2026, 1, 1), end=date(2026, 12, 31))


@pytest.fixture
def city_admin(db):
    return UserFactory(username="t_jn_admin", region_id="370100", roles=[Role.ADMINISTRATOR])


def province_scheme(period, level="city", items=GOOD):
    scheme = Scheme.objects.create(period=period, owner_id="370000", assessed_level=level, name=f"省{level}方案")
    for item in items:
        SchemeItem.objects.create(scheme=scheme, **item)
    return scheme


def items_of(scheme):
    return sorted(scheme.items.values_list("indicator", "weight", "target", "rule"))


def login(user):
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------------
# Who sets schemes


def test_the_province_sets_schemes_for_cities_and_counties(cast, period):
    province = Region.objects.get(code="370000")
    for level in ("city", "county"):
        scheme = services.create_scheme(actor=cast["admin"], period=period, owner=province, assessed_level=level, name="方案")
        services.set_scheme_items(actor=cast["admin"], scheme=scheme, items=GOOD)
        assert len(items_of(scheme)) == 2


def test_a_city_sets_the_scheme_of_its_own_counties_only(city_admin, period):
    jinan = Region.objects.get(code="370100")
    scheme = services.create_scheme(actor=city_admin, period=period, owner=jinan, assessed_level="county", name="济南区县方案")
    assert scheme.owner_id == "370100"
    with pytest.raises(ValidationError) as refusal:
        services.create_scheme(actor=city_admin, period=period, owner=jinan, assessed_level="city", name="x")
    assert refusal.value.messages == ["A city sets the scheme of its own counties only; the province sets the cities' scheme."]
    with pytest.raises(ValidationError) as refusal:
        services.create_scheme(
            actor=city_admin, period=period, owner=Region.objects.get(code="370000"), assessed_level="city", name="x"
        )
    assert refusal.value.code == "not_allowed"
    with pytest.raises(ValidationError) as refusal:
        services.create_scheme(actor=city_admin, period=period, owner=jinan, assessed_level="county", name="又一个")
    assert refusal.value.code == "duplicate"
    assert Scheme.objects.count() == 1


def test_a_county_and_staff_set_no_scheme(cast, period):
    lixia, province = Region.objects.get(code="370102"), Region.objects.get(code="370000")
    cases = [
        (cast["county_admin"], lixia, "Counties do not set schemes: the province or their city does."),
        (cast["province_staff"], province, "You cannot set assessment schemes."),
        (cast["county_admin"], province, "Only the province's administrators can change the province's schemes."),
    ]
    for actor, owner, message in cases:
        with pytest.raises(ValidationError) as refusal:
            services.create_scheme(actor=actor, period=period, owner=owner, assessed_level="county", name="x")
        assert refusal.value.messages == [message]
    assert not Scheme.objects.exists()


def test_a_city_editing_the_provinces_scheme_is_refused(city_admin, period):
    scheme = province_scheme(period, "county")
    before = items_of(scheme)
    with pytest.raises(ValidationError) as refusal:
        services.set_scheme_items(actor=city_admin, scheme=scheme, items=GOOD[:1])
    assert refusal.value.messages == ["Only the province's administrators can change the province's schemes."]
    assert items_of(scheme) == before


# ---------------------------------------------------------------------------------------------------
# Bad input


def item(indicator="liaison_coverage", weight=100, target=90, rule="linear"):
    return {"indicator": indicator, "weight": weight, "target": target, "rule": rule}


@pytest.mark.parametrize(
    "items, message",
    [
        ([item(weight=60), item("visit_coverage", weight=30)], "The weights add up to 90; they must add up to 100."),
        ([item(weight="70.5"), item("visit_coverage", weight=30)], "The weights add up to 100.5; they must add up to 100."),
        ([item(target=0)], "Give Liaison coverage a target above zero."),
        ([item(target=-5)], "Give Liaison coverage a target above zero."),
        ([item(weight=0)], "Give Liaison coverage a weight above 0 and at most 100."),
        ([item(weight=50), item(weight=50)], "Liaison coverage is listed twice: list each indicator once."),
        ([item("no_such_thing")], "“no_such_thing” is not an indicator of the catalogue."),
        ([item(rule="squared")], "Choose a scoring rule for Liaison coverage."),
        ([item(target="abc")], "Give Liaison coverage a target above zero."),
        ([], "List at least one indicator."),
    ],
)
def test_bad_items_are_refused_and_change_nothing(cast, period, items, message):
    scheme = province_scheme(period)
    before = items_of(scheme)
    with pytest.raises(ValidationError) as refusal:
        services.set_scheme_items(actor=cast["admin"], scheme=scheme, items=items)
    assert message in refusal.value.messages
    assert items_of(scheme) == before


def test_a_scheme_of_a_closed_period_is_copied_to_be_changed(cast, period):
    scheme = province_scheme(period)
    AssessmentPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)
    scheme = Scheme.objects.get(pk=scheme.pk)
    with pytest.raises(ValidationError) as refusal:
        services.set_scheme_items(actor=cast["admin"], scheme=scheme, items=[item()])
    assert refusal.value.code == "invalid_move"
    assert "copy it to change it" in refusal.value.messages[0]
    with pytest.raises(ValidationError) as refusal:
        services.create_scheme(
            actor=cast["admin"], period=scheme.period, owner=scheme.owner, assessed_level="county", name="迟到的方案"
        )
    assert refusal.value.code == "period_closed"
    following = AssessmentPeriod.objects.create(label="2027", start=date(2027, 1, 1), end=date(2027, 12, 31))
    copy = services.copy_scheme(actor=cast["admin"], scheme=scheme, period=following)
    assert copy.period == following and copy.copied_from == scheme and items_of(copy) == items_of(scheme)
    services.set_scheme_items(actor=cast["admin"], scheme=copy, items=[item()])
    assert items_of(scheme) != items_of(copy)
    with pytest.raises(ValidationError) as refusal:
        services.copy_scheme(actor=cast["admin"], scheme=copy, period=scheme.period)
    assert refusal.value.code == "period_closed"


def test_a_city_copies_the_provinces_county_scheme_as_its_own(city_admin, cast, period):
    scheme = province_scheme(period, "county")
    copy = services.copy_scheme(actor=city_admin, scheme=scheme, period=period, name="济南区县方案")
    assert (copy.owner_id, copy.assessed_level, copy.name) == ("370100", "county", "济南区县方案")
    assert items_of(copy) == items_of(scheme)
    # Copied again onto the city's scheme: its new version, not a second scheme.
    services.set_scheme_items(actor=cast["admin"], scheme=scheme, items=[item()])
    again = services.copy_scheme(actor=city_admin, scheme=scheme, period=period)
    assert again.pk == copy.pk and items_of(again) == items_of(scheme)
    with pytest.raises(ValidationError) as refusal:
        services.copy_scheme(actor=cast["admin"], scheme=scheme, period=period)
    assert refusal.value.code == "same_scheme"
    # A city cannot take the province's scheme for cities.
    with pytest.raises(ValidationError) as refusal:
        services.copy_scheme(actor=city_admin, scheme=province_scheme(period, "city"), period=period)
    assert refusal.value.messages == ["A city sets the scheme of its own counties only; the province sets the cities' scheme."]


# ---------------------------------------------------------------------------------------------------
# Pages


def test_the_list_shows_the_users_regions_schemes_and_those_above(cast, city_admin, period):
    province_scheme(period, "county")
    Scheme.objects.create(period=period, owner_id="370100", assessed_level="county", name="济南区县方案")
    Scheme.objects.create(period=period, owner_id="370400", assessed_level="county", name="枣庄区县方案")
    page = login(cast["county_staff"]).get(reverse("assessment:scheme_list")).content.decode()
    assert "省county方案" in page and "济南区县方案" in page and "枣庄区县方案" not in page
    page = login(cast["reviewer"]).get(reverse("assessment:scheme_list")).content.decode()
    assert "枣庄区县方案" in page
    assert login(cast["cadre"]).get(reverse("assessment:scheme_list")).status_code == 403
    zaozhuang = Scheme.objects.get(owner_id="370400")
    assert login(cast["city_staff"]).get(reverse("assessment:scheme_detail", args=[zaozhuang.pk])).status_code == 404


def test_the_form_saves_items_and_shows_bad_input_without_saving(cast, period):
    scheme = province_scheme(period)
    url = reverse("assessment:scheme_update", args=[scheme.pk])
    client = login(cast["admin"])
    assert client.get(url).status_code == 200

    def post(rows):
        data = {"name": "新名称", "items-TOTAL_FORMS": len(rows), "items-INITIAL_FORMS": 0, "action": "save"}
        for index, row in enumerate(rows):
            data.update({f"items-{index}-{key}": value for key, value in row.items()})
        return client.post(url, data)

    response = post([item(weight=50), item("visit_coverage", weight=40)])
    assert response.status_code == 200
    assert "The weights add up to 90; they must add up to 100." in response.content.decode()
    assert Scheme.objects.get(pk=scheme.pk).name != "新名称"
    response = post([item(weight=50), item("visit_coverage", weight=50, target=80), item("visit_coverage", weight=0)])
    assert response.status_code == 200  # the third row's weight is refused, nothing saved
    assert items_of(scheme) == items_of(Scheme.objects.get(pk=scheme.pk))
    response = post([item(weight=50), item("visit_coverage", weight=50, target=80)])
    assert response.status_code == 302
    assert [row[0] for row in items_of(scheme)] == ["liaison_coverage", "visit_coverage"]
    assert Scheme.objects.get(pk=scheme.pk).name == "新名称"


def test_the_form_of_a_locked_or_anothers_scheme_redirects_with_the_reason(cast, city_admin, period):
    scheme = province_scheme(period)
    response = login(city_admin).get(reverse("assessment:scheme_update", args=[scheme.pk]), follow=True)
    assert "Only the province&#x27;s administrators can change the province&#x27;s schemes." in response.content.decode()
    AssessmentPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)
    response = login(cast["admin"]).get(reverse("assessment:scheme_update", args=[scheme.pk]), follow=True)
    assert "copy it to change it" in response.content.decode()
    detail = login(cast["admin"]).get(reverse("assessment:scheme_detail", args=[scheme.pk])).content.decode()
    assert 'data-testid="scheme-edit"' not in detail and 'data-testid="scheme-copy"' in detail


def test_copy_and_create_pages(cast, city_admin, period):
    scheme = province_scheme(period, "county")
    response = login(city_admin).post(reverse("assessment:scheme_copy", args=[scheme.pk]), {"period": period.pk, "name": ""})
    copy = Scheme.objects.get(owner_id="370100")
    assert response.status_code == 302 and response["Location"] == reverse("assessment:scheme_update", args=[copy.pk])
    response = login(cast["admin"]).post(
        reverse("assessment:scheme_create"), {"period": period.pk, "assessed_level": "city", "name": "省对市方案"}
    )
    assert response.status_code == 302 and Scheme.objects.filter(owner_id="370000", assessed_level="city").exists()
    response = login(cast["county_admin"]).get(reverse("assessment:scheme_create"), follow=True)
    assert "Only the administrators of the province or of a city set assessment schemes." in response.content.decode()
