"""Notices on a problem's moves, deadline reminders, the home page's to-do items and the daily task."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from notifications.models import Notification
from problems import notices, services, tasks
from problems.tests.test_feedback_page import URLCONF


@pytest.fixture(autouse=True)
def urls(settings):
    settings.ROOT_URLCONF = URLCONF
    settings.SITE_URL = "https://liaison.example.cn/"


def keys_of(user):
    return set(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def test_referral_escalation_return_reopen_and_feedback_link(
    cast, problem, departments, handlers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referred = services.refer(actor=cast["county_staff"], problem=problem, department=departments["jn_dev"])
    assert any(key.startswith(f"problem-referred:{problem.pk}:") for key in keys_of(handlers["jn_dev"]))
    assert not keys_of(handlers["lx_dev"])
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.return_referral(actor=handlers["jn_dev"], problem=referred, reason="不属市级事权", basis="权责清单")
    assert any(key.startswith(f"problem-returned:{problem.pk}:") for key in keys_of(cast["county_staff"]))
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate(actor=cast["county_staff"], problem=returned, justification="需省级统筹")
    assert any(key.startswith(f"problem-escalated:{problem.pk}:") for key in keys_of(cast["province_staff"]))
    assert not any(key.startswith("problem-escalated") for key in keys_of(cast["city_staff"]))


def test_solution_sends_the_office_the_feedback_link(cast, in_progress, handlers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        solved = services.complete(actor=handlers["lx_dev"], problem=in_progress, result="已办结。")
    notification = Notification.objects.get(recipient=cast["county_staff"], key=f"problem-feedback:{solved.pk}:1")
    assert "https://liaison.example.cn/problems/feedback/" in notification.body
    link = notices.feedback_link(solved)
    assert link.startswith("https://liaison.example.cn/problems/feedback/")
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(link.removeprefix("https://liaison.example.cn")).status_code == 200
    assert not Notification.objects.filter(recipient=cast["other_county_staff"]).exists()
    # Not satisfied reopens: the office hears of it.
    with django_capture_on_commit_callbacks(execute=True):
        Client(HTTP_ACCEPT_LANGUAGE="en").post(link.removeprefix("https://liaison.example.cn"), {"verdict": "not_satisfied"})
    assert any(key.startswith(f"problem-reopened:{solved.pk}:") for key in keys_of(cast["county_staff"]))


def test_a_rolled_back_move_notifies_nobody(cast, problem, departments, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.refer(actor=cast["county_staff"], problem=problem, department=departments["jn_dev"])
    assert len(callbacks) == 1
    assert not Notification.objects.filter(key__startswith="problem-referred").exists()


@pytest.fixture
def clocks(cast, enterprise, departments, handlers):
    """Three problems in progress at 历下区发展和改革局: overdue, due soon, on track."""
    from problems.tests.factories import category

    today = timezone.localdate()
    made = {}
    for name, start in (("overdue", today - timedelta(days=40)), ("due_soon", today - timedelta(days=19)), ("on_track", today)):
        problem = services.raise_problem(actor=cast["cadre"], enterprise=enterprise, category=category(), description=name)
        made[name] = services.triage_solve(
            actor=cast["county_staff"], problem=problem, proposed_solution="办理", department=departments["lx_dev"], today=start
        )
    made["due_soon"].deadline = today + timedelta(days=1)
    made["due_soon"].save()
    return made


def test_deadline_reminders(clocks, cast, handlers, django_assert_max_num_queries):
    today = timezone.localdate()
    with django_assert_max_num_queries(4 + 2 * 8):
        created = notices.send_deadline_reminders(today=today)
    overdue, due_soon = clocks["overdue"].pk, clocks["due_soon"].pk
    day = today.isoformat()
    assert keys_of(handlers["lx_dev"]) == {f"problem-overdue:{overdue}:{day}", f"problem-due:{due_soon}:{day}"}
    assert keys_of(cast["county_staff"]) == {f"problem-overdue:{overdue}:{day}"}
    assert keys_of(cast["city_staff"]) == {f"problem-overdue:{overdue}:{day}"}
    assert not keys_of(cast["province_staff"]) and not keys_of(cast["other_county_staff"])
    assert len(created) == 4
    # Twice a day sends nothing twice; the task runs the same thing.
    assert notices.send_deadline_reminders(today=today) == []
    assert tasks.send_problem_deadline_reminders.delay().get() == 0


def test_home_items_put_overdue_first(clocks, handlers, cast):
    today = timezone.localdate()
    items = notices.problem_items(handlers["lx_dev"], today=today)
    assert [item["url"] for item in items] == [f"/problems/{clocks[name].pk}/" for name in ("overdue", "due_soon", "on_track")]
    assert items[0]["title"].startswith("Problem overdue")
    assert notices.problem_items(cast["other_county_staff"], today=today) == []
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(handlers["lx_dev"])
    assert f"/problems/{clocks['overdue'].pk}/" in client.get("/").content.decode()


def test_home_items_list_referrals_awaiting_signature(cast, problem, departments, handlers):
    services.refer(actor=cast["county_staff"], problem=problem, department=departments["jn_dev"])
    items = notices.problem_items(handlers["jn_dev"], today=timezone.localdate())
    assert [item["title"][:16] for item in items] == ["Sign for or retu"]
    assert len(notices.problem_items(UserFactory(region_id="370102", roles=[Role.STAFF]), today=timezone.localdate())) == 0
