import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core import attachments
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from visits.models import Policy, PolicyDelivery, Visit, VisitAttachment, VisitStatus

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def my_enterprise(cast):
    return AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name="我的联系企业")).enterprise


def signed_in(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def visit_data(enterprise, **overrides):
    data = {
        "enterprise": enterprise.pk,
        "visited_on": timezone.localdate().isoformat(),
        "mode": "on_site",
        "purpose": "了解企业生产经营情况",
        "people_met": "总经理 张三",
        "situation": "订单饱满",
        "needs": "融资需求",
        "problems_raised": "",
        "follow_up_on": "",
        "action": "submit",
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
        "deliveries-MIN_NUM_FORMS": "0",
        "deliveries-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def make_visit(enterprise, cadre, **fields):
    fields.setdefault("status", VisitStatus.SUBMITTED)
    return Visit.objects.create(enterprise=enterprise, region_id=enterprise.region_id, cadre=cadre, level="county", **fields)


def test_the_form_opens_with_my_enterprises_and_today(cast, my_enterprise):
    EnterpriseFactory(name="别人的企业")
    response = signed_in(cast["cadre"]).get(reverse("visits:create"))
    form = response.context["form"]
    assert list(form.fields["enterprise"].queryset) == [my_enterprise]
    assert form.initial["visited_on"] == timezone.localdate()


def test_a_cadre_logs_a_visit_to_their_enterprise(cast, my_enterprise):
    response = signed_in(cast["cadre"]).post(reverse("visits:create"), visit_data(my_enterprise))
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("visits:detail", args=[visit.pk])
    assert visit.status == VisitStatus.SUBMITTED and visit.submitted_at
    assert (visit.cadre, visit.region_id, visit.level) == (cast["cadre"], "370102", "county")


@pytest.mark.parametrize("where", ["not on my list", "another county"])
def test_a_visit_to_an_enterprise_outside_my_list_is_refused(cast, my_enterprise, where):
    other = EnterpriseFactory(region_id="370102" if where == "not on my list" else "370103")
    response = signed_in(cast["cadre"]).post(reverse("visits:create"), visit_data(other))
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_a_future_visit_can_only_be_a_draft(cast, my_enterprise):
    client = signed_in(cast["cadre"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(reverse("visits:create"), visit_data(my_enterprise, visited_on=tomorrow))
    assert "visited_on" in response.context["form"].errors and not Visit.objects.exists()
    client.post(reverse("visits:create"), visit_data(my_enterprise, visited_on=tomorrow, action="draft"))
    assert Visit.objects.get().status == VisitStatus.DRAFT


def test_a_draft_is_completed_later_then_locked(cast, my_enterprise):
    client = signed_in(cast["cadre"])
    client.post(reverse("visits:create"), visit_data(my_enterprise, action="draft", situation=""))
    visit = Visit.objects.get()
    assert visit.is_draft
    client.post(reverse("visits:update", args=[visit.pk]), visit_data(my_enterprise, situation="补充的经营情况"))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SUBMITTED and visit.situation == "补充的经营情况"
    response = client.post(reverse("visits:update", args=[visit.pk]), visit_data(my_enterprise, situation="改动"))
    visit.refresh_from_db()
    assert response.status_code == 302 and visit.situation == "补充的经营情况"


def test_only_the_lead_cadre_edits_a_draft(cast, my_enterprise):
    visit = make_visit(my_enterprise, cast["cadre"], status=VisitStatus.DRAFT)
    colleague = UserFactory(region_id="370102", roles=[Role.CADRE])
    assert signed_in(colleague).get(reverse("visits:update", args=[visit.pk])).status_code == 403
    assert signed_in(cast["other_county_cadre"]).get(reverse("visits:update", args=[visit.pk])).status_code == 404


def test_policies_explained_and_delivered_are_recorded_and_shown_on_the_enterprise(cast, my_enterprise):
    policy = Policy.objects.create(
        title="稳岗补贴政策", issuer="山东省人社厅", level="province", region_id="370000", issued_on="2026-01-01"
    )
    data = visit_data(
        my_enterprise,
        policies_explained=[policy.pk],
        **{
            "deliveries-TOTAL_FORMS": "1",
            "deliveries-0-policy": policy.pk,
            "deliveries-0-support_type": "funding",
            "deliveries-0-amount": "12.5",
            "deliveries-0-note": "已拨付",
        },
    )
    signed_in(cast["cadre"]).post(reverse("visits:create"), data)
    visit = Visit.objects.get()
    assert list(visit.policies_explained.all()) == [policy]
    delivery = PolicyDelivery.objects.get()
    assert (delivery.enterprise, delivery.region_id, str(delivery.amount)) == (my_enterprise, "370102", "12.50")
    page = signed_in(cast["county_staff"]).get(reverse("enterprises:detail", args=[my_enterprise.pk]))
    kinds = [event.kind for event in page.context["timeline"]]
    assert "visit" in kinds and "policy-delivered" in kinds


def test_visits_by_officials_of_several_levels_are_all_on_the_timeline(cast, my_enterprise):
    city_cadre = UserFactory(region_id="370100", roles=[Role.CADRE])
    make_visit(my_enterprise, cast["cadre"])
    make_visit(my_enterprise, city_cadre)
    make_visit(my_enterprise, cast["cadre"], status=VisitStatus.DRAFT)  # drafts stay off the timeline
    page = signed_in(cast["county_staff"]).get(reverse("enterprises:detail", args=[my_enterprise.pk]))
    assert [event.kind for event in page.context["timeline"]].count("visit") == 2


# Attachments


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_photos_and_pdf_are_attached_and_served_to_readers_of_the_region(cast, my_enterprise):
    data = visit_data(my_enterprise, attachments=[upload("现场.png", PNG), upload("纪要.pdf", PDF)])
    signed_in(cast["cadre"]).post(reverse("visits:create"), data)
    png, pdf = VisitAttachment.objects.order_by("id")
    assert (png.content_type, pdf.content_type) == ("image/png", "application/pdf")
    assert not png.file.name.endswith("现场.png"), "stored under a random name"
    response = signed_in(cast["county_staff"]).get(reverse("visits:attachment", args=[png.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert signed_in(cast["other_county_staff"]).get(reverse("visits:attachment", args=[png.pk])).status_code == 404
    assert signed_in(cast["county_staff"]).get(reverse("visits:attachment", args=[99999])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("program.exe", b"MZ....", "only photos"),
        ("假照片.jpg", b"just some text", "not really a JPG"),
        ("fake.pdf", PNG, "not really a PDF"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_saved(cast, my_enterprise, name, content, reason):
    data = visit_data(my_enterprise, attachments=[upload(name, content)])
    response = signed_in(cast["cadre"]).post(reverse("visits:create"), data)
    assert reason in " ".join(response.context["form"].errors["attachments"])
    assert not Visit.objects.exists() and not VisitAttachment.objects.exists()


def test_an_attachment_over_the_limit_is_refused(cast, my_enterprise, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 50)
    data = visit_data(my_enterprise, attachments=[upload("big.png", PNG + b"\x00" * 100)])
    response = signed_in(cast["cadre"]).post(reverse("visits:create"), data)
    assert "at most" in " ".join(response.context["form"].errors["attachments"])
    assert not Visit.objects.exists()


# Lists


def test_visit_list_filters(cast, my_enterprise):
    make_visit(my_enterprise, cast["cadre"], visited_on=timezone.localdate() - timedelta(days=40), purpose="早先走访")
    make_visit(my_enterprise, cast["cadre"], problems_raised="用地指标不足", purpose="近期走访")
    other = EnterpriseFactory(region_id="370103")
    make_visit(other, cast["other_county_cadre"], purpose="外区走访")
    client = signed_in(cast["city_staff"])

    def purposes(**params):
        return {visit.purpose for visit in client.get(reverse("visits:list"), params).context["page"]}

    assert purposes(problems="yes") == {"近期走访"}
    assert purposes(since=(timezone.localdate() - timedelta(days=7)).isoformat(), region="370102") == {"近期走访"}
    assert purposes(cadre=cast["other_county_cadre"].pk) == {"外区走访"}
    assert "外区走访" not in signed_in(cast["county_staff"]).get(reverse("visits:list")).content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_visit_list_runs_a_bounded_number_of_queries(cast, my_enterprise, django_assert_max_num_queries, count):
    for number in range(count):
        make_visit(my_enterprise, cast["cadre"], purpose=f"走访{number}")
    staff, cadre = signed_in(cast["county_staff"]), signed_in(cast["cadre"])
    with django_assert_max_num_queries(14):
        assert staff.get(reverse("visits:list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert cadre.get(reverse("visits:mine")).status_code == 200


def test_my_visits_include_those_i_accompanied(cast, my_enterprise):
    colleague = UserFactory(region_id="370102", roles=[Role.CADRE])
    led = make_visit(my_enterprise, cast["cadre"], purpose="我带队")
    joined = make_visit(my_enterprise, colleague, purpose="我陪同")
    joined.companions.add(cast["cadre"])
    page = signed_in(cast["cadre"]).get(reverse("visits:mine")).context["page"]
    assert {visit.pk for visit in page} == {led.pk, joined.pk}


def test_export_holds_the_filtered_visits_of_the_region(cast, my_enterprise):
    make_visit(my_enterprise, cast["cadre"], purpose="导出走访")
    make_visit(EnterpriseFactory(region_id="370103"), cast["other_county_cadre"], purpose="外区走访")
    response = signed_in(cast["county_staff"]).get(reverse("visits:export"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))  # below the title row
    assert rows[0][0] == "走访日期"
    assert [row[7] for row in rows[1:]] == ["导出走访"]
