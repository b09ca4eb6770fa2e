"""Raising problems, solving and explaining them, waiting on the enterprise: every move and every refusal."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from problems import services
from problems.lifecycle import TRANSITIONS, Action
from problems.models import (
    Disposition,
    EventKind,
    ExplanationChannel,
    Outcome,
    Problem,
    ProblemEventAttachment,
    ProblemStatus,
    Source,
    Urgency,
)
from problems.tests.factories import category
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"
MONDAY = date(2026, 9, 28)


def refused(match, code=None):
    """pytest.raises for a ValidationError whose message contains `match`."""
    return pytest.raises(ValidationError, match=match)


def kinds(problem):
    return list(problem.events.values_list("kind", flat=True))


# --- the table -------------------------------------------------------------------------------------


def test_every_action_has_a_row_in_the_table():
    assert {action for _state, action in TRANSITIONS} == set(Action)


def test_no_move_leaves_a_closed_problem_except_reopening():
    assert {action for state, action in TRANSITIONS if state == ProblemStatus.CLOSED} == {Action.REOPEN}


# --- raising ---------------------------------------------------------------------------------------


def test_cadre_raises_a_problem_for_the_liaison_office_of_their_region(cast, problem, enterprise):
    assert problem.status == ProblemStatus.NEW
    assert problem.region_id == enterprise.region_id == "370102"
    assert problem.office_region_id == problem.handling_region_id == "370102"
    assert problem.handling_department is None
    assert problem.raised_by == cast["cadre"]
    assert problem.deadline is None  # the clock starts at dispatch
    event = problem.events.get()
    assert (event.kind, event.actor, event.status) == (EventKind.RAISED, cast["cadre"], ProblemStatus.NEW)


def test_a_city_official_raises_a_problem_for_the_city_office(cast, enterprise):
    raised = services.raise_problem(
        actor=cast["city_staff"], enterprise=enterprise, category=category("land"), description="厂房用地手续办理缓慢。"
    )
    assert raised.region_id == "370102"
    assert raised.office_region_id == raised.handling_region_id == "370100"


def test_cadre_cannot_raise_a_problem_for_an_enterprise_of_another_county(cast, enterprise):
    with refused("only for enterprises of your region"):
        services.raise_problem(actor=cast["other_county_cadre"], enterprise=enterprise, category=category(), description="x")


def test_handler_and_reviewer_cannot_raise_problems(cast, handlers, enterprise):
    for official in (handlers["lx_dev"], cast["reviewer"]):
        with refused("cannot raise problems"):
            services.raise_problem(actor=official, enterprise=enterprise, category=category(), description="x")


def test_raising_needs_a_description_and_an_active_category(cast, enterprise):
    with refused("Describe the problem"):
        services.raise_problem(actor=cast["cadre"], enterprise=enterprise, category=category(), description="  ")
    retired = category("other")
    retired.is_active = False
    retired.save()
    with refused("no longer in use"):
        services.raise_problem(actor=cast["cadre"], enterprise=enterprise, category=retired, description="x")


def test_a_problem_cannot_be_raised_in_the_future(cast, enterprise):
    with refused("in the future"):
        services.raise_problem(
            actor=cast["cadre"],
            enterprise=enterprise,
            category=category(),
            description="x",
            raised_on=timezone.localdate() + timedelta(days=1),
        )


def make_visit(cadre, enterprise, status=VisitStatus.SUBMITTED):
    return Visit.objects.create(enterprise=enterprise, region_id=enterprise.region_id, cadre=cadre, level="county", status=status)


def test_a_problem_raised_on_a_visit_names_the_submitted_visit(cast, enterprise):
    visit = make_visit(cast["cadre"], enterprise)
    raised = services.raise_problem(
        actor=cast["cadre"], enterprise=enterprise, category=category(), description="x", source=Source.VISIT, visit=visit
    )
    assert raised.visit == visit
    assert list(visit.problems.all()) == [raised]


def test_visit_source_rules(cast, enterprise):
    raise_it = lambda **kwargs: services.raise_problem(  # noqa: E731
        actor=cast["cadre"], enterprise=enterprise, category=category(), description="x", **kwargs
    )
    with refused("Choose the visit"):
        raise_it(source=Source.VISIT)
    with refused("Submit the visit"):
        raise_it(source=Source.VISIT, visit=make_visit(cast["cadre"], enterprise, status=VisitStatus.DRAFT))
    with refused("another enterprise"):
        raise_it(source=Source.VISIT, visit=make_visit(cast["cadre"], EnterpriseFactory()))
    with refused("Only a problem raised on a visit"):
        raise_it(source=Source.ENTERPRISE, visit=make_visit(cast["cadre"], enterprise))
    with refused("Choose where"):
        raise_it(source="rumour")
    with refused("Choose how urgent"):
        raise_it(urgency="yesterday")
    assert not Problem.objects.exists()


# --- solve -----------------------------------------------------------------------------------------


def test_office_assigns_a_problem_to_solve_with_the_default_deadline(cast, problem, departments):
    assigned = services.triage_solve(
        actor=cast["county_staff"],
        problem=problem,
        proposed_solution="协调合作银行办理续贷。",
        department=departments["lx_dev"],
        today=MONDAY,
    )
    assert assigned.status == ProblemStatus.IN_PROGRESS
    assert assigned.disposition == Disposition.SOLVE
    assert assigned.handling_department == departments["lx_dev"]
    assert assigned.dispatched_at is not None
    assert assigned.deadline == date(2026, 10, 23)  # 15 working days, 国庆节 skipped
    event = assigned.events.last()
    assert (event.kind, event.to_department, event.deadline) == (EventKind.ASSIGNED, departments["lx_dev"], date(2026, 10, 23))


def test_the_urgency_sets_the_default_deadline(cast, problem, departments):
    services.update_problem(actor=cast["county_staff"], problem=problem, urgency=Urgency.URGENT)
    assigned = services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution="x", department=departments["lx_dev"], today=MONDAY
    )
    assert assigned.deadline == date(2026, 10, 10)  # 29, 30 Sep, 8, 9, 10 Oct (Saturday worked)


def test_office_may_set_the_deadline_but_not_in_the_past(cast, problem, departments):
    solve = lambda deadline: services.triage_solve(  # noqa: E731
        actor=cast["county_staff"],
        problem=problem,
        proposed_solution="x",
        department=departments["lx_dev"],
        deadline=deadline,
        today=MONDAY,
    )
    with refused("cannot be in the past"):
        solve(date(2026, 9, 25))
    assert solve(date(2026, 10, 9)).deadline == date(2026, 10, 9)


def test_solving_needs_a_proposed_solution_and_a_department_of_the_region(cast, problem, departments):
    with refused("Propose a solution"):
        services.triage_solve(actor=cast["county_staff"], problem=problem, proposed_solution="", department=departments["lx_dev"])
    with refused("Choose a department"):
        services.triage_solve(actor=cast["county_staff"], problem=problem, proposed_solution="x", department=None)
    with refused("to reach another region, refer it"):
        services.triage_solve(
            actor=cast["county_staff"], problem=problem, proposed_solution="x", department=departments["jn_dev"]
        )
    departments["lx_land"].is_active = False
    departments["lx_land"].save()
    with refused("no longer active"):
        services.triage_solve(
            actor=cast["county_staff"], problem=problem, proposed_solution="x", department=departments["lx_land"]
        )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.NEW
    assert kinds(problem) == [EventKind.RAISED]


@pytest.mark.parametrize("who", ["cadre", "handler", "reviewer", "other_county_staff", "city_staff", "province_staff"])
def test_only_the_office_holding_the_problem_triages_it(cast, problem, departments, who):
    with refused("Only 中共济南市历下区委统战部 can do this"):
        services.triage_solve(actor=cast[who], problem=problem, proposed_solution="x", department=departments["lx_dev"])


def test_a_department_handler_cannot_triage_even_in_the_county(problem, handlers, departments):
    with refused("Only 中共济南市历下区委统战部 can"):
        services.triage_solve(actor=handlers["lx_dev"], problem=problem, proposed_solution="x", department=departments["lx_dev"])


def test_a_county_administrator_triages_as_the_office(cast, problem, departments):
    assigned = services.triage_solve(
        actor=cast["county_admin"], problem=problem, proposed_solution="x", department=departments["lx_dev"]
    )
    assert assigned.status == ProblemStatus.IN_PROGRESS


# --- complete --------------------------------------------------------------------------------------


def test_the_department_handler_records_the_result(solved, handlers, departments):
    assert solved.status == ProblemStatus.SOLVED
    assert solved.outcome == Outcome.SOLVED
    assert solved.result == "银行已办理续贷500万元。"
    assert solved.outcome_by == handlers["lx_dev"]
    assert solved.outcome_department == departments["lx_dev"]
    assert solved.feedback_round == 1
    assert kinds(solved) == [EventKind.RAISED, EventKind.ASSIGNED, EventKind.SOLVED]
    assert not solved.clock_runs


def test_closing_without_a_result_is_refused(in_progress, handlers):
    with refused("cannot be marked solved without its result"):
        services.complete(actor=handlers["lx_dev"], problem=in_progress, result="   ")
    in_progress.refresh_from_db()
    assert in_progress.status == ProblemStatus.IN_PROGRESS


def test_a_new_problem_cannot_be_completed_or_closed(cast, problem):
    with refused("You cannot record the result of a problem that is “Awaiting triage”"):
        services.complete(actor=cast["county_staff"], problem=problem, result="x")
    with refused("You cannot close a problem"):
        services.close_without_verdict(actor=cast["county_staff"], problem=problem, note="x")


def test_a_handler_of_another_county_cannot_act_on_the_problem(in_progress, handlers):
    with refused("held by 历下区发展和改革局; only they can act on it"):
        services.complete(actor=handlers["sz_dev"], problem=in_progress, result="x")


def test_a_handler_of_another_department_of_the_county_cannot_act_on_it(in_progress, handlers):
    with refused("held by 历下区发展和改革局"):
        services.complete(actor=handlers["lx_land"], problem=in_progress, result="x")


def test_staff_above_the_holder_see_but_do_not_act(cast, in_progress):
    assert Problem.objects.visible_to(cast["city_staff"]).filter(pk=in_progress.pk).exists()
    with refused("held by 历下区发展和改革局"):
        services.complete(actor=cast["city_staff"], problem=in_progress, result="x")


def test_the_office_may_record_the_result_for_its_department(cast, in_progress):
    assert services.complete(actor=cast["county_staff"], problem=in_progress, result="x").status == ProblemStatus.SOLVED


def test_a_stale_copy_cannot_move_a_problem_twice(in_progress, handlers):
    services.complete(actor=handlers["lx_dev"], problem=in_progress, result="x")
    # `in_progress` still says "in progress"; the locked row says otherwise.
    with refused("You cannot record the result of a problem that is “Solved, awaiting feedback”"):
        services.complete(actor=handlers["lx_dev"], problem=in_progress, result="y")


# --- explain ---------------------------------------------------------------------------------------


def test_the_office_explains_a_problem_that_does_not_meet_policy(cast, problem):
    today = timezone.localdate()
    explained = services.explain(
        actor=cast["county_staff"],
        problem=problem,
        explanation="该项目不符合专项资金申报条件，已当面解释政策。",
        given_on=today,
        given_how=ExplanationChannel.IN_PERSON,
    )
    assert explained.status == ProblemStatus.EXPLAINED
    assert explained.disposition == Disposition.EXPLAIN
    assert explained.outcome == Outcome.EXPLAINED
    assert (explained.explanation_given_on, explained.explanation_given_how) == (today, ExplanationChannel.IN_PERSON)
    assert explained.feedback_round == 1
    assert explained.events.last().kind == EventKind.EXPLAINED


def test_the_department_explains_a_problem_it_holds(in_progress, handlers):
    explained = services.explain(
        actor=handlers["lx_dev"], problem=in_progress, explanation="x", given_on=timezone.localdate(), given_how="phone"
    )
    assert explained.status == ProblemStatus.EXPLAINED


def test_an_explanation_says_what_when_and_how(cast, problem):
    today = timezone.localdate()
    explain = lambda **kwargs: services.explain(actor=cast["county_staff"], problem=problem, **kwargs)  # noqa: E731
    with refused("Record the explanation"):
        explain(explanation="", given_on=today, given_how="phone")
    with refused("Say when"):
        explain(explanation="x", given_on=None, given_how="phone")
    with refused("in the future"):
        explain(explanation="x", given_on=today + timedelta(days=1), given_how="phone")
    with refused("before the problem was raised"):
        explain(explanation="x", given_on=problem.raised_on - timedelta(days=1), given_how="phone")
    with refused("Say how"):
        explain(explanation="x", given_on=today, given_how="carrier pigeon")


def test_a_handler_cannot_explain_a_problem_awaiting_triage(problem, handlers):
    with refused("Only 中共济南市历下区委统战部 can"):
        services.explain(
            actor=handlers["lx_dev"], problem=problem, explanation="x", given_on=timezone.localdate(), given_how="phone"
        )


# --- waiting on the enterprise ---------------------------------------------------------------------


@pytest.fixture
def started_on_monday(cast, problem, departments):
    return services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution="x", department=departments["lx_dev"], today=MONDAY
    )


def test_waiting_on_the_enterprise_stops_the_clock_and_moves_the_deadline(started_on_monday, handlers):
    assert started_on_monday.deadline == date(2026, 10, 23)
    paused = services.pause_for_enterprise(
        actor=handlers["lx_dev"], problem=started_on_monday, reason="等待企业补充财务报表。", today=date(2026, 10, 20)
    )
    assert (paused.status, paused.paused_on) == (ProblemStatus.WAITING, date(2026, 10, 20))
    assert not Problem.objects.overdue(today=date(2026, 10, 26)).exists()  # paused: not overdue
    resumed = services.resume(actor=handlers["lx_dev"], problem=paused, today=date(2026, 10, 27))
    assert resumed.status == ProblemStatus.IN_PROGRESS
    assert resumed.paused_on is None
    assert resumed.deadline == date(2026, 10, 30)
    assert resumed.paused_working_days == 5
    assert kinds(resumed)[-2:] == [EventKind.PAUSED, EventKind.RESUMED]
    assert resumed.events.last().deadline == date(2026, 10, 30)


def test_pauses_add_up(started_on_monday, handlers):
    problem = started_on_monday
    for paused_on, resumed_on in [(date(2026, 10, 12), date(2026, 10, 13)), (date(2026, 10, 14), date(2026, 10, 16))]:
        problem = services.pause_for_enterprise(actor=handlers["lx_dev"], problem=problem, reason="x", today=paused_on)
        problem = services.resume(actor=handlers["lx_dev"], problem=problem, today=resumed_on)
    assert problem.paused_working_days == 3
    assert problem.deadline == date(2026, 10, 28)


def test_a_paused_problem_must_resume_before_anything_else(started_on_monday, handlers):
    with refused("Say what the enterprise"):
        services.pause_for_enterprise(actor=handlers["lx_dev"], problem=started_on_monday, reason="")
    paused = services.pause_for_enterprise(actor=handlers["lx_dev"], problem=started_on_monday, reason="x", today=MONDAY)
    with refused("You cannot record the result of a problem that is “Waiting on the enterprise”"):
        services.complete(actor=handlers["lx_dev"], problem=paused, result="x")
    with refused("cannot resume before it was paused"):
        services.resume(actor=handlers["lx_dev"], problem=paused, today=MONDAY - timedelta(days=1))


def test_only_the_holder_pauses(started_on_monday, handlers):
    with refused("held by 历下区发展和改革局"):
        services.pause_for_enterprise(actor=handlers["sz_dev"], problem=started_on_monday, reason="x")


# --- notes, edits, attachments ---------------------------------------------------------------------


def test_the_holder_adds_a_progress_note_with_a_document(in_progress, handlers):
    noted = services.add_note(
        actor=handlers["lx_dev"],
        problem=in_progress,
        note="已约谈银行。",
        attachments=[SimpleUploadedFile("约谈纪要.pdf", PDF, content_type="application/pdf")],
    )
    event = noted.events.last()
    assert (event.kind, event.note, event.status) == (EventKind.NOTE, "已约谈银行。", ProblemStatus.IN_PROGRESS)
    attachment = event.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.uploaded_by) == (
        "约谈纪要.pdf",
        "application/pdf",
        handlers["lx_dev"],
    )


def test_a_note_needs_text_or_a_file_and_a_holder(in_progress, handlers):
    with refused("Write a note"):
        services.add_note(actor=handlers["lx_dev"], problem=in_progress, note=" ")
    with refused("held by"):
        services.add_note(actor=handlers["lx_land"], problem=in_progress, note="x")


def test_a_bad_attachment_refuses_the_whole_move(in_progress, handlers):
    renamed = SimpleUploadedFile("结果.pdf", b"MZ not a pdf", content_type="application/pdf")
    with refused("content does not match its name"):
        services.complete(actor=handlers["lx_dev"], problem=in_progress, result="x", attachments=[renamed])
    in_progress.refresh_from_db()
    assert in_progress.status == ProblemStatus.IN_PROGRESS
    assert not ProblemEventAttachment.objects.exists()


def test_the_office_corrects_details_while_triaging(cast, problem):
    edited = services.update_problem(actor=cast["county_staff"], problem=problem, category=category("land"), urgency="urgent")
    assert (edited.category.key, edited.urgency) == ("land", Urgency.URGENT)
    assert edited.events.last().kind == EventKind.EDITED
    # Nothing changed, nothing written.
    services.update_problem(actor=cast["county_staff"], problem=edited, urgency="urgent")
    assert edited.events.filter(kind=EventKind.EDITED).count() == 1


def test_details_are_fixed_once_dispatched(cast, in_progress):
    with refused("You cannot change a problem that is “In progress”"):
        services.update_problem(actor=cast["county_staff"], problem=in_progress, urgency="urgent")


# --- what a page may offer -------------------------------------------------------------------------


def test_available_actions_follow_the_table_and_the_actor(cast, problem, in_progress, handlers):
    problem.refresh_from_db()
    assert services.available_actions(cast["county_staff"], in_progress) == [
        Action.REFER,
        Action.ESCALATE,
        Action.EXPLAIN,
        Action.COMPLETE,
        Action.PAUSE,
        Action.NOTE,
    ]
    assert services.available_actions(handlers["lx_dev"], in_progress) == [
        Action.REFER,
        Action.EXPLAIN,
        Action.COMPLETE,
        Action.PAUSE,
        Action.NOTE,
    ]
    for official in (handlers["sz_dev"], cast["city_staff"], cast["cadre"], cast["reviewer"]):
        assert services.available_actions(official, in_progress) == []


def test_available_actions_of_a_new_problem(cast, problem):
    assert set(services.available_actions(cast["county_staff"], problem)) == {
        Action.SOLVE,
        Action.REFER,
        Action.ESCALATE,
        Action.EXPLAIN,
        Action.EDIT,
        Action.NOTE,
    }


def test_an_inactive_official_can_do_nothing(cast, in_progress):
    staff = UserFactory(username="t_lx_staff_gone", region_id="370102", roles=[Role.STAFF], is_active=False)
    assert services.available_actions(staff, in_progress) == []
