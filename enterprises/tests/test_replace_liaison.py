"""Replacing a liaison in one step: the old one ends and the new one starts on the same day, for one reason,
both or neither."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises import services
from enterprises.forms import ReplaceAssignmentForm
from enterprises.models import LiaisonAssignment
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The messages are read in English (pages and services alike)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def cadre(region="370102", **kwargs):
    return UserFactory(region_id=region, roles=[Role.CADRE], **kwargs)


@pytest.fixture
def current(cast):
    """历下区's cadre has liaised with an enterprise of 历下区 for a month."""
    enterprise = EnterpriseFactory(region_id="370102")
    return services.assign_liaison(
        enterprise=enterprise,
        official=cast["cadre"],
        actor=cast["county_staff"],
        started_on=timezone.localdate() - timedelta(days=30),
        reason="首次安排",
    )


def assignments_of(enterprise):
    return list(
        LiaisonAssignment.objects.filter(enterprise=enterprise)
        .order_by("pk")
        .values_list("official__username", "started_on", "ended_on", "reason", "end_reason")
    )


def test_the_old_liaison_ends_and_the_new_one_starts_the_same_day_with_one_reason(cast, current):
    successor = cadre()
    day = timezone.localdate() - timedelta(days=2)
    replacement = services.replace_liaison(
        actor=cast["county_staff"], assignment=current, official=successor, reason="原联系干部工作调动", on=day
    )
    current.refresh_from_db()
    assert (current.ended_on, current.end_reason, current.ended_by) == (day, "原联系干部工作调动", cast["county_staff"])
    assert replacement.official == successor and replacement.level == current.level
    assert (replacement.started_on, replacement.reason, replacement.assigned_by) == (
        day,
        "原联系干部工作调动",
        cast["county_staff"],
    )
    assert [a.official for a in LiaisonAssignment.objects.current().filter(enterprise=current.enterprise)] == [successor]
    # The history keeps both rows (the enterprise's timeline and "past liaisons" read them).
    assert LiaisonAssignment.history.filter(id=current.pk).count() == 2  # created, then ended


def test_the_handover_day_defaults_to_today(cast, current):
    replacement = services.replace_liaison(actor=cast["county_staff"], assignment=current, official=cadre(), reason="调整")
    current.refresh_from_db()
    assert current.ended_on == replacement.started_on == timezone.localdate()


def test_the_same_cadre_is_refused_and_nothing_changes(cast, current):
    before = assignments_of(current.enterprise)
    with pytest.raises(ValidationError) as refusal:
        services.replace_liaison(actor=cast["county_staff"], assignment=current, official=cast["cadre"], reason="调整")
    assert "already this liaison" in refusal.value.message_dict["official"][0]
    assert assignments_of(current.enterprise) == before


@pytest.mark.parametrize(
    ("make_official", "field", "message"),
    [
        (lambda: cadre("370103"), "official", "does not include"),  # a cadre of another county
        (lambda: cadre(is_active=False), "official", "deactivated"),
        (lambda: UserFactory(region_id="370102", roles=[Role.STAFF]), "official", "not a liaison cadre"),
        (lambda: cadre("370100"), "official", "choose a cadre of that level"),  # a city cadre for a county liaison
    ],
)
def test_refused_successors_leave_the_liaison_as_it_was(cast, current, make_official, field, message):
    before = assignments_of(current.enterprise)
    with pytest.raises(ValidationError) as refusal:
        services.replace_liaison(actor=cast["county_staff"], assignment=current, official=make_official(), reason="调整")
    assert message in " ".join(refusal.value.message_dict[field])
    assert assignments_of(current.enterprise) == before


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "in the future"), (-31, "before it started")],
)
def test_a_handover_day_in_the_future_or_before_the_start_is_refused(cast, current, days, message):
    before = assignments_of(current.enterprise)
    with pytest.raises(ValidationError) as refusal:
        services.replace_liaison(
            actor=cast["county_staff"],
            assignment=current,
            official=cadre(),
            reason="调整",
            on=timezone.localdate() + timedelta(days=days),
        )
    assert message in refusal.value.message_dict["on"][0]
    assert assignments_of(current.enterprise) == before


def test_a_blank_reason_or_an_ended_liaison_is_refused(cast, current):
    with pytest.raises(ValidationError) as refusal:
        services.replace_liaison(actor=cast["county_staff"], assignment=current, official=cadre(), reason="  ")
    assert refusal.value.message_dict["reason"]
    services.end_liaison(assignment=current, actor=cast["county_staff"], reason="企业迁出")
    with pytest.raises(ValidationError, match="already ended"):
        services.replace_liaison(actor=cast["county_staff"], assignment=current, official=cadre(), reason="调整")
    assert not LiaisonAssignment.objects.current().filter(enterprise=current.enterprise).exists()


def test_nothing_is_half_saved_when_the_new_assignment_fails(cast, current, monkeypatch):
    """The old liaison is ended before the new one is written: a failure of the second undoes the first."""
    before = assignments_of(current.enterprise)

    def refuse(**kwargs):
        raise ValidationError("the new assignment failed")

    monkeypatch.setattr(services, "assign_liaison", refuse)
    with pytest.raises(ValidationError, match="the new assignment failed"):
        services.replace_liaison(actor=cast["county_staff"], assignment=current, official=cadre(), reason="调整")
    assert assignments_of(current.enterprise) == before
    current.refresh_from_db()
    assert current.ended_on is None and current.end_reason == ""


def form(data, actor, assignment):
    return ReplaceAssignmentForm(data, actor=actor, assignment=assignment)


def test_the_form_refuses_the_same_cadre_and_needs_a_reason(cast, current):
    today = timezone.localdate().isoformat()
    same = form({"official": cast["cadre"].pk, "on": today, "reason": "调整"}, cast["county_staff"], current)
    assert not same.is_valid()
    assert "already this liaison" in same.errors["official"][0] and cast["cadre"].display_name in same.errors["official"][0]
    blank = form({"official": cadre().pk, "on": today, "reason": "   "}, cast["county_staff"], current)
    assert not blank.is_valid() and "reason" in blank.errors
    good = form({"official": cadre().pk, "on": today, "reason": "调整"}, cast["county_staff"], current)
    assert good.is_valid(), good.errors


def test_the_form_offers_only_cadres_the_actor_sees(cast, current):
    outside = form(
        {"official": cast["other_county_cadre"].pk, "on": timezone.localdate().isoformat(), "reason": "调整"},
        cast["county_staff"],
        current,
    )
    assert not outside.is_valid() and "official" in outside.errors


def test_the_page_replaces_the_liaison(client, cast, current):
    successor = cadre(username="successor")
    client.force_login(cast["county_staff"])
    url = reverse("enterprises:assignment_replace", args=[current.pk])
    page = client.get(url)
    assert page.status_code == 200 and cast["cadre"].display_name in page.content.decode()
    response = client.post(url, {"official": successor.pk, "on": timezone.localdate().isoformat(), "reason": "工作调动"})
    assert response.status_code == 302 and response.url == reverse("enterprises:detail", args=[current.enterprise_id])
    detail = client.get(response.url).content.decode()
    assert successor.display_name in detail and "工作调动" in detail
    current.refresh_from_db()
    assert current.end_reason == "工作调动"
    assert LiaisonAssignment.objects.current().get(enterprise=current.enterprise).official == successor


def test_the_page_shows_why_the_same_cadre_is_refused(client, cast, current):
    client.force_login(cast["county_staff"])
    before = assignments_of(current.enterprise)
    response = client.post(
        reverse("enterprises:assignment_replace", args=[current.pk]),
        {"official": cast["cadre"].pk, "on": timezone.localdate().isoformat(), "reason": "调整"},
    )
    assert response.status_code == 200
    assert "already this liaison" in response.content.decode()
    assert assignments_of(current.enterprise) == before


def test_a_service_refusal_shows_under_its_field(client, cast, current):
    """A city cadre passes the form (the county's staff cannot see one, so the city's staff asks)."""
    client.force_login(cast["city_staff"])
    response = client.post(
        reverse("enterprises:assignment_replace", args=[current.pk]),
        {"official": cadre("370100").pk, "on": timezone.localdate().isoformat(), "reason": "调整"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["official"] == ["This is a County-level liaison; choose a cadre of that level."]
    assert LiaisonAssignment.objects.current().get(enterprise=current.enterprise).official == cast["cadre"]


def test_the_enterprise_page_offers_replace_to_those_who_assign(client, cast, current):
    url = reverse("enterprises:detail", args=[current.enterprise_id])
    replace = reverse("enterprises:assignment_replace", args=[current.pk])
    client.force_login(cast["county_staff"])
    assert replace in client.get(url).content.decode()
    client.force_login(cast["cadre"])
    assert replace not in client.get(url).content.decode()


def test_an_assignment_factory_liaison_can_be_replaced(cast):
    """A liaison written without the services (the admin, an import) is replaced the same way."""
    assignment = AssignmentFactory(official=cast["cadre"], started_on=timezone.localdate() - timedelta(days=3))
    replacement = services.replace_liaison(actor=cast["county_staff"], assignment=assignment, official=cadre(), reason="调整")
    assert replacement.enterprise == assignment.enterprise
