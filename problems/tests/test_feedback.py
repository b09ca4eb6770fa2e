"""Closing the loop: the enterprise's signed, expiring, once-per-round link, and verdicts by phone."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from problems import services
from problems.feedback import tokens as feedback
from problems.models import EventKind, Outcome, ProblemStatus, Verdict, VerdictChannel, VerdictChoice
from problems.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def refused(match):
    return pytest.raises(ValidationError, match=match)


def link_error(token, **kwargs):
    with pytest.raises(ValidationError) as caught:
        feedback.read_feedback_token(token, **kwargs)
    return caught.value.code


# --- the link --------------------------------------------------------------------------------------


def test_a_link_is_made_only_for_a_problem_awaiting_feedback(problem):
    with pytest.raises(ValueError):
        feedback.make_feedback_token(problem)


def test_a_token_reads_back_its_problem_and_round(solved):
    assert feedback.read_feedback_token(feedback.make_feedback_token(solved)) == (solved, 1)


def test_satisfied_through_the_link_closes_the_problem(solved):
    closed = feedback.submit_feedback(
        token=feedback.make_feedback_token(solved), verdict=VerdictChoice.SATISFIED, comment="很满意"
    )
    assert closed.status == ProblemStatus.CLOSED
    assert closed.final_verdict == VerdictChoice.SATISFIED
    assert closed.closed_at is not None
    verdict = Verdict.objects.get()
    assert (verdict.round, verdict.outcome, verdict.channel, verdict.recorded_by, verdict.comment) == (
        1,
        Outcome.SOLVED,
        VerdictChannel.LINK,
        None,
        "很满意",
    )
    event = closed.events.last()
    assert (event.kind, event.actor, event.verdict) == (EventKind.VERDICT, None, VerdictChoice.SATISFIED)


def test_a_link_is_used_once(solved):
    token = feedback.make_feedback_token(solved)
    feedback.submit_feedback(token=token, verdict=VerdictChoice.BASICALLY)
    assert link_error(token) == "used"
    with refused("already been recorded"):
        feedback.submit_feedback(token=token, verdict=VerdictChoice.NOT_SATISFIED)
    assert Verdict.objects.count() == 1


def test_an_old_link_has_expired(solved):
    thirty_one_days_ago = time.time() - timedelta(days=31).total_seconds()
    with mock.patch("time.time", return_value=thirty_one_days_ago):
        token = feedback.make_feedback_token(solved)
    assert link_error(token) == "expired"
    assert feedback.read_feedback_token(token, max_age=timedelta(days=40)) == (solved, 1)


def test_a_tampered_link_is_refused(solved):
    token = feedback.make_feedback_token(solved)
    assert link_error(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) == "invalid"
    assert link_error("not-a-token") == "invalid"
    assert link_error("") == "invalid"


def test_a_link_cannot_be_turned_to_another_problem(solved):
    other = ProblemFactory(status=ProblemStatus.SOLVED, outcome=Outcome.SOLVED, feedback_round=1)
    mine, theirs = feedback.make_feedback_token(solved), feedback.make_feedback_token(other)
    # Their payload under my signature, and a payload signed without our salt.
    assert link_error(theirs.split(":")[0] + ":" + ":".join(mine.split(":")[1:])) == "invalid"
    assert link_error(signing.dumps({"p": other.pk, "r": 1})) == "invalid"
    assert link_error(signing.dumps({"p": other.pk, "r": 1}, salt="problems.other")) == "invalid"


def test_a_link_to_a_missing_problem_or_round_is_invalid(solved):
    assert link_error(signing.dumps({"p": 999_999, "r": 1}, salt=feedback.SALT)) == "invalid"
    assert link_error(signing.dumps({"p": solved.pk, "r": 2}, salt=feedback.SALT)) == "invalid"
    assert link_error(signing.dumps({"problem": solved.pk}, salt=feedback.SALT)) == "invalid"


def test_not_satisfied_reopens_the_problem_for_the_office(solved, cast, departments, handlers):
    token = feedback.make_feedback_token(solved)
    reopened = feedback.submit_feedback(token=token, verdict=VerdictChoice.NOT_SATISFIED, comment="续贷额度不足。")
    assert reopened.status == ProblemStatus.REOPENED
    assert (reopened.handling_region_id, reopened.handling_department) == ("370102", None)
    assert (reopened.outcome, reopened.result, reopened.deadline, reopened.dispatched_at) == ("", "", None, None)
    assert [event.kind for event in reopened.events.all()][-2:] == [EventKind.VERDICT, EventKind.REOPENED]
    assert Verdict.objects.get().verdict == VerdictChoice.NOT_SATISFIED
    assert link_error(token) == "used"
    # The office looks again; the next result opens round 2 with a new link, and the old one is superseded.
    again = services.triage_solve(
        actor=cast["county_staff"], problem=reopened, proposed_solution="追加担保。", department=departments["lx_dev"]
    )
    assert again.deadline is not None  # a new round of work, a new clock
    again = services.complete(actor=handlers["lx_dev"], problem=again, result="追加授信200万元。")
    assert again.feedback_round == 2
    assert link_error(token) == "superseded"
    closed = feedback.submit_feedback(token=feedback.make_feedback_token(again), verdict=VerdictChoice.SATISFIED)
    assert closed.status == ProblemStatus.CLOSED
    assert list(Verdict.objects.values_list("round", "verdict")) == [(1, "not_satisfied"), (2, "satisfied")]


def test_a_link_to_a_problem_closed_without_verdict_is_refused(solved, cast):
    token = feedback.make_feedback_token(solved)
    services.close_without_verdict(actor=cast["county_staff"], problem=solved, note="企业多次联系未回复。")
    assert link_error(token) == "closed"


def test_the_feedback_page_shows_only_the_problem_and_its_result(solved):
    summary = feedback.feedback_summary(solved)
    assert summary.result == "银行已办理续贷500万元。"
    assert summary.outcome == "Solved"
    assert summary.description == solved.description
    assert summary.feedback_round == 1
    assert set(vars(summary)) == {
        "category",
        "description",
        "status",
        "outcome",
        "result",
        "explanation",
        "explained_on",
        "explained_how",
        "feedback_round",
    }


def test_an_explanation_is_judged_through_the_link_too(cast, problem):
    explained = services.explain(
        actor=cast["county_staff"],
        problem=problem,
        explanation="不符合条件。",
        given_on=timezone.localdate(),
        given_how="written",
    )
    closed = feedback.submit_feedback(token=feedback.make_feedback_token(explained), verdict=VerdictChoice.BASICALLY)
    assert closed.status == ProblemStatus.CLOSED
    assert Verdict.objects.get().outcome == Outcome.EXPLAINED


def test_an_unknown_verdict_is_refused(solved):
    with refused("Choose satisfied"):
        feedback.submit_feedback(token=feedback.make_feedback_token(solved), verdict="delighted")
    assert not Verdict.objects.exists()


# --- by phone --------------------------------------------------------------------------------------


def phone(actor, problem, verdict=VerdictChoice.SATISFIED, called_by=None, **kwargs):
    return services.record_phone_verdict(
        actor=actor,
        problem=problem,
        verdict=verdict,
        called_by=called_by or actor,
        called_at=kwargs.pop("called_at", timezone.now() - timedelta(hours=1)),
        **kwargs,
    )


def test_liaison_office_staff_record_a_verdict_taken_by_phone(solved, cast):
    closed = phone(cast["county_staff"], solved, VerdictChoice.BASICALLY, comment="电话回访：基本满意。")
    assert (closed.status, closed.final_verdict) == (ProblemStatus.CLOSED, VerdictChoice.BASICALLY)
    verdict = Verdict.objects.get()
    assert (verdict.channel, verdict.recorded_by, verdict.called_by) == (
        VerdictChannel.PHONE,
        cast["county_staff"],
        cast["county_staff"],
    )
    assert closed.events.last().actor == cast["county_staff"]


def test_staff_above_the_office_may_call_too(solved, cast):
    assert phone(cast["city_staff"], solved).status == ProblemStatus.CLOSED


def test_the_handler_whose_work_is_judged_cannot_record_the_verdict(solved, handlers):
    with refused("in charge of this problem, can do this"):
        phone(handlers["lx_dev"], solved)


def test_an_administrator_of_the_judged_department_cannot_record_the_verdict(solved, cast, departments):
    cast["county_admin"].department = departments["lx_dev"]
    cast["county_admin"].save()
    with refused("cannot be recorded by whoever handled it"):
        phone(cast["county_admin"], solved)


def test_staff_who_recorded_the_result_cannot_record_the_verdict_but_a_colleague_can(in_progress, cast):
    solved_by_office = services.complete(actor=cast["county_staff"], problem=in_progress, result="x")
    with refused("cannot be recorded by whoever handled it"):
        phone(cast["county_staff"], solved_by_office)
    colleague = UserFactory(username="t_lx_staff2", region_id="370102", roles=[Role.STAFF])
    assert phone(colleague, solved_by_office).status == ProblemStatus.CLOSED


def test_the_caller_cannot_be_the_judged_handler(solved, cast, handlers):
    with refused("cannot be taken by whoever handled it"):
        phone(cast["county_staff"], solved, called_by=handlers["lx_dev"])


def test_a_phone_verdict_says_when_the_call_was(solved, cast):
    with refused("Say when the enterprise was called"):
        phone(cast["county_staff"], solved, called_at=timezone.now() + timedelta(hours=1))


def test_other_county_staff_cannot_record_a_verdict(solved, cast):
    with refused("Only 中共济南市历下区委统战部, in charge of this problem"):
        phone(cast["other_county_staff"], solved)


def test_not_satisfied_by_phone_reopens(solved, cast):
    reopened = phone(cast["county_staff"], solved, VerdictChoice.NOT_SATISFIED)
    assert reopened.status == ProblemStatus.REOPENED
    # The enterprise's link for that round is now spent.
    assert link_error(signing.dumps({"p": solved.pk, "r": 1}, salt=feedback.SALT)) == "used"


def test_no_verdict_before_a_result(in_progress, cast):
    with refused("You cannot record a verdict on a problem that is “In progress”"):
        phone(cast["county_staff"], in_progress)


# --- closing without a verdict, reopening ----------------------------------------------------------


def test_closing_without_a_verdict_needs_a_reason_and_the_office(solved, cast, handlers):
    with refused("Say why"):
        services.close_without_verdict(actor=cast["county_staff"], problem=solved, note="")
    with refused("in charge of this problem, can do this"):
        services.close_without_verdict(actor=handlers["lx_dev"], problem=solved, note="x")
    closed = services.close_without_verdict(actor=cast["county_staff"], problem=solved, note="企业已注销。")
    assert (closed.status, closed.final_verdict) == (ProblemStatus.CLOSED, "")
    assert closed.events.last().kind == EventKind.CLOSED


def test_the_office_reopens_a_closed_problem_with_a_reason(solved, cast):
    closed = phone(cast["county_staff"], solved)
    with refused("reason for reopening"):
        services.reopen(actor=cast["county_staff"], problem=closed, reason=" ")
    reopened = services.reopen(actor=cast["county_staff"], problem=closed, reason="企业再次反映。")
    assert (reopened.status, reopened.final_verdict, reopened.closed_at) == (ProblemStatus.REOPENED, "", None)
    assert reopened.events.last().kind == EventKind.REOPENED
