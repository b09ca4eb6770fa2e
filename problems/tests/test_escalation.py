"""Escalate (重大问题需省级层面统筹解决的): to the province with a reason; the province sees every
escalated problem in one list and records its decision."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.credit_codes import build_credit_code
from enterprises.tests.factories import EnterpriseFactory
from problems import services
from problems.models import Disposition, EventKind, Problem, ProblemStatus
from problems.tests.factories import category

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 9, 28)


def refused(match):
    return pytest.raises(ValidationError, match=match)


@pytest.fixture
def escalated(cast, problem):
    return services.escalate(actor=cast["county_staff"], problem=problem, justification="涉及跨市土地指标调剂，需省级统筹。")


def test_the_office_escalates_with_a_reason(escalated):
    assert escalated.status == ProblemStatus.ESCALATED
    assert escalated.disposition == Disposition.ESCALATE
    assert (escalated.handling_region_id, escalated.handling_department) == ("370000", None)
    assert escalated.escalated_at is not None
    event = escalated.events.last()
    assert (event.kind, event.from_region_id, event.to_region_id, event.note) == (
        EventKind.ESCALATED,
        "370102",
        "370000",
        "涉及跨市土地指标调剂，需省级统筹。",
    )


def test_escalating_without_a_reason_is_refused(cast, problem):
    with refused("why the province must coordinate"):
        services.escalate(actor=cast["county_staff"], problem=problem, justification="  ")


def test_a_handler_cannot_escalate_even_what_it_holds(in_progress, handlers):
    with refused("Only 中共济南市历下区委统战部 can"):
        services.escalate(actor=handlers["lx_dev"], problem=in_progress, justification="x")


def test_the_office_escalates_a_problem_its_department_works_on(cast, in_progress):
    escalated = services.escalate(actor=cast["county_staff"], problem=in_progress, justification="x")
    assert (escalated.status, escalated.handling_department) == (ProblemStatus.ESCALATED, None)
    assert escalated.deadline == in_progress.deadline  # the clock keeps running


def test_the_province_sees_every_escalated_problem_in_one_list(cast, escalated):
    zaozhuang_staff = UserFactory(username="t_zz_staff", region_id="370402", roles=[Role.STAFF])
    zaozhuang = EnterpriseFactory(region_id="370402", credit_code=build_credit_code(division="370402", serial=20_000_001))
    elsewhere = services.raise_problem(actor=zaozhuang_staff, enterprise=zaozhuang, category=category("land"), description="x")
    elsewhere = services.escalate(actor=zaozhuang_staff, problem=elsewhere, justification="y")
    assert set(Problem.objects.escalated().visible_to(cast["province_staff"])) == {escalated, elsewhere}
    assert list(Problem.objects.escalated().held_by(cast["province_staff"]).order_by("pk")) == [escalated, elsewhere]
    # 济南市 sees its own county's escalation, not 枣庄's.
    assert list(Problem.objects.escalated().visible_to(cast["city_staff"])) == [escalated]


def test_the_province_records_its_decision_and_names_who_carries_it_out(cast, escalated, departments, handlers):
    decided = services.decide_escalation(
        actor=cast["province_staff"],
        problem=escalated,
        decision="由省发改委牵头，会同自然资源厅研究解决。",
        department=departments["sd_dev"],
        today=MONDAY,
    )
    assert decided.status == ProblemStatus.IN_PROGRESS
    assert decided.escalation_decision == "由省发改委牵头，会同自然资源厅研究解决。"
    assert (decided.escalation_decided_by, decided.handling_department) == (cast["province_staff"], departments["sd_dev"])
    assert decided.deadline == date(2026, 10, 23)  # the clock starts at this first dispatch
    assert decided.events.last().kind == EventKind.DECIDED
    assert list(Problem.objects.held_by(handlers["sd_dev"])) == [decided]
    assert not Problem.objects.escalated().exists()
    assert list(Problem.objects.ever_escalated()) == [decided]


def test_a_decision_needs_its_text_and_a_department(cast, escalated, departments):
    with refused("Record the province's decision"):
        services.decide_escalation(actor=cast["province_staff"], problem=escalated, decision="", department=departments["sd_dev"])
    with refused("Choose a department"):
        services.decide_escalation(actor=cast["province_staff"], problem=escalated, decision="x", department=None)


@pytest.mark.parametrize("who", ["county_staff", "city_staff", "reviewer", "cadre"])
def test_only_the_province_office_decides(cast, escalated, departments, who):
    with refused("Only 中共山东省委统战部 can"):
        services.decide_escalation(actor=cast[who], problem=escalated, decision="x", department=departments["sd_dev"])


def test_a_province_department_handler_does_not_decide(escalated, handlers, departments):
    with refused("Only 中共山东省委统战部 can"):
        services.decide_escalation(actor=handlers["sd_dev"], problem=escalated, decision="x", department=departments["sd_dev"])


def test_the_decision_may_set_a_later_deadline(cast, in_progress, departments):
    escalated = services.escalate(actor=cast["county_staff"], problem=in_progress, justification="x")
    later = date(2027, 3, 31)
    decided = services.decide_escalation(
        actor=cast["province_staff"], problem=escalated, decision="y", department=departments["lx_dev"], deadline=later
    )
    assert (decided.deadline, decided.handling_region_id) == (later, "370102")


def test_the_decision_may_hand_the_problem_to_another_county(cast, escalated, departments, handlers):
    decided = services.decide_escalation(
        actor=cast["province_staff"], problem=escalated, decision="由市中区承办。", department=departments["sz_dev"]
    )
    assert services.complete(actor=handlers["sz_dev"], problem=decided, result="x").status == ProblemStatus.SOLVED
