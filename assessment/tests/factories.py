"""Factories of the assessment's records and a small data set with hand-computed figures, shared by the
assessment's tests (others may import them: `AssessmentPeriodFactory`, `SchemeFactory`, `small_data_set`,
`scaled_data_set`, `on`).

`small_data_set()` lays out, through the domain apps' services wherever a state matters, the records of
the year 2025 whose figures `assessment/tests/test_indicators.py` states by hand: 历下区 (370102) has
almost everything, 市中区 (370103) a little, 槐荫区 (370104) and 淄博市 (370300) nothing at all.
Assess it with `AssessmentPeriodFactory()` (the year 2025) and `TODAY` (2026-01-20).
"""

from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import factory
from django.utils import timezone

from accounts.models import Department, Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.models import AssessmentPeriod, PeriodKind, Rule, Scheme, SchemeItem
from cases.models import CaseStatus
from cases.tests.factories import CaseFactory
from enterprises.credit_codes import build_credit_code
from enterprises.models import Status as EnterpriseStatus
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums.models import ForumStatus
from forums.tests.factories import AttendanceFactory, ForumFactory
from problems import services as problem_services
from problems.models import ExplanationChannel, Problem, ProblemStatus, Verdict, VerdictChoice
from problems.tests.factories import ProblemFactory, category
from reviews import services as review_services
from reviews.tests.factories import PracticeFactory, ReviewFactory
from visits.models import PolicyDelivery, SupportType, Visit, VisitStatus
from visits.services import save_visit
from visits.tests.factories import PolicyFactory

TODAY = date(2026, 1, 20)  # the year 2025 is over: its figures count up to 2025-12-31


def local(year, month, day, hour=10, minute=0):
    """A local (Asia/Shanghai) moment, aware, as stored."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@contextmanager
def on(moment):
    """Run the code inside at `moment`: `timezone.now()` and `timezone.localdate()` answer it.

    (A model field whose default is `timezone.now` itself keeps the real time: set those explicitly.)"""
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = local(moment.year, moment.month, moment.day)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class AssessmentPeriodFactory(factory.django.DjangoModelFactory):
    """The year 2025, open."""

    class Meta:
        model = AssessmentPeriod
        django_get_or_create = ["label"]

    label = "2025"
    kind = PeriodKind.YEAR
    start = date(2025, 1, 1)
    end = date(2025, 12, 31)


class SchemeFactory(factory.django.DjangoModelFactory):
    """The province's scheme for cities; `items=[(indicator, weight, target[, rule])]` lists what counts
    (by default liaison coverage alone, weight 100, target 100, linear)."""

    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    period = factory.SubFactory(AssessmentPeriodFactory)
    owner = factory.LazyFunction(lambda: Region.objects.get(code="370000"))
    assessed_level = "city"
    name = factory.Sequence(lambda n: f"考核方案{n}")

    @factory.post_generation
    def items(scheme, create, items, **kwargs):
        if not create:
            return
        for row in items if items is not None else [("liaison_coverage", 100, 100)]:
            code, weight, target, *rest = row
            SchemeItem.objects.create(
                scheme=scheme,
                indicator=code,
                weight=Decimal(str(weight)),
                target=Decimal(str(target)),
                rule=rest[0] if rest else Rule.LINEAR,
            )


# ---------------------------------------------------------------------------------------------------
# The small data set


def _enterprise(region_id, serial, **fields):
    return EnterpriseFactory(
        region_id=region_id, credit_code=build_credit_code(division=region_id, serial=30_000_000 + serial), **fields
    )


def _official(username, region_id, role, **fields):
    return UserFactory(username=username, region_id=region_id, roles=[role], **fields)


def submit_visit(cadre, enterprise, visited_on, recorded_at, *, policies=(), amounts=()):
    """A visit of `cadre` to `enterprise` on `visited_on`, first recorded (and submitted) at `recorded_at`,
    explaining `policies` and recording one delivery per amount."""
    with on(recorded_at):
        deliveries = [
            PolicyDelivery(policy=PolicyFactory(), support_type=SupportType.FUNDING, amount=Decimal(amount)) for amount in amounts
        ]
        return save_visit(
            actor=cadre,
            visit=Visit(enterprise=enterprise, visited_on=visited_on),
            companions=[],
            policies_explained=list(policies),
            deliveries=deliveries,
            attachments=[],
            submit=True,
        )


def phone_verdict(problem, choice, moment, *, staff):
    """The enterprise's verdict taken by phone by `staff` at `moment` (`Verdict.at` set to it)."""
    with on(moment):
        problem = problem_services.record_phone_verdict(
            actor=staff, problem=problem, verdict=choice, called_by=staff, called_at=moment
        )
    Verdict.objects.filter(pk=Verdict.objects.filter(problem=problem).latest("pk").pk).update(at=moment)
    return problem


def small_data_set():
    """Records of 2025 (and a few around it) with figures known by hand; see test_indicators.py."""
    lx = Region.objects.get(code="370102")
    jn = Region.objects.get(code="370100")
    d = SimpleNamespace()

    # Officials: liaison cadres of each level, 历下区's and 市中区's offices, a handler, the city and the province.
    d.lx_cadre = _official("as_lx_cadre", "370102", Role.CADRE)
    d.lx_cadre_gone = _official("as_lx_cadre_gone", "370102", Role.CADRE)
    d.jn_cadre = _official("as_jn_cadre", "370100", Role.CADRE)
    d.sd_cadre = _official("as_sd_cadre", "370000", Role.CADRE)
    d.lx_staff = _official("as_lx_staff", "370102", Role.STAFF)
    d.sz_staff = _official("as_sz_staff", "370103", Role.STAFF)
    d.jn_staff = _official("as_jn_staff", "370100", Role.STAFF)
    d.sd_staff = _official("as_sd_staff", "370000", Role.STAFF)
    d.lx_dev = Department.objects.create(region_id="370102", name="历下区发展和改革局（考核测试）")
    d.handler = _official("as_lx_handler", "370102", Role.HANDLER, department=d.lx_dev)
    d.sd_dev = Department.objects.get(region_id="370000", name="省发改委")

    # Enterprises: three operating in 历下区 and one deregistered; one in 市中区.
    d.e1 = _enterprise("370102", 1)
    d.e2 = _enterprise("370102", 2)
    d.e3 = _enterprise("370102", 3)
    d.e4 = _enterprise("370102", 4, status=EnterpriseStatus.DEREGISTERED)
    d.e5 = _enterprise("370103", 5)

    # Liaisons: 历下区's cadre for e1, e2 and the deregistered e4; a county liaison of e3 that ended in June;
    # 济南市's cadre for e1 and e5; the province's cadre for e2.
    since = date(2024, 1, 1)
    for enterprise in (d.e1, d.e2, d.e4):
        AssignmentFactory(enterprise=enterprise, official=d.lx_cadre, started_on=since)
    AssignmentFactory(enterprise=d.e3, official=d.lx_cadre_gone, started_on=since, ended_on=date(2025, 6, 30))
    for enterprise in (d.e1, d.e5):
        AssignmentFactory(enterprise=enterprise, official=d.jn_cadre, started_on=since)
    AssignmentFactory(enterprise=d.e2, official=d.sd_cadre, started_on=since)

    # Visits. 历下区 (county level): four submitted in 2025 (e1 three times, the deregistered e4 once), one
    # draft. Recorded the same day, 7 days later (late evening) and, for e4, 8 days later just after
    # midnight (still day 7 in UTC).
    policy = PolicyFactory()
    d.visits = [
        submit_visit(d.lx_cadre, d.e1, date(2025, 3, 3), local(2025, 3, 3, 18)),
        submit_visit(d.lx_cadre, d.e1, date(2025, 5, 6), local(2025, 5, 13, 23, 30)),
        submit_visit(d.lx_cadre, d.e4, date(2025, 4, 1), local(2025, 4, 9, 0, 30)),
        submit_visit(d.lx_cadre, d.e1, date(2025, 9, 1), local(2025, 9, 1), policies=[policy], amounts=["5.00", "7.25"]),
    ]
    with on(local(2025, 6, 1)):
        save_visit(
            actor=d.lx_cadre,
            visit=Visit(enterprise=d.e2, visited_on=date(2025, 6, 1)),
            companions=[],
            policies_explained=[policy],
            deliveries=[],
            attachments=[],
            submit=False,
        )
    # 济南市 (city level): e1 in December 2024 (another period), e5 in July with a policy and 10.50.
    submit_visit(d.jn_cadre, d.e1, date(2024, 12, 20), local(2024, 12, 20))
    submit_visit(d.jn_cadre, d.e5, date(2025, 7, 1), local(2025, 7, 1), policies=[policy], amounts=["10.50"])
    # The province: e2 in August with a policy and 20.00.
    submit_visit(d.sd_cadre, d.e2, date(2025, 8, 1), local(2025, 8, 1), policies=[policy], amounts=["20.00"])

    # Forums. 历下区 (quarterly): Q1 twice with minutes; Q2 held without minutes; Q3 only planned; Q4 just
    # after midnight on 1 October (still 30 September in UTC). 济南市 (half-yearly): H1 with minutes.
    def forum(region, moment, *, minutes="会议纪要。", status=ForumStatus.HELD):
        held = ForumFactory(region=region, starts_at=moment, status=status, minutes=minutes)
        AttendanceFactory(forum=held, enterprise=d.e1)
        return held

    d.forums = [
        forum(lx, local(2025, 2, 10)),
        forum(lx, local(2025, 3, 5)),
        forum(lx, local(2025, 5, 10), minutes=""),
        forum(lx, local(2025, 8, 10), minutes="", status=ForumStatus.PLANNED),
        forum(lx, local(2025, 10, 1, 0, 30)),
        forum(jn, local(2025, 6, 15)),
    ]

    _problems(d)
    _cases(d)
    _reviews(d)
    return d


def _raise(d, enterprise, moment, *, actor=None):
    with on(moment):
        return problem_services.raise_problem(
            actor=actor or d.lx_cadre, enterprise=enterprise, category=category(), description="企业反映融资难。"
        )


def _solve(d, problem, moment, deadline):
    with on(moment):
        return problem_services.triage_solve(
            actor=d.lx_staff, problem=problem, proposed_solution="协调银行。", department=d.lx_dev, deadline=deadline
        )


def _complete(d, problem, moment):
    with on(moment):
        return problem_services.complete(actor=d.handler, problem=problem, result="已解决。")


def _problems(d):
    """历下区's problems P1–P10 (no P8: 市中区's) as test_indicators.py describes them."""
    # P1: dispatched Mon 10 Feb, solved on its deadline day late in the evening; satisfied.
    p1 = _raise(d, d.e1, local(2025, 2, 10, 9))
    p1 = _solve(d, p1, local(2025, 2, 10), date(2025, 2, 28))
    p1 = _complete(d, p1, local(2025, 2, 28, 23, 30))
    p1 = phone_verdict(p1, VerdictChoice.SATISFIED, local(2025, 3, 3), staff=d.jn_staff)
    # P2: solved late in March, not satisfied (reopened); dispatched again on 14 April, solved on the 24th
    # within the new deadline; no verdict on the second solution yet.
    p2 = _raise(d, d.e1, local(2025, 3, 3, 9))
    p2 = _solve(d, p2, local(2025, 3, 3), date(2025, 3, 14))
    p2 = _complete(d, p2, local(2025, 3, 20))
    p2 = phone_verdict(p2, VerdictChoice.NOT_SATISFIED, local(2025, 3, 25), staff=d.jn_staff)
    assert p2.status == ProblemStatus.REOPENED
    p2 = _solve(d, p2, local(2025, 4, 14), date(2025, 4, 30))
    p2 = _complete(d, p2, local(2025, 4, 24))
    # P3: explained (no deadline, never dispatched); basically satisfied.
    p3 = _raise(d, d.e1, local(2025, 5, 5, 9))
    with on(local(2025, 5, 12)):
        p3 = problem_services.explain(
            actor=d.lx_staff,
            problem=p3,
            explanation="不符合政策。",
            given_on=date(2025, 5, 12),
            given_how=ExplanationChannel.PHONE,
        )
    p3 = phone_verdict(p3, VerdictChoice.BASICALLY, local(2025, 5, 20), staff=d.jn_staff)
    # P4: dispatched Tue 3 June with a deadline of Fri 13 June, solved just after midnight on the 14th
    # (the 13th in UTC): late. Closed without a verdict.
    p4 = _raise(d, d.e1, local(2025, 6, 3, 9))
    p4 = _solve(d, p4, local(2025, 6, 3), date(2025, 6, 13))
    p4 = _complete(d, p4, local(2025, 6, 14, 0, 30))
    with on(local(2025, 7, 1)):
        p4 = problem_services.close_without_verdict(actor=d.lx_staff, problem=p4, note="企业未回复。")
    # P5: in progress, deadline 31 July: overdue at the year's end.
    p5 = _raise(d, d.e1, local(2025, 7, 1, 9))
    p5 = _solve(d, p5, local(2025, 7, 1), date(2025, 7, 31))
    # P6: waiting on the enterprise since 10 August (deadline 29 August): paused, not overdue.
    p6 = _raise(d, d.e2, local(2025, 8, 1, 9))
    p6 = _solve(d, p6, local(2025, 8, 1), date(2025, 8, 29))
    with on(local(2025, 8, 10)):
        p6 = problem_services.pause_for_enterprise(actor=d.handler, problem=p6, reason="等待企业补充材料。")
    # P7: escalated on 2 September, decided by the province on the 15th with a deadline of 31 October:
    # answered, and overdue at the year's end.
    p7 = _raise(d, d.e2, local(2025, 9, 1, 9))
    with on(local(2025, 9, 2)):
        p7 = problem_services.escalate(actor=d.lx_staff, problem=p7, justification="需省级统筹。")
    with on(local(2025, 9, 15)):
        p7 = problem_services.decide_escalation(
            actor=d.sd_staff, problem=p7, decision="省发改委牵头。", department=d.sd_dev, deadline=date(2025, 10, 31)
        )
    # P8: 市中区's, escalated on 2 October, not decided yet.
    p8 = _raise(d, d.e5, local(2025, 10, 1, 9), actor=d.sz_staff)
    with on(local(2025, 10, 2)):
        p8 = problem_services.escalate(actor=d.sz_staff, problem=p8, justification="需省级统筹。")
    # P9: raised and dispatched Mon 16 December 2024 (deadline 27 December), solved 10 January 2025: late.
    p9 = _raise(d, d.e1, local(2024, 12, 16, 9))
    p9 = _solve(d, p9, local(2024, 12, 16), date(2024, 12, 27))
    p9 = _complete(d, p9, local(2025, 1, 10))
    # P10: raised 1 December 2025, solved 5 January 2026 (after the period), satisfied on 6 January 2026.
    p10 = _raise(d, d.e2, local(2025, 12, 1, 9))
    p10 = _solve(d, p10, local(2025, 12, 1), date(2025, 12, 31))
    p10 = _complete(d, p10, local(2026, 1, 5))
    p10 = phone_verdict(p10, VerdictChoice.SATISFIED, local(2026, 1, 6), staff=d.jn_staff)
    d.problems = SimpleNamespace(p1=p1, p2=p2, p3=p3, p4=p4, p5=p5, p6=p6, p7=p7, p8=p8, p9=p9, p10=p10)


def _cases(d):
    """历下区: one case nominated in 2025 and published in April; one nominated in December 2024 and
    published in February 2025. 市中区: one nominated in June 2025, not published."""
    published = {
        "status": CaseStatus.PUBLISHED,
        "consent_given": True,
        "consent_on": date(2025, 1, 1),
        "consent_by": "办公室主任",
    }
    CaseFactory(enterprise=d.e1, nominated_at=local(2025, 3, 1), published_at=local(2025, 4, 1), **published)
    CaseFactory(enterprise=d.e2, nominated_at=local(2024, 12, 1), published_at=local(2025, 2, 1), **published)
    CaseFactory(enterprise=d.e5, nominated_at=local(2025, 6, 1))


def _reviews(d):
    """Half-yearly reviews of 2025H1 (due 15 July): 历下区 submitted on 15 July late in the evening (on
    time), 市中区 just after midnight on the 16th (late), 济南市 still a draft. 历下区's practice is
    recommended by 济南市 in August 2025 and by the province in January 2026."""
    on_day = date(2025, 3, 1)
    lx = ReviewFactory(region=Region.objects.get(code="370102"), on=on_day)
    practice = PracticeFactory(review=lx)
    with on(local(2025, 7, 15, 23, 30)):
        lx = review_services.submit_review(actor=d.lx_staff, review=lx)
    sz = ReviewFactory(region=Region.objects.get(code="370103"), on=on_day)
    PracticeFactory(review=sz)
    with on(local(2025, 7, 16, 0, 30)):
        review_services.submit_review(actor=d.sz_staff, review=sz)
    ReviewFactory(region=Region.objects.get(code="370100"), on=on_day)
    with on(local(2025, 7, 20)):
        review_services.acknowledge_review(actor=d.jn_staff, review=lx)
    with on(local(2025, 8, 1)):
        review_services.recommend_practice(actor=d.jn_staff, practice=practice)
    with on(local(2026, 1, 2)):
        review_services.recommend_practice(actor=d.sd_staff, practice=practice)


# ---------------------------------------------------------------------------------------------------
# Data of any size, for the query-count guards


def scaled_data_set(size, *, region_id="370102", serial=0):
    """`size` enterprises of `region_id` with a county liaison, a submitted visit, a delivery, a problem
    solved on time with a verdict, a case and a counting forum each: every indicator has records. Laid
    out with factories (fast), dated in 2025."""
    region = Region.objects.get(code=region_id)
    cadre = _official(f"as_scaled_{region_id}_{serial}", region_id, Role.CADRE)
    policy = PolicyFactory()
    department = Department.objects.create(region=region, name=f"考核测试部门{region_id}-{serial}")
    for number in range(size):
        enterprise = _enterprise(region_id, 1000 + serial * 10_000 + number)
        AssignmentFactory(enterprise=enterprise, official=cadre, started_on=date(2024, 1, 1))
        visit = Visit.objects.create(
            enterprise=enterprise,
            region=region,
            cadre=cadre,
            level=region.level,
            visited_on=date(2025, 3, 3),
            status=VisitStatus.SUBMITTED,
            submitted_at=local(2025, 3, 3),
        )
        visit.policies_explained.set([policy])
        PolicyDelivery.objects.create(
            visit=visit, enterprise=enterprise, region=region, policy=policy, support_type=SupportType.FUNDING, amount=1
        )
        problem = ProblemFactory(
            enterprise=enterprise,
            raised_on=date(2025, 3, 3),
            status=ProblemStatus.CLOSED,
            dispatched_at=local(2025, 3, 4),
            deadline=date(2025, 3, 31),
            outcome="solved",
            outcome_at=local(2025, 3, 20),
            escalated_at=local(2025, 3, 5),
            escalation_decided_at=local(2025, 3, 6),
            feedback_round=1,
        )
        Verdict.objects.create(
            problem=problem, round=1, outcome="solved", verdict=VerdictChoice.SATISFIED, channel="link", at=local(2025, 3, 25)
        )
        ProblemFactory(
            enterprise=enterprise,
            raised_on=date(2025, 5, 5),
            status=ProblemStatus.IN_PROGRESS,
            handling_department=department,
            dispatched_at=local(2025, 5, 5),
            deadline=date(2025, 6, 1),
        )
        CaseFactory(enterprise=enterprise, nominated_at=local(2025, 4, 1))
        held = ForumFactory(region=region, starts_at=local(2025, 2, 1 + number % 27), status=ForumStatus.HELD, minutes="纪要")
        AttendanceFactory(forum=held, enterprise=enterprise)
    return Problem.objects.filter(region_id=region_id)
