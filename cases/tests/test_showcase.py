"""The public showcase: open without login, published cases only, no private field, bounded queries."""

import pytest
from django.db.models import CharField, TextField
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import PUBLIC_FIELDS, Case, Quality
from cases.tests.factories import CaseFactory, png, published_case_rows
from enterprises.tests.factories import EnterpriseFactory
from problems.tests.factories import ProblemFactory
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

PRIVATE = {
    "consent_by": "同意人赵秘书",
    "consent_note": "同意书编号CN-0042",
    "review_comment": "审核意见内部专用",
    "nomination_note": "推荐理由内部专用",
}


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def published(cast, enterprise):
    """A published case whose every private field holds a marker that must never reach the public."""
    visit = Visit.objects.create(
        enterprise=enterprise,
        region_id="370102",
        cadre=cast["cadre"],
        level="county",
        status=VisitStatus.SUBMITTED,
        purpose="走访目的内部标记",
    )
    case = services.nominate(
        actor=cast["cadre"],
        enterprise=enterprise,
        title="匠心制造三十年",
        story="公开的事迹正文。",
        achievements="公开的主要成绩。",
        qualities=[Quality.PATRIOTIC, Quality.GIVING_BACK],
        entrepreneur_name="李大成",
        entrepreneur_title="董事长",
        nomination_note=PRIVATE["nomination_note"],
        evidence_visits=[visit],
        photos=[png("员工合影.png")],
        consent_given=True,
        consent_on=timezone.localdate(),
        consent_by=PRIVATE["consent_by"],
        consent_note=PRIVATE["consent_note"],
    )
    case = services.approve(actor=cast["county_staff"], case=case, comment=PRIVATE["review_comment"])
    case = services.publish(actor=cast["county_staff"], case=case)
    services.record_publicity(
        actor=cast["county_staff"], case=case, outlet="大众日报", published_on=timezone.localdate(), title="公开报道标题"
    )
    return case


def test_showcase_is_open_without_login(anonymous, published):
    response = anonymous.get(reverse("showcase:list"))
    assert response.status_code == 200
    assert "匠心制造三十年" in response.content.decode()
    response = anonymous.get(reverse("showcase:detail", args=[published.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "公开的事迹正文" in page and "公开的主要成绩" in page and "公开报道标题" in page and "李大成" in page


def test_showcase_never_shows_a_private_field(anonymous, cast, published, enterprise):
    # Values the public must never see: internal notes, consent, reviewers, nominator, contacts, evidence.
    private_values = [
        *PRIVATE.values(),
        cast["cadre"].full_name,
        cast["county_staff"].full_name,
        cast["cadre"].username,
        enterprise.contact_name,
        enterprise.contact_mobile,
        enterprise.legal_representative,
        enterprise.credit_code,
        "走访目的内部标记",
        "员工合影.png",  # the uploader's file name
    ]
    rejected = CaseFactory(enterprise=EnterpriseFactory(), title="被退回的典型")
    services.reject(actor=cast["county_staff"], case=rejected, reason="驳回理由内部专用")
    private_values += ["驳回理由内部专用", "被退回的典型"]
    photo = published.photos.get()
    pages = [
        anonymous.get(reverse("showcase:list")),
        anonymous.get(reverse("showcase:detail", args=[published.pk])),
        anonymous.get(reverse("showcase:list"), {"quality": "patriotic", "city": "370100"}),
    ]
    for response in pages:
        assert response.status_code == 200
        page = response.content.decode()
        for value in private_values:
            assert value and value not in page, f"{value} leaked on {response.wsgi_request.path}"
    response = anonymous.get(reverse("showcase:photo", args=[photo.pk]))
    assert response.status_code == 200 and "员工合影" not in response["Content-Disposition"]


def test_no_text_field_outside_the_public_ones_reaches_the_showcase(anonymous, published):
    """Every text field of a case not in PUBLIC_FIELDS, present or added later, holds a marker: none shows."""
    private = [
        field
        for field in Case._meta.concrete_fields
        if isinstance(field, CharField | TextField) and not field.choices and field.name not in PUBLIC_FIELDS
    ]
    markers = {field.name: f"私密字段{index}号" for index, field in enumerate(private)}
    assert {"nomination_note", "review_comment", "rejection_reason", "consent_by", "consent_note", "withdrawal_reason"} <= set(
        markers
    )
    Case.objects.filter(pk=published.pk).update(**markers)
    for url in (reverse("showcase:list"), reverse("showcase:detail", args=[published.pk])):
        page = anonymous.get(url).content.decode()
        assert "匠心制造三十年" in page
        for name, marker in markers.items():
            assert marker not in page, f"{name} is shown on {url}"


def test_unpublished_and_withdrawn_cases_are_404(anonymous, cast, published):
    nominated = CaseFactory(title="待审核典型")
    approved = services.approve(actor=cast["county_staff"], case=CaseFactory(title="已通过未发布"))
    for case in (nominated, approved):
        assert anonymous.get(reverse("showcase:detail", args=[case.pk])).status_code == 404
    listing = anonymous.get(reverse("showcase:list")).content.decode()
    assert "待审核典型" not in listing and "已通过未发布" not in listing

    photo = published.photos.get()
    services.withdraw(actor=cast["county_staff"], case=published, reason="撤下理由内部专用")
    assert anonymous.get(reverse("showcase:detail", args=[published.pk])).status_code == 404
    assert anonymous.get(reverse("showcase:photo", args=[photo.pk])).status_code == 404
    assert "匠心制造三十年" not in anonymous.get(reverse("showcase:list")).content.decode()
    # Withdrawn, not deleted: the officials still see it and its history.
    client = Client()
    client.force_login(cast["county_staff"])
    page = client.get(reverse("cases:detail", args=[published.pk])).content.decode()
    assert "撤下理由内部专用" in page and "匠心制造三十年" in page


def test_photos_of_unpublished_cases_are_404_to_the_public_and_to_officials_on_the_showcase(anonymous, cast):
    case = CaseFactory()
    services.add_photos(actor=cast["county_staff"], case=case, photos=[png()])
    photo = case.photos.get()
    assert anonymous.get(reverse("showcase:photo", args=[photo.pk])).status_code == 404
    # Anonymous visitors never reach the officials' photo view.
    response = anonymous.get(reverse("cases:photo", args=[photo.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_showcase_filters_by_quality_city_and_industry(anonymous, cast):
    from enterprises.models import Industry

    published_case_rows(1, region_id="370102", photos=0, title="济南典型")
    qingdao = published_case_rows(1, region_id="370202", photos=0, title="青岛典型")[0]
    qingdao.enterprise.industry = Industry.objects.get(code="I")
    qingdao.enterprise.save()
    qingdao.quality_rows.all().delete()
    qingdao.quality_rows.create(quality=Quality.LAW_ABIDING)

    def titles(**params):
        page = anonymous.get(reverse("showcase:list"), params).content.decode()
        return {title for title in ("济南典型", "青岛典型") if title in page}

    assert titles() == {"济南典型", "青岛典型"}
    assert titles(city="370200") == {"青岛典型"}
    assert titles(city="370100") == {"济南典型"}
    assert titles(quality="law_abiding") == {"青岛典型"}
    assert titles(quality="patriotic") == {"济南典型"}
    assert titles(industry="I") == {"青岛典型"}
    assert titles(quality="not-a-quality") == set()


def test_showcase_list_runs_a_bounded_number_of_queries(anonymous, django_assert_max_num_queries):
    published_case_rows(40, photos=3)
    with django_assert_max_num_queries(8):
        response = anonymous.get(reverse("showcase:list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        anonymous.get(reverse("showcase:list"), {"quality": "patriotic", "city": "370100", "industry": "C", "page": 2})


def test_showcase_detail_runs_a_bounded_number_of_queries(anonymous, django_assert_max_num_queries):
    [case] = published_case_rows(1, photos=10)
    with django_assert_max_num_queries(5):
        response = anonymous.get(reverse("showcase:detail", args=[case.pk]))
    assert response.status_code == 200


def test_showcase_follows_the_language_switch(anonymous, published):
    anonymous.post(reverse("set_language"), {"language": "en", "next": reverse("showcase:list")})
    page = anonymous.get(reverse("showcase:detail", args=[published.pk])).content.decode()
    assert "Patriotic and dedicated" in page and 'lang="en"' in page


def test_the_showcase_takes_no_post(anonymous, published):
    assert anonymous.post(reverse("showcase:list")).status_code == 405
    assert anonymous.post(reverse("showcase:detail", args=[published.pk])).status_code == 405


def test_problem_of_another_enterprise_cannot_be_the_source(client, cast, enterprise):
    problem = ProblemFactory(enterprise=EnterpriseFactory())
    client.force_login(cast["cadre"])
    assert client.get(reverse("cases:nominate", args=[enterprise.pk]) + f"?problem={problem.pk}").status_code == 404
