"""Nothing private reaches an enterprise's pages (issue 16, point 6), as the showcase's marker test
(cases/tests/test_showcase.py) for the public.

A world is built around one enterprise of 历下区: its liaison cadres (current and ended), forums that invited
it and a neighbour, a held one with its minutes, attendance and opinions, policies, visits with everything a
cadre writes, a problem, a nomination, its access links. Then every text column of every model an
enterprise's records reach (two steps along any relation, reference tables aside) that door.selectors does
not declare public (`PUBLIC_FIELDS`) gets a marker of its own, in every row: a column added later is covered
without a word here. No marker may show on any page of the door the enterprise may open (the pages
tests/url_policy.py gives it with `door`), nor may the neighbour's name or its reply.
"""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db.models import CharField, Max, TextField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, User
from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from cases.tests.factories import CaseFactory
from door.selectors import PUBLIC_FIELDS
from enterprises.models import Enterprise
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums import services as forum_services
from forums.models import ForumAttachment, ForumAttendance, ForumStatus, Opinion
from forums.tests.factories import ForumFactory
from problems import services as problem_services
from problems.models import EventKind, ProblemEvent
from problems.tests.factories import ProblemFactory
from problems.tests.factories import category as problem_category
from tests.url_policy import POLICY
from visits.models import Policy, PolicyDelivery, SupportType, Visit, VisitAttachment, VisitStatus

from .clients import door_client
from .factories import issued

pytestmark = pytest.mark.django_db

# Tables of reference data, the same for every enterprise and public by nature: not filled.
REFERENCE = {
    "accounts.Region",
    "accounts.UnitType",
    "enterprises.Industry",
    "enterprises.Tag",
    "problems.Category",
    "auth.Group",
    "auth.Permission",
    "contenttypes.ContentType",
}
# Text columns that are codes the door's queries read, never shown: a marker would change what they select.
CODES = {"visits.Policy.sizes": "the sizes a policy fits, which the library's matching reads"}
# The private columns the test must reach, whatever else it finds: if one is no longer filled, the walk is broken.
MUST_BE_FILLED = {
    "accounts.User.username",
    "accounts.User.mobile",
    "accounts.User.email",
    "enterprises.Enterprise.credit_code",
    "enterprises.Enterprise.contact_mobile",
    "enterprises.Enterprise.legal_representative",
    "enterprises.LiaisonAssignment.reason",
    "enterprises.LiaisonAssignment.end_reason",
    "forums.Forum.minutes",
    "forums.Forum.cancel_reason",
    "forums.ForumAttendance.entrepreneur_name",
    "forums.Opinion.text",
    "visits.Visit.situation",
    "visits.Visit.needs",
    "visits.Visit.people_met",
    "visits.Visit.problems_raised",
    "visits.Visit.void_reason",
    "visits.PolicyDelivery.note",
    "problems.Problem.description",
    "problems.ProblemEvent.note",
    "cases.Case.nomination_note",
    "door.EnterpriseAccess.token_digest",
    "door.DoorEvent.user_agent",
}
MARK = "▒"  # never in Chinese or English text


def reachable_models(start, steps=2):
    """The models one reaches from `start` along any relation (forward, reverse, many-to-many) in at most
    `steps`, reference tables aside."""
    seen, frontier = {start}, {start}
    for _ in range(steps):
        frontier = {
            field.related_model
            for model in frontier
            for field in model._meta.get_fields()
            if field.is_relation and field.related_model is not None and field.related_model._meta.label not in REFERENCE
        } - seen
        seen |= frontier
    return seen


def private_text_fields(model):
    public = PUBLIC_FIELDS.get(model._meta.label, set())
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, CharField | TextField)
        and not field.choices
        and not field.primary_key
        and field.name not in public
        and f"{model._meta.label}.{field.name}" not in CODES
    ]


def fill_with_markers(models):
    """Every private text column of `models`, in every row, becomes its marker followed by the row's key (unique
    columns stay unique). Returns {marker: "app.Model.field"}."""
    markers = {}
    for model in sorted(models, key=lambda model: model._meta.label):
        for field in private_text_fields(model):
            marker = f"{MARK}{len(markers):03d}{MARK}"
            longest = len(marker) + len(str(model._base_manager.aggregate(last=Max("pk"))["last"] or 0))
            assert field.max_length is None or field.max_length >= longest, f"{model._meta.label}.{field.name}"
            markers[marker] = f"{model._meta.label}.{field.name}"
            model._base_manager.update(**{field.name: Concat(Value(marker), Cast("pk", CharField()))})
    return markers


def door_pages(records):
    """The URL of every page the enterprise may GET through its door (tests/url_policy.py), with its own record."""
    urls = []
    for name, rule in POLICY.items():
        if "get" not in rule.door:
            continue
        kwargs = dict(rule.url_kwargs)
        if rule.record:
            assert rule.record in records, f"add the enterprise's own {rule.record} to this test's world for {name}"
            kwargs[rule.kwarg] = records[rule.record].pk
        urls.append(reverse(name, kwargs=kwargs))
    return urls


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise = EnterpriseFactory(
        name="历下门户标记企业", address="企业地址", contact_name="企业联系人", contact_mobile="13800000000"
    )
    neighbour = EnterpriseFactory(name="同场邻居企业")
    today = timezone.localdate()
    county_cadre = UserFactory(
        full_name="公开的联络干部",
        title="公开的职务",
        mobile="13900000000",
        office_phone="0531-86001234",
        email="cadre@example.com",
        roles=[Role.CADRE],
    )
    county_cadre.department = DepartmentFactory(name="公开的联络部门")
    county_cadre.save()
    province_cadre = UserFactory(full_name="省级联络干部", region=Region.objects.get(code="370000"), mobile="13700000000")
    AssignmentFactory(enterprise=enterprise, official=county_cadre, reason="指派原因")
    AssignmentFactory(enterprise=enterprise, official=province_cadre)
    ended = AssignmentFactory(
        enterprise=enterprise,
        official=UserFactory(full_name="已离任干部", region=Region.objects.get(code="370100")),
        started_on=today - timedelta(days=200),
    )
    ended.ended_on, ended.end_reason = today - timedelta(days=1), "离任原因"
    ended.save()

    upcoming = ForumFactory(theme="公开的座谈会主题", starts_at=timezone.now() + timedelta(days=7), created_by=county_cadre)
    upcoming.invited_enterprises.add(enterprise, neighbour)
    upcoming.invited_officials.add(county_cadre)
    upcoming.organisers.add(DepartmentFactory(name="组织部门"))
    forum_services.reply_to_invitation(enterprise=enterprise, forum=upcoming, attending=True, attendees="本企业出席人")
    forum_services.reply_to_invitation(enterprise=neighbour, forum=upcoming, attending=True, attendees="邻居企业出席人")
    held = ForumFactory(
        theme="已召开的座谈会", starts_at=timezone.now() - timedelta(days=7), status=ForumStatus.HELD, minutes="纪要"
    )
    held.invited_enterprises.add(enterprise, neighbour)
    ForumAttendance.objects.create(forum=held, enterprise=enterprise, entrepreneur_name="出席者", title="职务")
    ForumAttendance.objects.create(forum=held, enterprise=neighbour, entrepreneur_name="邻居出席者", title="职务")
    Opinion.objects.create(forum=held, region_id="370102", enterprise=enterprise, text="意见")
    ForumAttachment.objects.create(
        forum=held, file=ContentFile(b"%PDF-1.4", name="m.pdf"), original_name="m.pdf", content_type="application/pdf", size=8
    )
    cancelled = ForumFactory(theme="取消的座谈会", starts_at=timezone.now() + timedelta(days=3), status=ForumStatus.CANCELLED)
    cancelled.invited_enterprises.add(enterprise)
    Forum = type(cancelled)
    Forum.objects.filter(pk=cancelled.pk).update(cancel_reason="取消原因")

    policy = Policy.objects.create(
        title="公开的政策标题",
        issuer="公开的发文机关",
        summary="公开的政策摘要",
        level="county",
        region_id="370102",
        issued_on=today,
        link="https://example.com/policy",
        document=ContentFile(b"%PDF-1.4 policy", name="policy.pdf"),
        created_by=county_cadre,
    )
    visit = Visit.objects.create(
        enterprise=enterprise,
        region_id="370102",
        cadre=county_cadre,
        level="county",
        visited_on=today - timedelta(days=5),
        purpose="公开的走访目的",
        people_met="会见人员",
        situation="经营情况",
        needs="需求困难",
        problems_raised="问题一",
        status=VisitStatus.SUBMITTED,
    )
    visit.companions.add(province_cadre)
    visit.policies_explained.add(policy)
    PolicyDelivery.objects.create(
        visit=visit, enterprise=enterprise, region_id="370102", policy=policy, support_type=SupportType.TAX, note="兑现备注"
    )
    VisitAttachment.objects.create(
        visit=visit, file=ContentFile(b"%PDF-1.4", name="v.pdf"), original_name="v.pdf", content_type="application/pdf", size=8
    )
    Visit.objects.create(
        enterprise=enterprise,
        region_id="370102",
        cadre=county_cadre,
        level="county",
        visited_on=today - timedelta(days=4),
        purpose="作废走访目的",
        status=VisitStatus.VOIDED,
        voided_at=timezone.now(),
        void_reason="作废原因",
    )
    problem = ProblemFactory(enterprise=enterprise, raised_by=county_cadre, proposed_solution="解决方案")
    ProblemEvent.objects.create(problem=problem, kind=EventKind.RAISED, status=problem.status, note="处理备注")
    CaseFactory(enterprise=enterprise, nominated_by=county_cadre, nomination_note="推荐备注")
    # A demand the enterprise raised through its door (door/demands/): its own words, the information it was asked
    # for, and an official's internal note, which its pages never show.
    demand = problem_services.raise_from_enterprise(
        enterprise=enterprise, category=problem_category(), description="本企业自己提出的诉求内容"
    )
    asked = ProblemEvent.objects.create(problem=demand, kind=EventKind.PAUSED, status=demand.status, note="请补充材料")
    ProblemEvent.objects.create(problem=demand, kind=EventKind.NOTE, status=demand.status, note="内部备注", actor=county_cadre)
    issued(neighbour, contact_name="邻居联系人")
    client = door_client(enterprise, contact_name="公开的联系人")
    return {
        "client": client,
        "enterprise": enterprise,
        "forum": upcoming,
        "policy": policy,
        "demand": demand,
        # The rows whose text a demand's pages show the enterprise: what it wrote, what it was asked.
        "own_words": {"problems.Problem.description": {demand.pk}, "problems.ProblemEvent.note": {asked.pk}},
    }


def test_no_private_field_reaches_any_page_of_the_enterprises_door(world):
    markers = fill_with_markers(reachable_models(Enterprise))
    assert MUST_BE_FILLED <= set(markers.values()), sorted(MUST_BE_FILLED - set(markers.values()))
    pages = door_pages(world)
    assert reverse("door:home") in pages and reverse("door:policy_document", args=[world["policy"].pk]) in pages
    client = world["client"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        if "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        own = world["own_words"] if url.startswith(reverse("door:demands")) else {}
        for marker, field in markers.items():
            shown = {int(key) for key in re.findall(re.escape(marker) + r"(\d+)", page)}
            assert shown <= own.get(field, set()), f"{field} is shown on {url}"
        for neighbours in ("同场邻居企业", "邻居企业出席人", "邻居出席者"):
            assert neighbours not in page, f"the neighbour's {neighbours} is shown on {url}"
    # A demand's page shows the enterprise its own words and what it was asked, not an internal note.
    demand_page = client.get(reverse("door:demand", args=[world["demand"].pk])).content.decode()
    for field, rows in world["own_words"].items():
        marker = next(marker for marker, filled in markers.items() if filled == field)
        assert all(f"{marker}{row}" in demand_page for row in rows), field
    # The page still shows what is public: the markers did not empty it.
    home = client.get(reverse("door:home")).content.decode()
    for public in (
        "公开的联络干部",
        "公开的职务",
        "0531-86001234",
        "公开的联络部门",
        "公开的座谈会主题",
        "本企业出席人",
        "公开的政策标题",
        "公开的走访目的",
    ):
        assert public in home, public
    for private in ("已离任干部", "作废走访目的"):
        assert private not in home, private


def test_an_officials_office_telephone_is_public_and_the_mobile_and_e_mail_private():
    """The door shows a liaison cadre's office telephone (the field says so to whoever fills it in), never the
    mobile number or the e-mail, which the marker test above fills and looks for."""
    public = PUBLIC_FIELDS["accounts.User"]
    assert "office_phone" in public and not {"mobile", "email", "username"} & public
    private = {field.name for field in private_text_fields(User)}
    assert {"mobile", "email", "username"} <= private and "office_phone" not in private
