"""Demands (诉求) the enterprise raises through its door: onto the problem list, to the staff who triage and
its liaison cadres, through the four dispositions, on a timeline written for the enterprise, with its
answer to a request for information and its verdict."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprises.tests.factories import AssignmentFactory
from notifications.models import Notification
from problems import services
from problems.enterprise_view import enterprise_state, timeline_for_enterprise
from problems.models import (
    EventKind,
    Problem,
    ProblemEvent,
    ProblemEventAttachment,
    ProblemStatus,
    Source,
    Verdict,
    VerdictChannel,
)
from problems.tests.factories import category

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DEMAND = "厂区门前道路破损严重，货车进出困难，希望尽快维修。"
# Written by officials for each other: must never reach the enterprise's timeline.
INTERNAL = "内部备注XYZ"


def photo(name="路面.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def raise_demand(enterprise, *, description=DEMAND, files=(), key="financing", capture=None):
    return services.raise_from_enterprise(
        enterprise=enterprise, category=category(key), description=description, files=files, contact="王经理"
    )


def keys_of(user):
    return set(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def titles(problem):
    return [step.title for step in timeline_for_enterprise(problem)]


def text_of(problem):
    return " ".join(f"{step.title} {step.text} {' '.join(step.files)}" for step in timeline_for_enterprise(problem))


def test_a_demand_becomes_a_problem_of_the_enterprise_region_and_notifies_triage_staff_and_liaisons(
    cast, enterprise, django_capture_on_commit_callbacks
):
    liaison = AssignmentFactory(enterprise=enterprise, official=cast["cadre"])
    with django_capture_on_commit_callbacks(execute=True):
        problem = raise_demand(enterprise, files=[photo()])
    problem.refresh_from_db()
    assert (problem.source, problem.region_id, problem.office_region_id, problem.handling_region_id) == (
        Source.ENTERPRISE,
        "370102",
        "370102",
        "370102",
    )
    assert problem.raised_by is None and problem.status == ProblemStatus.NEW and problem.category.key == "financing"
    assert "王经理" in problem.source_note
    raised = problem.events.get()
    assert (raised.kind, raised.actor) == (EventKind.RAISED, None)
    assert list(raised.attachments.values_list("original_name", "content_type")) == [("路面.png", "image/png")]
    key = f"problem-demand:{problem.pk}:{raised.pk}"
    assert key in keys_of(cast["county_staff"])
    assert key in keys_of(liaison.official)
    assert not keys_of(cast["other_county_staff"]) and not keys_of(cast["city_staff"])
    # The office triages it like any problem.
    assert problem in Problem.objects.held_by(cast["county_staff"])
    assert titles(problem) == ["Received by 中共济南市历下区委统战部"]
    assert str(enterprise_state(problem)) == "Received"
    # The enterprise finds the photo it sent on its timeline.
    assert timeline_for_enterprise(problem)[0].files == ("路面.png",)


def test_the_files_an_official_attached_when_raising_a_problem_are_not_on_the_enterprises_timeline(cast, enterprise):
    problem = raise_demand(enterprise, files=[photo("内部材料.png")])
    problem.events.update(actor=cast["cadre"])  # as if an official had raised it, on a visit
    [received] = timeline_for_enterprise(problem)
    assert received.files == ()


@pytest.mark.parametrize(
    ("description", "files", "field"),
    [
        ("", [], "description"),
        ("  短短。 ", [], "description"),
        (DEMAND, [SimpleUploadedFile("报表.pdf", b"MZ\x90\x00not a pdf at all", content_type="application/pdf")], "files"),
        (DEMAND, [photo("1.png"), photo("2.png"), photo("3.png"), photo("4.png")], "files"),
    ],
)
def test_a_demand_without_text_or_with_a_disguised_file_is_refused_and_nothing_is_saved(enterprise, description, files, field):
    with pytest.raises(ValidationError) as refused:
        raise_demand(enterprise, description=description, files=files)
    assert field in refused.value.message_dict
    assert not Problem.objects.exists() and not ProblemEvent.objects.exists() and not ProblemEventAttachment.objects.exists()


def test_a_disguised_file_is_named_in_the_refusal(enterprise):
    with pytest.raises(ValidationError) as refused:
        raise_demand(enterprise, files=[SimpleUploadedFile("现场.jpg", b"%PDF-1.4 pretending", content_type="image/jpeg")])
    assert "现场.jpg is not really a JPG file" in refused.value.message_dict["files"][0]


def test_a_repeated_demand_points_to_the_open_one(enterprise):
    first = raise_demand(enterprise)
    with pytest.raises(services.RepeatedDemand) as repeated:
        raise_demand(enterprise, description="厂区门前道路破损严重，货车进出困难，希望尽快维修！！")
    assert repeated.value.problem == first
    assert Problem.objects.count() == 1
    # Another category, or a different text, is a new demand.
    raise_demand(enterprise, key="land")
    raise_demand(enterprise, description="企业申请的技改补贴至今未到账，资金周转困难。")
    assert Problem.objects.count() == 3


def test_a_demand_repeating_a_closed_one_is_a_new_demand(cast, enterprise, departments):
    first = raise_demand(enterprise)
    services.explain(
        actor=cast["county_staff"], problem=first, explanation="不符合政策。", given_on=timezone.localdate(), given_how="phone"
    )
    services.record_door_verdict(problem=first, verdict="satisfied")
    again = raise_demand(enterprise)
    assert again.pk != first.pk


def _triaged(cast, enterprise, departments, disposition, handlers):
    problem = raise_demand(enterprise)
    staff = cast["county_staff"]
    if disposition == "solve":
        problem = services.triage_solve(
            actor=staff, problem=problem, proposed_solution=INTERNAL, department=departments["lx_dev"], deadline=None
        )
        services.add_note(actor=handlers["lx_dev"], problem=problem, note=INTERNAL)
        return services.complete(actor=handlers["lx_dev"], problem=problem, result="道路已修复。")
    if disposition == "refer":
        problem = services.refer(actor=staff, problem=problem, department=departments["jn_dev"], note=INTERNAL)
        problem = services.sign_for(actor=handlers["jn_dev"], problem=problem, note=INTERNAL)
        return services.complete(actor=handlers["jn_dev"], problem=problem, result="道路已修复。")
    if disposition == "escalate":
        problem = services.escalate(actor=staff, problem=problem, justification=INTERNAL)
        problem = services.decide_escalation(
            actor=cast["province_staff"], problem=problem, decision=INTERNAL, department=departments["sd_dev"]
        )
        return services.complete(actor=handlers["sd_dev"], problem=problem, result="道路已修复。")
    return services.explain(
        actor=staff,
        problem=problem,
        explanation="该道路属于企业自有厂区，不在市政维修范围。",
        given_on=timezone.localdate(),
        given_how="phone",
    )


EXPECTED_TITLES = {
    "solve": ["Received by 中共济南市历下区委统战部", "Being handled by 历下区发展和改革局", "Solved: the result"],
    "refer": [
        "Received by 中共济南市历下区委统战部",
        "Passed to 济南市发展和改革委员会",
        "Accepted by 济南市发展和改革委员会",
        "Solved: the result",
    ],
    "escalate": [
        "Received by 中共济南市历下区委统战部",
        "Reported to the province to coordinate",
        "The province decided: being handled by 省发改委",
        "Solved: the result",
    ],
    "explain": ["Received by 中共济南市历下区委统战部", "Cannot be done: the explanation"],
}


@pytest.mark.parametrize("disposition", ["solve", "refer", "escalate", "explain"])
def test_each_disposition_of_a_demand_on_the_enterprise_timeline(cast, enterprise, departments, handlers, disposition):
    problem = _triaged(cast, enterprise, departments, disposition, handlers)
    assert problem.status in {ProblemStatus.SOLVED, ProblemStatus.EXPLAINED}
    assert titles(problem) == EXPECTED_TITLES[disposition]
    steps = timeline_for_enterprise(problem)
    assert INTERNAL not in text_of(problem)
    for official in cast.values():
        assert official.display_name not in text_of(problem)
    if disposition == "explain":
        assert steps[-1].text == "该道路属于企业自有厂区，不在市政维修范围。"
        assert str(enterprise_state(problem)) == "Explained: awaiting your verdict"
    else:
        assert problem.deadline is not None
        assert [step.deadline for step in steps if step.deadline][-1] == problem.deadline
        assert steps[-1].text == "道路已修复。"
    # Satisfied closes it; the verdict is the door's.
    closed = services.record_door_verdict(problem=problem, verdict="satisfied", comment="谢谢")
    assert closed.status == ProblemStatus.CLOSED and closed.final_verdict == "satisfied"
    verdict = Verdict.objects.get(problem=closed)
    assert (verdict.channel, verdict.recorded_by, verdict.round) == (VerdictChannel.DOOR, None, 1)
    assert titles(closed)[-1] == "Your verdict: Satisfied"


def test_not_satisfied_reopens_and_a_second_verdict_on_the_round_is_refused(
    cast, enterprise, departments, handlers, django_capture_on_commit_callbacks
):
    problem = _triaged(cast, enterprise, departments, "solve", handlers)
    with django_capture_on_commit_callbacks(execute=True):
        reopened = services.record_door_verdict(problem=problem, verdict="not_satisfied", comment="路面仍有坑洼")
    assert reopened.status == ProblemStatus.REOPENED and reopened.handling_region_id == "370102"
    assert any(key.startswith(f"problem-reopened:{problem.pk}:") for key in keys_of(cast["county_staff"]))
    assert titles(reopened)[-2:] == ["Your verdict: Not satisfied", "Reopened, to be looked at again"]
    with pytest.raises(ValidationError):
        services.record_door_verdict(problem=reopened, verdict="satisfied")


def test_more_information_asked_and_answered_by_the_enterprise_pauses_and_resumes_the_clock(
    cast, enterprise, departments, handlers, django_capture_on_commit_callbacks
):
    monday = date(2026, 6, 1)
    problem = raise_demand(enterprise)
    problem = services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution="维修", department=departments["lx_dev"], today=monday
    )
    deadline = problem.deadline
    problem = services.pause_for_enterprise(
        actor=handlers["lx_dev"], problem=problem, reason="请提供道路破损照片和位置。", today=monday
    )
    assert problem.status == ProblemStatus.WAITING and not problem.clock_runs
    assert str(enterprise_state(problem)) == "Waiting for your information"
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.answer_from_enterprise(
            problem=problem, answer="照片已附，位置在厂区东门。", files=[photo("东门.png")], today=monday + timedelta(days=7)
        )
    assert answered.status == ProblemStatus.IN_PROGRESS and answered.paused_on is None and answered.clock_runs
    assert answered.paused_working_days == 5 and answered.deadline > deadline
    event = answered.events.last()
    assert (event.kind, event.actor, event.note) == (EventKind.RESUMED, None, "照片已附，位置在厂区东门。")
    assert any(key.startswith(f"problem-answered:{problem.pk}:") for key in keys_of(handlers["lx_dev"]))
    steps = timeline_for_enterprise(answered)
    assert [step.title for step in steps][-2:] == ["More information asked of you", "Your answer"]
    assert steps[-2].text == "请提供道路破损照片和位置。"
    assert steps[-1].files == ("东门.png",) and steps[-1].deadline == answered.deadline
    # Nothing to answer any more: refused, nothing written.
    with pytest.raises(ValidationError) as refused:
        services.answer_from_enterprise(problem=answered, answer="再补充一点")
    assert refused.value.code == "invalid_move"
    assert answered.events.count() == 4


def test_an_answer_with_a_disguised_file_is_refused_and_the_problem_still_waits(cast, enterprise, departments, handlers):
    problem = raise_demand(enterprise)
    problem = services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution="维修", department=departments["lx_dev"]
    )
    problem = services.pause_for_enterprise(actor=handlers["lx_dev"], problem=problem, reason="请提供照片。")
    with pytest.raises(ValidationError):
        services.answer_from_enterprise(problem=problem, answer="见附件", files=[SimpleUploadedFile("a.png", b"GIF89a....")])
    with pytest.raises(ValidationError):
        services.answer_from_enterprise(problem=problem, answer="   ")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.WAITING and problem.events.count() == 3


def test_the_staff_home_panel_counts_the_demands_waiting_in_the_region(cast, enterprise, django_assert_max_num_queries):
    from enterprises.tests.factories import EnterpriseFactory
    from problems.todo import DEMANDS_SHOWN, demands_panel

    for number in range(DEMANDS_SHOWN + 2):
        raise_demand(EnterpriseFactory(region_id="370102"), description=f"{DEMAND}第{number}号")
    raise_demand(EnterpriseFactory(region_id="370103"))
    with django_assert_max_num_queries(4):
        panel = demands_panel(cast["county_staff"])
        assert panel.context["count"] == DEMANDS_SHOWN + 2 and len(panel.context["demands"]) == DEMANDS_SHOWN
        [demand.enterprise.name + str(demand.category) for demand in panel.context["demands"]]
    assert demands_panel(cast["other_county_staff"]).context["count"] == 1
    assert demands_panel(cast["cadre"]) is None  # raises problems, does not triage them


def test_the_home_page_shows_staff_the_demands_waiting_for_triage(cast, enterprise):
    from django.test import Client
    from django.urls import reverse

    demand = raise_demand(enterprise)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast["county_staff"])
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-enterprise-demands"' in page
    assert "1 demand raised by an enterprise waits for triage" in page
    assert reverse("problems:detail", args=[demand.pk]) in page
    detail = client.get(reverse("problems:detail", args=[demand.pk])).content.decode()
    assert "The enterprise, through its door" in detail and "The enterprise itself" in detail
    client.force_login(cast["other_county_staff"])
    assert 'data-testid="home-enterprise-demands"' not in client.get(reverse("home")).content.decode()
