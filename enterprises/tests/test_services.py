from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import RegionLevel
from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from enterprises import services
from enterprises.models import Enterprise, LiaisonAssignment
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory(region_id="370102")


def cadre(region="370102", **kwargs):
    return UserFactory(region_id=region, roles=[Role.CADRE], **kwargs)


def test_assignment_takes_the_cadres_level_and_the_enterprises_region(cast, enterprise):
    city_cadre = cadre("370100", department=DepartmentFactory(region_id="370100"))
    assignment = services.assign_liaison(enterprise=enterprise, official=city_cadre, actor=cast["city_staff"], reason="重点企业")
    assert assignment.level == RegionLevel.CITY
    assert assignment.region_id == "370102"
    assert assignment.department == city_cadre.department
    assert assignment.assigned_by == cast["city_staff"] and assignment.reason == "重点企业"


def test_an_enterprise_has_liaisons_at_several_levels(cast, enterprise):
    for region in ("370000", "370100", "370102"):
        services.assign_liaison(enterprise=enterprise, official=cadre(region), actor=cast["admin"])
    assert set(LiaisonAssignment.objects.current().filter(enterprise=enterprise).values_list("level", flat=True)) == {
        "province",
        "city",
        "county",
    }


def test_changing_the_liaison_keeps_the_old_one_with_end_date_and_reason(cast, enterprise):
    first, second = cadre(), cadre()
    old = services.assign_liaison(
        enterprise=enterprise, official=first, actor=cast["county_staff"], started_on=date.today() - timedelta(days=30)
    )
    services.assign_liaison(enterprise=enterprise, official=second, actor=cast["county_staff"])
    old.refresh_from_db()
    assert old.ended_on == timezone.localdate()
    assert second.display_name in old.end_reason
    assert [a.official for a in LiaisonAssignment.objects.current().filter(enterprise=enterprise)] == [second]


def test_the_list_of_a_past_date_is_shown(cast, enterprise):
    first, second = cadre(), cadre()
    today = timezone.localdate()
    services.assign_liaison(enterprise=enterprise, official=first, actor=cast["admin"], started_on=today - timedelta(days=60))
    services.assign_liaison(enterprise=enterprise, official=second, actor=cast["admin"], started_on=today - timedelta(days=10))
    on = today - timedelta(days=30)
    assert [a.official for a in LiaisonAssignment.objects.current(on=on)] == [first]
    assert [a.official for a in LiaisonAssignment.objects.current()] == [second]
    assert not LiaisonAssignment.objects.current(on=today - timedelta(days=90)).exists()


def test_assigning_the_current_liaison_again_changes_nothing(cast, enterprise):
    official = cadre()
    first = services.assign_liaison(enterprise=enterprise, official=official, actor=cast["admin"])
    again = services.assign_liaison(enterprise=enterprise, official=official, actor=cast["admin"])
    assert first == again and LiaisonAssignment.objects.count() == 1


@pytest.mark.parametrize(
    ("make_official", "message"),
    [
        (lambda: UserFactory(region_id="370102", roles=[Role.STAFF]), "not a liaison cadre"),
        (lambda: cadre("370103"), "does not include"),
        (lambda: cadre(is_active=False), "deactivated"),
    ],
)
def test_refused_candidates(cast, enterprise, make_official, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.assign_liaison(enterprise=enterprise, official=make_official(), actor=cast["admin"])
    assert message in " ".join(error.value.messages)
    assert not LiaisonAssignment.objects.exists()


def test_no_liaison_starts_or_ends_in_the_future(cast, enterprise):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError):
        services.assign_liaison(enterprise=enterprise, official=cadre(), actor=cast["admin"], started_on=tomorrow)
    assignment = services.assign_liaison(enterprise=enterprise, official=cadre(), actor=cast["admin"])
    with pytest.raises(ValidationError):
        services.end_liaison(assignment=assignment, actor=cast["admin"], reason="调动", ended_on=tomorrow)


def test_ending_needs_a_reason_and_happens_once(cast, enterprise):
    assignment = services.assign_liaison(enterprise=enterprise, official=cadre(), actor=cast["admin"])
    with pytest.raises(ValidationError):
        services.end_liaison(assignment=assignment, actor=cast["admin"], reason="  ")
    services.end_liaison(assignment=assignment, actor=cast["admin"], reason="工作调动")
    with pytest.raises(ValidationError):
        services.end_liaison(assignment=assignment, actor=cast["admin"], reason="again")
    assert assignment.history.count() == 2  # created, then ended: who and when are recorded


def test_bulk_assignment_is_all_or_nothing(cast):
    ok = EnterpriseFactory(region_id="370102")
    elsewhere = EnterpriseFactory(region_id="370103")
    with pytest.raises(ValidationError) as error:
        services.bulk_assign(enterprises=[ok, elsewhere], official=cadre(), actor=cast["city_staff"])
    assert elsewhere.name in error.value.messages[0]
    assert not LiaisonAssignment.objects.exists()


def test_bulk_assignment_reports_what_was_theirs_already(cast):
    official = cadre()
    first, second = EnterpriseFactory(), EnterpriseFactory()
    AssignmentFactory(enterprise=first, official=official)
    assigned, unchanged = services.bulk_assign(enterprises=[first, second], official=official, actor=cast["admin"])
    assert assigned == [second] and unchanged == [first]


def test_an_enterprise_with_a_liaison_cannot_be_deleted(cast):
    assignment = AssignmentFactory()
    with pytest.raises(ValidationError):
        services.delete_enterprise(enterprise=assignment.enterprise)
    assert Enterprise.objects.filter(pk=assignment.enterprise_id).exists()
    lonely = EnterpriseFactory()
    services.delete_enterprise(enterprise=lonely)
    assert not Enterprise.objects.filter(pk=lonely.pk).exists()


def test_enterprise_must_be_in_a_county_level_region():
    enterprise = EnterpriseFactory.build(region_id="370100")
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()
    assert "region" in error.value.message_dict


def test_history_records_who_changed_what(cast, enterprise):
    from enterprises.history import change_log

    enterprise.name = "新名称有限公司"
    enterprise._history_user = cast["county_staff"]
    enterprise.save()
    [latest, created] = change_log(enterprise)
    assert latest.who == cast["county_staff"]
    assert any(new == "新名称有限公司" for _label, _old, new in latest.fields)
