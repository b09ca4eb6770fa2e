"""The enterprise's demands behind its door: raise one (with a photo), follow it, answer a request for
information, give the verdict; another enterprise's demand is a 404; bad input saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from door import links
from enterprises.tests.factories import EnterpriseFactory
from problems import services
from problems.models import EventKind, Problem, ProblemEventAttachment, ProblemStatus, Source, Verdict, VerdictChannel
from problems.tests.factories import category

from .factories import issued

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DEMAND = "厂区门前道路破损严重，货车进出困难，希望尽快维修。"
INTERNAL = "内部备注XYZ"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def door_client(enterprise):
    _access, token = issued(enterprise, contact_name="王经理")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get(links.link_path(token)).status_code == 302
    return client


def photo(name="路面.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def post_demand(client, *, description=DEMAND, files=(), key="financing"):
    return client.post(
        reverse("door:demand_new"), {"category": category(key).pk, "description": description, "files": list(files)}
    )


def test_raising_a_demand_with_a_photo_and_following_it(django_capture_on_commit_callbacks, cast):
    enterprise = EnterpriseFactory(region_id="370102", name="山东晨光机械有限公司")
    client = door_client(enterprise)
    home = client.get(reverse("door:home")).content.decode()
    assert f'href="{reverse("door:demand_new")}"' in home and f'href="{reverse("door:demands")}"' in home
    assert client.get(reverse("door:demand_new")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = post_demand(client, files=[photo()])
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("door:demand", args=[problem.pk])
    assert (problem.enterprise, problem.source, problem.raised_by) == (enterprise, Source.ENTERPRISE, None)
    assert ProblemEventAttachment.objects.get().original_name == "路面.png"
    page = client.get(reverse("door:demand", args=[problem.pk])).content.decode()
    assert DEMAND in page and "Received by 中共济南市历下区委统战部" in page
    listing = client.get(reverse("door:demands")).content.decode()
    assert reverse("door:demand", args=[problem.pk]) in listing and "Received" in listing


@pytest.mark.parametrize(
    ("description", "files", "message"),
    [
        ("", [], "Describe your demand."),
        ("太慢", [], "Describe your demand in at least 10 characters"),
        (DEMAND, [photo("现场.png", b"%PDF-1.4 not an image")], "现场.png is not really a PNG file"),
    ],
)
def test_a_demand_without_text_or_with_a_disguised_file_is_refused_with_nothing_saved(description, files, message):
    client = door_client(EnterpriseFactory(region_id="370102"))
    response = post_demand(client, description=description, files=files)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Problem.objects.exists() and not ProblemEventAttachment.objects.exists()


def test_a_repeated_demand_is_pointed_to_the_open_one():
    enterprise = EnterpriseFactory(region_id="370102")
    client = door_client(enterprise)
    post_demand(client)
    first = Problem.objects.get()
    response = post_demand(client, description=DEMAND + "！")
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have already raised this demand" in page
    assert f'href="{reverse("door:demand", args=[first.pk])}"' in page
    assert Problem.objects.count() == 1


def test_another_enterprise_demand_is_a_404_and_not_listed(cast):
    mine, theirs = EnterpriseFactory(region_id="370102"), EnterpriseFactory(region_id="370102")
    other = services.raise_from_enterprise(enterprise=theirs, category=category(), description=DEMAND)
    visit_problem = services.raise_problem(
        actor=cast["cadre"], enterprise=mine, category=category(), description="走访中提出的问题内容"
    )
    client = door_client(mine)
    for name in ("door:demand",):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
        assert client.get(reverse(name, args=[visit_problem.pk])).status_code == 404
    assert client.post(reverse("door:demand_answer", args=[other.pk]), {"answer": "x"}).status_code == 404
    assert client.post(reverse("door:demand_verdict", args=[other.pk]), {"verdict": "not_satisfied"}).status_code == 404
    assert reverse("door:demand", args=[other.pk]) not in client.get(reverse("door:demands")).content.decode()
    other.refresh_from_db()
    assert other.status == ProblemStatus.NEW and not Verdict.objects.exists()


def test_without_a_door_session_the_demand_pages_send_to_the_start_page(cast):
    problem = services.raise_from_enterprise(enterprise=EnterpriseFactory(), category=category(), description=DEMAND)
    for url in (reverse("door:demands"), reverse("door:demand_new"), reverse("door:demand", args=[problem.pk])):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"] == reverse("door:start")
    official = Client()
    official.force_login(cast["county_staff"])
    assert official.get(reverse("door:demand", args=[problem.pk]))["Location"] == reverse("door:start")


@pytest.fixture
def lx_dev(db):
    from accounts.models import Department
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    department = Department.objects.create(region_id="370102", name="历下区住房和城乡建设局")
    handler = UserFactory(username="t_handler_h11", region_id="370102", department=department, roles=[Role.HANDLER])
    return department, handler


def test_more_information_asked_answered_from_the_door_then_verdict_not_satisfied_reopens(
    cast, lx_dev, django_capture_on_commit_callbacks
):
    department, handler = lx_dev
    enterprise = EnterpriseFactory(region_id="370102")
    client = door_client(enterprise)
    post_demand(client)
    problem = Problem.objects.get()
    problem = services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution=INTERNAL, department=department
    )
    services.add_note(actor=handler, problem=problem, note=INTERNAL)
    problem = services.pause_for_enterprise(actor=handler, problem=problem, reason="请提供破损位置照片。")
    url = reverse("door:demand", args=[problem.pk])
    page = client.get(url).content.decode()
    assert "请提供破损位置照片。" in page and 'data-testid="demand-answer-form"' in page
    assert INTERNAL not in page and handler.display_name not in page and cast["county_staff"].display_name not in page
    # An empty answer is refused; the problem still waits.
    assert (
        "Write the information asked for."
        in client.post(reverse("door:demand_answer", args=[problem.pk]), {"answer": " "}).content.decode()
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("door:demand_answer", args=[problem.pk]), {"answer": "位置在东门，照片已附。", "files": [photo("东门.png")]}
        )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.IN_PROGRESS and problem.paused_on is None
    answered = problem.events.get(kind=EventKind.RESUMED)
    assert answered.actor is None and answered.attachments.get().original_name == "东门.png"
    page = client.get(url).content.decode()
    assert "位置在东门，照片已附。" in page and "东门.png" in page and 'data-testid="demand-answer-form"' not in page
    # Solved: the verdict is given on the demand's page, no link needed.
    services.complete(actor=handler, problem=problem, result="道路已修复。")
    page = client.get(url).content.decode()
    assert 'data-testid="demand-verdict-form"' in page and "道路已修复。" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("door:demand_verdict", args=[problem.pk]), {"verdict": "not_satisfied", "comment": "仍有坑洼"}
        )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.REOPENED
    assert Verdict.objects.get(problem=problem).channel == VerdictChannel.DOOR
    page = client.get(url).content.decode()
    assert "Reopened, to be looked at again" in page and 'data-testid="demand-verdict-form"' not in page
    assert INTERNAL not in page
    # A second verdict on the same round: refused with a message, nothing recorded.
    response = client.post(reverse("door:demand_verdict", args=[problem.pk]), {"verdict": "satisfied"}, follow=True)
    assert Verdict.objects.count() == 1


def test_a_satisfied_verdict_from_the_door_closes_the_demand(cast):
    enterprise = EnterpriseFactory(region_id="370102")
    client = door_client(enterprise)
    post_demand(client)
    problem = services.explain(
        actor=cast["county_staff"],
        problem=Problem.objects.get(),
        explanation="不符合政策要求。",
        given_on=timezone.localdate(),
        given_how="phone",
    )
    page = client.get(reverse("door:demand", args=[problem.pk])).content.decode()
    assert "Cannot be done: the explanation" in page and "不符合政策要求。" in page
    response = client.post(reverse("door:demand_verdict", args=[problem.pk]), {"verdict": "satisfied"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.final_verdict == "satisfied"


def test_the_demand_list_is_bounded_in_queries(django_assert_max_num_queries):
    enterprise = EnterpriseFactory(region_id="370102")
    client = door_client(enterprise)
    demands = [
        services.raise_from_enterprise(
            enterprise=enterprise, category=category(), description="".join(chr(0x4E00 + number * 50 + i) for i in range(20))
        )
        for number in range(8)
    ]
    with django_assert_max_num_queries(12):
        response = client.get(reverse("door:demands"))
    page = response.content.decode()
    assert all(reverse("door:demand", args=[demand.pk]) in page for demand in demands)
