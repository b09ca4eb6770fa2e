"""Notices on a problem's moves, deadline reminders, the home page's to-do items and the daily task."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    """One reminder a day per official, listing their problems: the holder hears of both, the holder's
    office and the region above (escalation) of the overdue one only."""
    today = timezone.localdate()
    with django_assert_max_num_queries(10):
        created = notices.send_deadline_reminders(today=today)
    overdue, due_soon = clocks["overdue"].pk, clocks["due_soon"].pk
    key = f"problem-deadlines:{today.isoformat()}"
    for official in (handlers["lx_dev"], cast["county_staff"], cast["city_staff"]):
        assert keys_of(official) == {key}
    assert not keys_of(cast["province_staff"]) and not keys_of(cast["other_county_staff"])
    assert len(created) == 3

    # Stored in the portal's language (Chinese): the dates, names and links are what the test reads.
    held = Notification.objects.get(recipient=handlers["lx_dev"])
    with translation.override(settings.LANGUAGE_CODE):
        title, body = notices.deadline_text(
            [
                (clocks["overdue"].deadline, True, overdue, "山东历下测试科技有限公司 · 融资信贷"),
                (clocks["due_soon"].deadline, False, due_soon, "山东历下测试科技有限公司 · 融资信贷"),
            ]
        )
        assert (held.title, held.body) == (held.display_title, held.display_body) == (str(title), str(body))
        assert held.title == _("Problem deadlines: %(overdue)d overdue, %(due_soon)d due soon") % {"overdue": 1, "due_soon": 1}
    # Stored as messages: a reader whose pages are in English reads it in English, the category's name too.
    with translation.override("en"):
        assert held.display_title == "Problem deadlines: 1 overdue, 1 due soon"
        english = held.display_body.splitlines()
        category = clocks["overdue"].category
        assert english[0].startswith(f"Overdue since {clocks['overdue'].deadline.isoformat()}: 山东历下测试科技有限公司 · ")
        assert english[0].split(" · ")[1].split(" ")[0] == (category.name_en or category.name).split(" ")[0]
    first, second = held.body.splitlines()
    assert clocks["overdue"].deadline.isoformat() in first and first.endswith(f" https://liaison.example.cn/problems/{overdue}/")
    assert clocks["due_soon"].deadline.isoformat() in second and second.endswith(f"/problems/{due_soon}/")
    assert held.link == "/problems/?overdue=yes"
    escalated = Notification.objects.get(recipient=cast["city_staff"])
    assert escalated.body.endswith(f"/problems/{overdue}/") and len(escalated.body.splitlines()) == 1
    # Twice a day sends nothing twice; the task runs the same thing.
    assert notices.send_deadline_reminders(today=today) == []
    assert tasks.send_problem_deadline_reminders.delay().get() == 0
    assert Notification.objects.filter(key=key).count() == 3


def test_only_the_first_problems_are_listed_then_counted(cast, departments, handlers):
    today = timezone.localdate()
    overdue_problems(departments=[departments["lx_dev"]], count=notices.REMINDER_PROBLEMS_LIMIT + 3, today=today)
    notices.send_deadline_reminders(today=today)
    body = Notification.objects.get(recipient=handlers["lx_dev"]).body.splitlines()
    assert len(body) == notices.REMINDER_PROBLEMS_LIMIT + 1
    with translation.override(settings.LANGUAGE_CODE):
        assert body[-1] == ngettext("and %(count)d more problem", "and %(count)d more problems", 3) % {"count": 3}


def overdue_problems(*, departments, count, today):
    """`count` problems in progress, overdue, spread over the departments (written in bulk: a data size, not a story)."""
    from enterprises.tests.factories import EnterpriseFactory
    from problems.models import Problem, ProblemStatus, Source
    from problems.tests.factories import category

    enterprises = {department.region_id: EnterpriseFactory(region_id=department.region_id) for department in departments}
    raiser = UserFactory(region_id="370000", roles=[Role.STAFF])
    Problem.objects.bulk_create(
        Problem(
            enterprise=enterprises[department.region_id],
            region_id=department.region_id,
            office_region_id=department.region_id,
            handling_region_id=department.region_id,
            handling_department=department,
            source=Source.OTHER,
            category=category(),
            description=f"逾期问题 {number}",
            raised_by=raiser,
            status=ProblemStatus.IN_PROGRESS,
            dispatched_at=timezone.now(),
            deadline=today - timedelta(days=1 + number % 20),
        )
        for number, department in ((number, departments[number % len(departments)]) for number in range(count))
    )


@pytest.mark.parametrize("counties, problems", [(2, 6), (12, 240)])
def test_a_run_is_a_fixed_number_of_queries_whatever_the_problems_and_regions(
    counties, problems, cast, django_assert_max_num_queries
):
    from accounts.models import Department, Region

    today = timezone.localdate()
    regions = Region.objects.filter(level="county").order_by("code")[:counties]
    made = [Department.objects.create(region=region, name=f"{region.name}发展和改革局") for region in regions]
    for department in made:
        UserFactory(region_id=department.region_id, department=department, roles=[Role.HANDLER])
        UserFactory(region_id=department.region_id, roles=[Role.STAFF])
    overdue_problems(departments=made, count=problems, today=today)
    with django_assert_max_num_queries(10):
        created = notices.send_deadline_reminders(today=today)
    # Each county's handler and staff, and the staff of the cities above (济南市's is in the cast).
    assert len(created) == len({recipient.pk for recipient in (n.recipient for n in created)}) >= 2 * counties + 1
    with django_assert_max_num_queries(10):
        assert notices.send_deadline_reminders(today=today) == []


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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_concurrent_runs_send_each_reminder_once():
    from accounts.models import Department
    from tests.concurrency import run_at_once
    from tests.reference_data import restore_reference_data

    restore_reference_data()
    today = timezone.localdate()
    made = [Department.objects.create(region_id=code, name=f"{code}发展和改革局") for code in ("370102", "370103")]
    officials = [UserFactory(region_id=department.region_id, department=department, roles=[Role.HANDLER]) for department in made]
    officials += [UserFactory(region_id=code, roles=[Role.STAFF]) for code in ("370102", "370103", "370100")]
    overdue_problems(departments=made, count=40, today=today)
    returned = []
    errors = run_at_once(lambda: returned.append(len(notices.send_deadline_reminders(today=today))), times=3)
    assert errors == []
    assert sorted(returned) == [0, 0, len(officials)]  # one run wrote them all, the others nothing
    for official in officials:
        assert keys_of(official) == {f"problem-deadlines:{today.isoformat()}"}
