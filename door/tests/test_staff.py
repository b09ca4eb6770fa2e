"""The staff's side of the door: who issues and revokes links, the link shown once, the list of live links."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from door import links, services
from door.models import Ending, EnterpriseAccess
from enterprises.tests.factories import EnterpriseFactory

from .factories import issued

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def issue(client, enterprise, **data):
    return client.post(reverse("door:issue", kwargs={"pk": enterprise.pk}), data)


def test_staff_issue_a_link_shown_once_with_its_qr_code_and_only_its_digest_stored(cast):
    enterprise = EnterpriseFactory(region_id="370102")
    response = issue(signed_in(cast["county_staff"]), enterprise, contact_name="赵总", contact_mobile="13800000001")
    assert response.status_code == 200
    page = response.content.decode()
    link = re.search(r'id="door-link-url"\s+value="([^"]+)"', page).group(1)
    assert link.startswith("http://testserver/door/open/")
    assert 'data-testid="door-link-qr"' in page and "<svg" in page
    token = links.token_of(link.rstrip("/").rsplit("/", 1)[1])
    access = EnterpriseAccess.objects.get()
    assert (access.enterprise, access.contact_name, access.issued_by) == (enterprise, "赵总", cast["county_staff"])
    assert access.token_digest == links.digest(token)
    # Nothing in the row holds the token, nor the link's signed value.
    row = " ".join(str(value) for value in EnterpriseAccess.objects.values().get().values())
    assert token not in row and link not in row
    # The link opens the enterprise's pages.
    enterprise_client = Client()
    assert enterprise_client.get(link.removeprefix("http://testserver"))["Location"] == reverse("door:home")
    # The enterprise's page lists it, without the link.
    listed = signed_in(cast["county_staff"]).get(reverse("door:enterprise_links", kwargs={"pk": enterprise.pk}))
    assert "赵总" in listed.content.decode() and token not in listed.content.decode()


def test_a_link_lasts_door_link_days(cast, settings):
    settings.DOOR_LINK_DAYS = 30
    access, _token = services.issue_access(actor=cast["county_staff"], enterprise=EnterpriseFactory(), contact_name="钱经理")
    assert abs((access.expires_at - timezone.now()).days - 30) <= 1


def test_issuing_without_a_contact_or_with_a_bad_mobile_saves_nothing(cast):
    enterprise = EnterpriseFactory()
    response = issue(signed_in(cast["county_staff"]), enterprise, contact_name=" ", contact_mobile="12345")
    assert response.status_code == 200
    assert 'data-testid="door-issue"' in response.content.decode()
    assert response.context["issue_form"].errors.keys() == {"contact_name", "contact_mobile"}
    assert not EnterpriseAccess.objects.exists()


def test_reissuing_for_the_same_contact_ends_the_old_link(cast):
    enterprise = EnterpriseFactory()
    old, old_token = services.issue_access(actor=cast["county_staff"], enterprise=enterprise, contact_name="孙经理")
    other, _other_token = services.issue_access(actor=cast["county_staff"], enterprise=enterprise, contact_name="李会计")
    new, new_token = services.issue_access(actor=cast["city_staff"], enterprise=enterprise, contact_name="孙经理")
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.ended_how == Ending.REISSUED and old.revoked_by == cast["city_staff"]
    assert other.is_live() and new.is_live()
    refused = Client().get(links.link_path(old_token))
    assert refused.status_code == 410 and 'data-testid="door-refused"' in refused.content.decode()
    assert Client().get(links.link_path(new_token))["Location"] == reverse("door:home")


def test_staff_revoke_a_link_with_a_reason(cast):
    access, token = issued(EnterpriseFactory(region_id="370102"))
    client = signed_in(cast["county_staff"])
    url = reverse("door:revoke", kwargs={"pk": access.enterprise_id})
    response = client.post(url, {"access": access.pk, "reason": ""})
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.is_live()
    client.post(url, {"access": access.pk, "reason": "联系人已离职"})
    access.refresh_from_db()
    assert (access.ended_how, access.revoked_by, access.revoke_reason) == (Ending.REVOKED, cast["county_staff"], "联系人已离职")
    assert Client().get(links.link_path(token)).status_code == 410


def test_a_link_of_another_enterprise_cannot_be_revoked_through_this_one(cast):
    mine = EnterpriseFactory(region_id="370102")
    theirs, _token = issued(EnterpriseFactory(region_id="370103"))
    signed_in(cast["county_staff"]).post(
        reverse("door:revoke", kwargs={"pk": mine.pk}), {"access": theirs.pk, "reason": "试图越权"}
    )
    theirs.refresh_from_db()
    assert theirs.is_live()


@pytest.mark.parametrize("role", ["other_county_staff"])
def test_staff_of_another_county_get_404(cast, role):
    enterprise = EnterpriseFactory(region_id="370102")
    access, _token = issued(enterprise)
    client = signed_in(cast[role])
    assert client.get(reverse("door:enterprise_links", kwargs={"pk": enterprise.pk})).status_code == 404
    assert issue(client, enterprise, contact_name="周经理").status_code == 404
    response = client.post(reverse("door:revoke", kwargs={"pk": enterprise.pk}), {"access": access.pk, "reason": "x"})
    assert response.status_code == 404
    access.refresh_from_db()
    assert access.is_live() and EnterpriseAccess.objects.count() == 1


@pytest.mark.parametrize("role", ["cadre", "handler", "reviewer"])
def test_a_role_that_may_not_issue_gets_403(cast, role):
    enterprise = EnterpriseFactory(region_id="370102")
    access, _token = issued(enterprise)
    client = signed_in(cast[role])
    assert client.get(reverse("door:links")).status_code == 403
    assert client.get(reverse("door:enterprise_links", kwargs={"pk": enterprise.pk})).status_code == 403
    assert issue(client, enterprise, contact_name="吴经理").status_code == 403
    assert (
        client.post(reverse("door:revoke", kwargs={"pk": enterprise.pk}), {"access": access.pk, "reason": "x"}).status_code == 403
    )
    access.refresh_from_db()
    assert access.is_live() and EnterpriseAccess.objects.count() == 1


def test_the_service_refuses_an_official_outside_the_enterprise_region(cast):
    with pytest.raises(PermissionDenied):
        services.issue_access(
            actor=cast["other_county_staff"], enterprise=EnterpriseFactory(region_id="370102"), contact_name="郑经理"
        )
    assert not EnterpriseAccess.objects.exists()


def test_the_enterprise_page_offers_its_access_links_to_staff_only(cast):
    enterprise = EnterpriseFactory(region_id="370102")
    url = reverse("enterprises:detail", kwargs={"pk": enterprise.pk})
    links_url = reverse("door:enterprise_links", kwargs={"pk": enterprise.pk})
    assert links_url in signed_in(cast["county_staff"]).get(url).content.decode()
    assert links_url not in signed_in(cast["cadre"]).get(url).content.decode()


def test_the_list_holds_the_live_links_of_the_reader_region_only(cast):
    inside, _token = issued(EnterpriseFactory(region_id="370102", name="历下区甲企业"), contact_name="甲联系人")
    outside, _token = issued(EnterpriseFactory(region_id="370103", name="市中区乙企业"), contact_name="乙联系人")
    ended, _token = issued(EnterpriseFactory(region_id="370102", name="历下区丙企业"), contact_name="丙联系人")
    services.revoke_access(actor=cast["county_staff"], access=ended, reason="不再需要")
    page = signed_in(cast["county_staff"]).get(reverse("door:links")).content.decode()
    assert "历下区甲企业" in page and "市中区乙企业" not in page and "历下区丙企业" not in page
    city_page = signed_in(cast["city_staff"]).get(reverse("door:links")).content.decode()
    assert "历下区甲企业" in city_page and "市中区乙企业" in city_page
    filtered = signed_in(cast["city_staff"]).get(reverse("door:links"), {"enterprise": "甲企业"}).content.decode()
    assert "历下区甲企业" in filtered and "市中区乙企业" not in filtered


def test_the_list_reads_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    staff = cast["admin"]
    for number in range(30):
        issued(EnterpriseFactory(region_id="370102" if number % 2 else "370103"), issued_by=staff, contact_name=f"联系人{number}")
    client = signed_in(cast["city_staff"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("door:links"), {"expiring": ""})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
