"""The officials' pages: the fence (404 outside the region), the roles (403), the workflow through
the pages, photos, and a bounded number of queries on the list."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus, Quality
from cases.tests.factories import CaseFactory, png, published_case_rows
from enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def case(cast, enterprise):
    return CaseFactory(enterprise=enterprise, nominated_by=cast["cadre"])


def test_county_official_gets_404_for_another_countys_case(client, cast, case):
    client.force_login(cast["other_county_staff"])
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:act", args=[case.pk, "approve"])).status_code == 404
    assert client.get(reverse("cases:update", args=[case.pk])).status_code == 404
    client.force_login(cast["other_county_cadre"])
    assert client.get(reverse("cases:nominate", args=[case.enterprise_id])).status_code == 404


def test_city_and_province_staff_see_the_countys_case(client, cast, case):
    for role in ("city_staff", "province_staff", "reviewer", "handler"):
        client.force_login(cast[role])
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200, role


def test_a_role_that_may_not_act_gets_403(client, cast, case):
    client.force_login(cast["cadre"])
    assert client.post(reverse("cases:act", args=[case.pk, "approve"])).status_code == 403
    assert client.post(reverse("cases:act", args=[case.pk, "publish"])).status_code == 403
    client.force_login(cast["handler"])
    assert client.get(reverse("cases:nominate", args=[case.enterprise_id])).status_code == 403
    assert client.post(reverse("cases:act", args=[case.pk, "consent"])).status_code == 403
    client.force_login(cast["reviewer"])
    assert client.post(reverse("cases:act", args=[case.pk, "reject"]), {"reject-reason": "x"}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.NOMINATED


def test_unknown_action_is_404(client, cast, case):
    client.force_login(cast["county_staff"])
    assert client.post(reverse("cases:act", args=[case.pk, "explode"])).status_code == 404


def test_nominate_review_consent_publish_through_the_pages(client, cast, enterprise):
    client.force_login(cast["cadre"])
    url = reverse("cases:nominate", args=[enterprise.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "subject": "both",
            "entrepreneur_name": "李大成",
            "entrepreneur_title": "董事长",
            "title": "匠心制造三十年",
            "qualities": ["patriotic", "enterprising"],
            "story": "扎根历下三十年。",
            "photos": [png()],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.photos.count() == 1 and case.qualities == [Quality.PATRIOTIC, Quality.ENTERPRISING]

    # A cadre (who cannot review) is offered no review.
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:act", args=[case.pk, "approve"]) not in page

    client.force_login(cast["county_staff"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:act", args=[case.pk, "approve"]) in page
    response = client.post(reverse("cases:act", args=[case.pk, "publish"]))
    assert "not been reviewed yet" in " ".join(texts(response))
    client.post(reverse("cases:act", args=[case.pk, "approve"]), {"approve-comment": "同意"})
    response = client.post(reverse("cases:act", args=[case.pk, "publish"]))
    assert "has not consented" in " ".join(texts(response))
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    client.post(
        reverse("cases:act", args=[case.pk, "consent"]),
        {
            "consent-consent_on": timezone.localdate().isoformat(),
            "consent-consent_by": "李大成",
            "consent-consent_note": "签字同意书",
        },
    )
    client.post(reverse("cases:act", args=[case.pk, "publish"]))
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED


def test_nominate_from_a_problem_that_is_not_solved_is_refused(client, cast, enterprise):
    from problems.tests.factories import ProblemFactory

    problem = ProblemFactory(enterprise=enterprise)
    client.force_login(cast["cadre"])
    response = client.get(reverse("cases:nominate", args=[enterprise.pk]) + f"?problem={problem.pk}")
    assert response.status_code == 302 and "solved problem" in " ".join(texts(response))


def test_a_bad_photo_is_refused_with_a_message_on_the_form(client, cast, case):
    client.force_login(cast["cadre"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(reverse("cases:act", args=[case.pk, "photos"]), {"photos-photos": [pdf]})
    assert response.status_code == 200
    assert "only JPG, PNG and WebP images" in response.content.decode()
    assert not case.photos.exists()


def test_returned_case_edit_page_for_the_nominator_only(client, cast, case):
    services.return_for_changes(actor=cast["county_staff"], case=case, comment="请补充数据")
    client.force_login(cast["cadre"])
    response = client.get(reverse("cases:update", args=[case.pk]))
    assert response.status_code == 200 and "请补充数据" in response.content.decode()
    services.resubmit(actor=cast["cadre"], case=case)
    services.reject(actor=cast["county_staff"], case=case, reason="不符合条件")
    response = client.get(reverse("cases:update", args=[case.pk]))
    assert response.status_code == 302 and "cannot be changed now" in " ".join(texts(response))


def test_officials_see_photos_of_unpublished_cases_of_their_region_only(client, cast, case):
    services.add_photos(actor=cast["cadre"], case=case, photos=[png()])
    photo = case.photos.get()
    client.force_login(cast["county_staff"])
    response = client.get(reverse("cases:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(cast["other_county_staff"])
    assert client.get(reverse("cases:photo", args=[photo.pk])).status_code == 404


def test_case_list_filters_and_fence(client, cast):
    CaseFactory(enterprise=EnterpriseFactory(region_id="370102"), title="历下典型", qualities=[Quality.PATRIOTIC])
    CaseFactory(enterprise=EnterpriseFactory(region_id="370103"), title="市中典型", qualities=[Quality.LAW_ABIDING])
    client.force_login(cast["county_staff"])
    page = client.get(reverse("cases:list")).content.decode()
    assert "历下典型" in page and "市中典型" not in page
    client.force_login(cast["city_staff"])
    page = client.get(reverse("cases:list"), {"quality": "law_abiding"}).content.decode()
    assert "市中典型" in page and "历下典型" not in page
    page = client.get(reverse("cases:list"), {"region": "370102", "status": "nominated"}).content.decode()
    assert "历下典型" in page and "市中典型" not in page


def test_case_list_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries):
    published_case_rows(30, photos=1)
    client.force_login(cast["city_staff"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:list"))
    assert response.status_code == 200


def test_case_detail_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries):
    [case] = published_case_rows(1, photos=8)
    client.force_login(cast["county_staff"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200


def test_staff_cannot_review_their_own_nomination_through_the_page(client, cast, enterprise):
    case = CaseFactory(enterprise=enterprise, nominated_by=cast["county_staff"])
    client.force_login(cast["county_staff"])
    assert (
        reverse("cases:act", args=[case.pk, "approve"])
        not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    response = client.post(reverse("cases:act", args=[case.pk, "approve"]))
    assert "You nominated this case: someone else must review it." in texts(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOMINATED and case.reviewed_by is None


def test_a_colleague_is_told_why_they_cannot_change_a_nomination(client, cast, enterprise):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    case = CaseFactory(enterprise=enterprise, nominated_by=cast["cadre"])
    colleague = UserFactory(username="lx_cadre_2", region_id="370102", roles=[Role.CADRE])
    client.force_login(colleague)
    response = client.get(reverse("cases:update", args=[case.pk]))
    assert response.status_code == 302
    assert texts(response) == ["Only the nominator or the united-front staff can change this case."]


def test_a_publicity_link_longer_than_the_column_is_a_form_error(client, cast, enterprise):
    case = CaseFactory(enterprise=enterprise, status=CaseStatus.PUBLISHED, consent_given=True, published_at=timezone.now())
    client.force_login(cast["county_staff"])
    response = client.post(
        reverse("cases:act", args=[case.pk, "publicity"]),
        {
            "publicity-outlet": "大众日报",
            "publicity-published_on": timezone.localdate().isoformat(),
            "publicity-title": "报道",
            "publicity-link": "https://example.org/" + "a" * 300,
        },
    )
    bound = {offer.action: offer.form for offer in response.context["action_forms"]}["publicity"]
    assert response.status_code == 200 and bound.errors["link"]
    assert not case.publicity.exists()
