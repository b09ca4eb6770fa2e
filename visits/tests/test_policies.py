"""The policy library: who reads and edits which policies, what the form accepts, and what the visit
form is offered for an enterprise."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Industry, Size, Tag
from enterprises.tests.factories import EnterpriseFactory
from visits.models import Policy, PolicyLevel, Visit, VisitStatus
from visits.policies.forms import MAX_DOCUMENT_BYTES, PolicyForm
from visits.tests.factories import PolicyDeliveryFactory, PolicyFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def tag(name):
    return Tag.objects.get(name=name)


def industry(code):
    return Industry.objects.get(code=code)


def county_policy(code, **fields):
    return PolicyFactory(level=PolicyLevel.COUNTY, region_id=code, issuer="区人民政府", **fields)


def city_policy(code, **fields):
    return PolicyFactory(level=PolicyLevel.CITY, region_id=code, issuer="市人民政府", **fields)


def submitted_visit(enterprise, cadre, **fields):
    fields.setdefault("status", VisitStatus.SUBMITTED)
    return Visit.objects.create(enterprise=enterprise, region_id=enterprise.region_id, cadre=cadre, level="county", **fields)


def policy_data(**overrides):
    data = {
        "title": "历下区支持专精特新企业发展的若干措施",
        "document_number": "历政发〔2025〕7号",
        "issuer": "历下区人民政府",
        "level": "county",
        "region": "370102",
        "issued_on": "2025-03-01",
        "valid_from": "2025-03-01",
        "valid_until": "2027-12-31",
        "summary": "对新认定的专精特新企业给予一次性奖励。",
        "link": "",
        "industries": ["C"],
        "sizes": ["small", "micro"],
        "tags": [tag("专精特新").pk],
    }
    return {**data, **overrides}


# Matching: what the visit form suggests for an enterprise


def test_matching_fits_industry_size_and_tags_and_empty_lists_fit_every_enterprise(cast):
    enterprise = EnterpriseFactory(industry=industry("C"), size=Size.SMALL)
    enterprise.tags.set([tag("专精特新")])
    fitting = [
        PolicyFactory(title="不限"),
        PolicyFactory(title="制造业", industries=[industry("C"), industry("I")]),
        PolicyFactory(title="小微企业", sizes="small,micro"),
        PolicyFactory(title="专精特新", tags=[tag("专精特新"), tag("上市公司")]),
    ]
    PolicyFactory(title="软件业", industries=[industry("I")])
    PolicyFactory(title="大型企业", sizes="large,medium")
    PolicyFactory(title="上市公司", tags=[tag("上市公司")])

    matched = list(Policy.objects.matching(enterprise))

    assert sorted(policy.title for policy in matched) == sorted(policy.title for policy in fitting)


def test_matching_takes_policies_of_the_enterprise_county_city_and_province_only(cast):
    enterprise = EnterpriseFactory(region_id="370102")
    fitting = {PolicyFactory(title="省级"), city_policy("370100", title="济南市"), county_policy("370102", title="历下区")}
    county_policy("370103", title="市中区")
    city_policy("370200", title="青岛市")

    assert set(Policy.objects.matching(enterprise)) == fitting


def test_suggestions_leave_out_expired_and_not_yet_valid_policies(cast):
    today = timezone.localdate()
    enterprise = EnterpriseFactory()
    in_force = PolicyFactory(valid_from=today - timedelta(days=30), valid_until=today)
    PolicyFactory(valid_until=today - timedelta(days=1))
    PolicyFactory(valid_from=today + timedelta(days=1))

    response = signed_in(cast["cadre"]).get(reverse("visits:policy_suggestions"), {"enterprise": enterprise.pk})

    assert [result["value"] for result in response.json()["results"]] == [in_force.pk]


def test_suggestions_give_title_with_document_number_and_summary(cast):
    enterprise = EnterpriseFactory()
    policy = PolicyFactory(title="减税降费措施", document_number="鲁政发〔2025〕1号", summary="减免部分行政事业性收费。")
    untitled = PolicyFactory(title="人才政策", document_number="")

    response = signed_in(cast["cadre"]).get(reverse("visits:policy_suggestions"), {"enterprise": enterprise.pk})

    results = {result["value"]: result for result in response.json()["results"]}
    assert results[policy.pk] == {
        "value": policy.pk,
        "text": "减税降费措施（鲁政发〔2025〕1号）",
        "summary": "减免部分行政事业性收费。",
    }
    assert results[untitled.pk]["text"] == "人才政策"


def test_suggestions_leave_out_a_policy_of_another_county(cast):
    enterprise = EnterpriseFactory(region_id="370102")
    own = county_policy("370102")
    county_policy("370103")

    response = signed_in(cast["city_staff"]).get(reverse("visits:policy_suggestions"), {"enterprise": enterprise.pk})

    assert [result["value"] for result in response.json()["results"]] == [own.pk]


@pytest.mark.parametrize("enterprise", ["outside", "missing", "malformed", "absent"])
def test_suggestions_for_an_enterprise_outside_the_region_are_missing(cast, enterprise):
    outside = EnterpriseFactory(region_id="370103")
    params = {"outside": {"enterprise": outside.pk}, "missing": {"enterprise": 999999}, "malformed": {"enterprise": "x"}}

    response = signed_in(cast["cadre"]).get(reverse("visits:policy_suggestions"), params.get(enterprise, {}))

    assert response.status_code == 404


# Reading: who sees which policies


def test_county_official_reads_the_policies_above_their_county_but_not_other_cities_or_counties(cast):
    readable = {
        PolicyFactory(level=PolicyLevel.NATIONAL, title="国家级"),
        PolicyFactory(title="省级"),
        city_policy("370100", title="济南市"),
        county_policy("370102", title="历下区"),
    }
    city_policy("370200", title="青岛市")
    county_policy("370103", title="市中区")
    county_policy("370202", title="市南区")

    assert set(Policy.objects.applicable_to(cast["cadre"])) == readable


def test_city_official_reads_their_city_its_counties_and_the_province(cast):
    readable = {PolicyFactory(), city_policy("370100"), county_policy("370102"), county_policy("370103")}
    city_policy("370200")
    county_policy("370202")

    assert set(Policy.objects.applicable_to(cast["city_staff"])) == readable


def test_policy_list_shows_what_the_reader_may_read(cast):
    PolicyFactory(title="山东省惠企政策")
    county_policy("370102", title="历下区惠企政策")
    county_policy("370103", title="市中区惠企政策")

    response = signed_in(cast["handler"]).get(reverse("visits:policy_list"))

    assert response.status_code == 200
    assert {policy.title for policy in response.context["page"]} == {"山东省惠企政策", "历下区惠企政策"}
    assert "市中区惠企政策" not in response.content.decode()


def test_policy_of_another_county_is_missing_for_its_reader(cast):
    policy = county_policy("370103")

    assert signed_in(cast["cadre"]).get(reverse("visits:policy_detail", args=[policy.pk])).status_code == 404
    assert signed_in(cast["other_county_cadre"]).get(reverse("visits:policy_detail", args=[policy.pk])).status_code == 200


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"q": "鲁政发〔2025〕9"}, {"按文号"}),
        ({"q": "人才"}, {"人才政策"}),
        ({"level": "county"}, {"人才政策"}),
        ({"industry": "I"}, {"按文号", "软件业", "已过期"}),
        ({"valid": "yes"}, {"按文号", "人才政策", "软件业"}),
        ({"valid": "no"}, {"已过期"}),
    ],
)
def test_policy_list_filters(cast, params, titles):
    today = timezone.localdate()
    PolicyFactory(title="按文号", document_number="鲁政发〔2025〕9号")
    county_policy("370102", title="人才政策", industries=[industry("C")])
    PolicyFactory(title="软件业", industries=[industry("I")])
    PolicyFactory(title="已过期", valid_until=today - timedelta(days=1))

    response = signed_in(cast["cadre"]).get(reverse("visits:policy_list"), params)

    assert {policy.title for policy in response.context["page"]} == titles


@pytest.mark.parametrize("count", [10, 100])
def test_policy_list_queries_do_not_grow_with_the_policies(cast, count, django_assert_max_num_queries):
    for number in range(count):
        PolicyFactory(industries=[industry("C"), industry("I")], tags=[tag("专精特新")], sizes="small" if number % 2 else "")
    client = signed_in(cast["county_staff"])

    # Session, user, permissions, the count, the page, its industries and tags, the menu, the filter form.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("visits:policy_list"))

    assert response.status_code == 200


# Detail: the facts, and the enterprises that obtained the policy


def test_detail_shows_only_deliveries_to_enterprises_the_reader_may_see(cast):
    policy = PolicyFactory()
    inside = EnterpriseFactory(region_id="370102", name="历下区受益企业")
    outside = EnterpriseFactory(region_id="370103", name="市中区受益企业")
    PolicyDeliveryFactory(policy=policy, visit=submitted_visit(inside, cast["cadre"]), amount="12.50")
    PolicyDeliveryFactory(policy=policy, visit=submitted_visit(outside, cast["other_county_cadre"]), amount="30.00")

    county = signed_in(cast["county_staff"]).get(reverse("visits:policy_detail", args=[policy.pk]))
    city = signed_in(cast["city_staff"]).get(reverse("visits:policy_detail", args=[policy.pk]))

    assert [delivery.enterprise for delivery in county.context["deliveries"]] == [inside]
    assert county.context["total_amount"] == 12.5
    assert "市中区受益企业" not in county.content.decode()
    assert {delivery.enterprise for delivery in city.context["deliveries"]} == {inside, outside}
    assert city.context["total_amount"] == 42.5


def test_detail_counts_submitted_visits_that_explained_it_inside_the_region(cast):
    policy = PolicyFactory()
    inside, outside = EnterpriseFactory(region_id="370102"), EnterpriseFactory(region_id="370103")
    submitted_visit(inside, cast["cadre"]).policies_explained.add(policy)
    submitted_visit(outside, cast["other_county_cadre"]).policies_explained.add(policy)
    draft = submitted_visit(inside, cast["cadre"], status=VisitStatus.DRAFT)
    draft.policies_explained.add(policy)
    PolicyDeliveryFactory(policy=policy, visit=draft)

    response = signed_in(cast["county_staff"]).get(reverse("visits:policy_detail", args=[policy.pk]))

    assert response.context["explained_count"] == 1
    assert list(response.context["deliveries"]) == []


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "validity"),
    [(None, None, "valid"), (-10, -1, "expired"), (1, None, "pending"), (-1, 0, "valid")],
)
def test_detail_says_whether_the_policy_is_in_force(cast, valid_from, valid_until, validity):
    today = timezone.localdate()
    policy = PolicyFactory(
        valid_from=None if valid_from is None else today + timedelta(days=valid_from),
        valid_until=None if valid_until is None else today + timedelta(days=valid_until),
    )

    response = signed_in(cast["cadre"]).get(reverse("visits:policy_detail", args=[policy.pk]))

    assert response.context["policy"].validity == validity


# Adding and editing


def test_county_staff_add_a_policy_of_their_county(cast):
    response = signed_in(cast["county_staff"]).post(reverse("visits:policy_create"), policy_data())

    policy = Policy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:policy_detail", args=[policy.pk])
    assert (policy.level, policy.region_id, policy.sizes) == ("county", "370102", "small,micro")
    assert [item.code for item in policy.industries.all()] == ["C"]
    assert [item.name for item in policy.tags.all()] == ["专精特新"]
    assert policy.created_by == cast["county_staff"]


def test_sizes_are_stored_in_their_order_and_empty_means_every_size(cast):
    client = signed_in(cast["county_staff"])
    client.post(reverse("visits:policy_create"), policy_data(title="甲", sizes=["micro", "large"]))
    client.post(reverse("visits:policy_create"), policy_data(title="乙", sizes=[]))

    assert dict(Policy.objects.values_list("title", "sizes")) == {"甲": "large,micro", "乙": ""}


def test_policy_form_page_opens_for_staff(cast):
    response = signed_in(cast["county_staff"]).get(reverse("visits:policy_create"))

    assert response.status_code == 200
    assert response.context["form"].initial["region"] == "370102"
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_county_staff_are_offered_only_their_county_and_the_county_level(cast):
    form = PolicyForm(actor=cast["county_staff"])

    assert [region.code for region in form.fields["region"].queryset] == ["370102"]
    assert [value for value, _label in form.fields["level"].choices if value] == ["county"]


@pytest.mark.parametrize(
    ("level", "region", "valid"),
    [
        ("national", "370000", True),
        ("province", "370000", True),
        ("city", "370100", True),
        ("county", "370102", True),
        ("national", "370100", False),
        ("province", "370102", False),
        ("city", "370000", False),
        ("city", "370102", False),
        ("county", "370100", False),
        ("county", "370000", False),
    ],
)
def test_the_level_must_fit_the_region_the_policy_is_issued_for(cast, level, region, valid):
    form = PolicyForm(policy_data(level=level, region=region), actor=cast["province_staff"])

    assert form.is_valid() is valid
    if not valid:
        assert list(form.errors) == ["region"]


def test_staff_cannot_issue_a_policy_for_another_county(cast):
    response = signed_in(cast["county_staff"]).post(reverse("visits:policy_create"), policy_data(region="370103"))

    assert "region" in response.context["form"].errors
    assert not Policy.objects.exists()


def test_a_policy_cannot_end_before_it_starts(cast):
    form = PolicyForm(policy_data(valid_from="2025-06-01", valid_until="2025-05-31"), actor=cast["county_staff"])

    assert not form.is_valid()
    assert list(form.errors) == ["valid_until"]


def test_a_policy_needs_a_summary_a_link_or_a_document(cast):
    bare = PolicyForm(policy_data(summary="", link=""), actor=cast["county_staff"])
    link = "https://www.shandong.gov.cn/art/2025/1/1/art_1.html"
    linked = PolicyForm(policy_data(summary="", link=link), actor=cast["county_staff"])

    assert not bare.is_valid()
    assert list(bare.errors) == ["__all__"]
    assert linked.is_valid(), linked.errors


def test_a_pdf_document_is_kept_under_a_random_name(cast):
    document = SimpleUploadedFile("../../政策原文.PDF", PDF, content_type="application/pdf")
    signed_in(cast["county_staff"]).post(reverse("visits:policy_create"), {**policy_data(summary=""), "document": document})

    policy = Policy.objects.get()
    assert policy.document.name.startswith(f"policies/{timezone.now():%Y}/")
    assert policy.document.name.endswith(".pdf") and "政策原文" not in policy.document.name
    assert policy.document.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("政策原文.pdf", PNG, "not_pdf_content"),  # a PNG renamed .pdf
        ("政策原文.PDF", b"<html>%PDF-</html>", "not_pdf_content"),
        ("政策原文.png", PNG, "not_pdf"),
        ("政策原文.docx", PDF, "not_pdf"),
        ("政策原文", PDF, "not_pdf"),
        ("政策原文.pdf", b"", "empty"),
    ],
)
def test_only_real_pdf_documents_are_accepted(cast, name, content, code):
    document = SimpleUploadedFile(name, content, content_type="application/pdf")
    form = PolicyForm(policy_data(), {"document": document}, actor=cast["county_staff"])

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["document"]] == [code]


def test_a_document_larger_than_10_mb_is_refused(cast):
    document = SimpleUploadedFile("大文件.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES, content_type="application/pdf")
    form = PolicyForm(policy_data(), {"document": document}, actor=cast["county_staff"])

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["document"]] == ["too_large"]


def test_a_refused_document_is_explained_in_the_reader_language(cast):
    client = signed_in(cast["county_staff"])
    client.cookies["django_language"] = "en"
    document = SimpleUploadedFile("伪装.pdf", PNG, content_type="application/pdf")

    response = client.post(reverse("visits:policy_create"), {**policy_data(), "document": document})

    assert "not really a PDF" in response.content.decode()
    assert not Policy.objects.exists()


@pytest.mark.parametrize("role", ["cadre", "handler", "reviewer"])
def test_roles_without_the_permission_cannot_add_policies(cast, role):
    client = signed_in(cast[role])

    assert client.get(reverse("visits:policy_create")).status_code == 403
    assert client.post(reverse("visits:policy_create"), policy_data()).status_code == 403
    assert not Policy.objects.exists()


def test_county_staff_read_a_provincial_policy_but_cannot_edit_it(cast):
    policy = PolicyFactory()
    client = signed_in(cast["county_staff"])

    detail = client.get(reverse("visits:policy_detail", args=[policy.pk]))

    assert detail.status_code == 200
    assert detail.context["can_edit"] is False
    assert reverse("visits:policy_update", args=[policy.pk]) not in detail.content.decode()
    assert client.get(reverse("visits:policy_update", args=[policy.pk])).status_code == 404
    assert client.post(reverse("visits:policy_update", args=[policy.pk]), policy_data()).status_code == 404


def test_cadre_cannot_edit_even_a_policy_of_their_county(cast):
    policy = county_policy("370102")

    assert signed_in(cast["cadre"]).get(reverse("visits:policy_update", args=[policy.pk])).status_code == 403


def test_province_staff_edit_a_county_policy_below_them(cast):
    policy = county_policy("370102", title="旧标题")

    response = signed_in(cast["province_staff"]).post(
        reverse("visits:policy_update", args=[policy.pk]), policy_data(title="新标题")
    )

    policy.refresh_from_db()
    assert response.status_code == 302
    assert policy.title == "新标题"
    assert policy.created_by is None  # the author stays whoever added it


def test_editing_keeps_a_retired_tag_and_the_sizes_ticked(cast):
    retired = Tag.objects.create(name="已停用标签", is_active=False)
    policy = county_policy("370102", sizes="medium,small", tags=[retired])

    form = PolicyForm(instance=policy, actor=cast["county_staff"])

    assert form.initial["sizes"] == ["medium", "small"]
    assert retired in form.fields["tags"].queryset


def test_replacing_the_document_deletes_the_old_file(cast, media_root, django_capture_on_commit_callbacks):
    client = signed_in(cast["county_staff"])
    first = SimpleUploadedFile("第一版.pdf", PDF)
    client.post(reverse("visits:policy_create"), {**policy_data(), "document": first})
    policy = Policy.objects.get()
    old_path = media_root / policy.document.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("visits:policy_update", args=[policy.pk]),
            {**policy_data(), "document": SimpleUploadedFile("第二版.pdf", PDF + b"% v2\n")},
        )

    policy.refresh_from_db()
    assert not old_path.exists()
    assert policy.document.read().endswith(b"% v2\n")


# The document: served through the portal to readers only


def test_document_is_served_to_readers_of_the_policy(cast):
    policy = county_policy("370102", document_number="历政发〔2025〕7号")
    policy.document.save("x.pdf", SimpleUploadedFile("x.pdf", PDF))

    response = signed_in(cast["handler"]).get(reverse("visits:policy_document", args=[policy.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "filename*=utf-8''" in response["Content-Disposition"]


@pytest.mark.parametrize("role", ["other_county_cadre", "other_county_staff"])
def test_document_is_missing_for_those_who_may_not_read_the_policy(cast, role):
    policy = county_policy("370102")
    policy.document.save("x.pdf", SimpleUploadedFile("x.pdf", PDF))

    assert signed_in(cast[role]).get(reverse("visits:policy_document", args=[policy.pk])).status_code == 404


def test_document_of_a_policy_without_one_is_missing(cast):
    policy = PolicyFactory()

    assert signed_in(cast["cadre"]).get(reverse("visits:policy_document", args=[policy.pk])).status_code == 404
