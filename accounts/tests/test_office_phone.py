"""An official's office telephone: optional, a landline with its area code or a mobile, edited with the
official, and the one contact of theirs the enterprises they liaise with see (door/selectors.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory

from .test_views import new_official_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["0531-86001234", "053186001234", "0532-8600123", "0531-86001234-801", "13905310000", ""])
def test_an_office_telephone_is_a_landline_with_its_area_code_or_a_mobile(number):
    official = UserFactory(office_phone=number)
    official.full_clean(exclude=["password"])


@pytest.mark.parametrize("number", ["86001234", "0531 86001234", "12345678901", "0531-86001234-", "电话0531-86001234"])
def test_anything_else_is_refused(number):
    official = UserFactory(office_phone=number)
    with pytest.raises(ValidationError) as refused:
        official.full_clean(exclude=["password"])
    assert "office_phone" in refused.value.message_dict


def test_an_administrator_gives_a_new_official_an_office_telephone(client, cast):
    client.force_login(cast["county_admin"])
    response = client.post(reverse("accounts:official_create"), new_official_data(office_phone="0531-86001234"))
    assert response.status_code == 302
    assert User.objects.get(username="new_cadre").office_phone == "0531-86001234"


def test_a_bad_office_telephone_is_refused_with_a_clear_message_and_nothing_saved(client, cast):
    official = UserFactory(region_id="370102", full_name="李四", office_phone="0531-86001234")
    client.force_login(cast["county_admin"])
    client.cookies["django_language"] = "en"
    data = new_official_data(username=official.username, full_name="李四改", office_phone="8600")
    response = client.post(reverse("accounts:official_update", args=[official.pk]), data)
    assert response.status_code == 200
    assert "0531-12345678" in " ".join(response.context["form"].errors["office_phone"])
    official.refresh_from_db()
    assert (official.full_name, official.office_phone) == ("李四", "0531-86001234")
    # The form says who will see the number.
    assert "enterprises this official liaises with" in response.content.decode()
    client.post(reverse("accounts:official_update", args=[official.pk]), {**data, "office_phone": "0531-86005678"})
    official.refresh_from_db()
    assert official.office_phone == "0531-86005678" and official.history.first().office_phone == "0531-86005678"
