"""Demo problems: raised on the demo visits, and at a forum, then taken through the state machine.

Every state and disposition appears in 历下区 and 市中区 (some problems overdue, some with the
enterprise's verdict), problems of the other demo counties wait for triage, and a group of financing
problems of 历下区 shows on the common problems page. Everything goes through problems.services,
so every problem has its timeline. Deterministic and idempotent: a visit that already has a problem,
or a forum problem already on the list, is left alone.
"""

from datetime import timedelta

from django.db import transaction

from accounts.models import Department, User
from enterprises.models import Enterprise
from visits.models import Visit, VisitStatus

from . import services
from .feedback.tokens import make_feedback_token, submit_feedback
from .models import Category, ExplanationChannel, Problem, Source, Urgency

# What the demo visits raise (visits.demo.PROBLEMS) and the category each belongs to.
CATEGORY_OF = {
    "新建厂房用地指标尚未落实": "land",
    "研发费用加计扣除申报不熟悉": "taxes-fees",
    "周边道路施工影响货物运输": "utilities-infrastructure",
    "招聘技术工人困难": "labour-talent",
}
# The united-front staff who act for each demo liaison office, and the handler of 历下区.
OFFICE_STAFF = {"370102": "lx_staff", "370103": "sz_staff", "370100": "jn_staff", "370000": "sd_staff"}
HANDLERS = {"370102": "lx_handler"}
# The story of the n-th visit problem of an office, in turn.
SCENARIOS = [
    "new",
    "in_progress",
    "overdue",
    "solved",
    "closed_satisfied",
    "explained_closed",
    "referred",
    "escalated",
    "waiting",
    "reopened",
    "returned",
    "due_soon",
    "explained",
    "overdue",
]
PER_OFFICE = len(SCENARIOS)
# Other counties: a few problems waiting for triage each.
OTHER_COUNTY_PROBLEMS = 3

FORUM_NOTE = "2026年民营企业座谈会"
FINANCING_PROBLEMS = [
    "企业流动资金紧张，银行续贷审批慢，希望协调合作银行加快授信。",
    "流动资金紧张，银行续贷审批时间长，希望协调银行加快授信审批。",
    "企业流动资金紧张，申请银行续贷审批慢，盼协调合作银行加快授信。",
    "受回款周期影响流动资金紧张，银行续贷审批慢，希望协调加快授信。",
]


def _users():
    names = set(OFFICE_STAFF.values()) | set(HANDLERS.values())
    return {user.username: user for user in User.objects.filter(username__in=names, is_active=True)}


def _departments(region_id):
    return list(
        Department.objects.filter(region_id=region_id, is_active=True).exclude(unit_type__key="united-front").order_by("pk")
    )


def _solving_department(office_id, users):
    handler = users.get(HANDLERS.get(office_id, ""))
    if handler is not None and handler.department_id:
        return handler.department, handler
    departments = _departments(office_id)
    return (departments[0] if departments else None), None


def _feedback(problem, verdict, comment=""):
    return submit_feedback(token=make_feedback_token(problem), verdict=verdict, comment=comment)


def _play(problem, scenario, *, today, users):
    """Take a new problem through `scenario`. Returns it as saved."""
    office_id = problem.office_region_id
    staff = users.get(OFFICE_STAFF.get(office_id, ""))
    if scenario == "new" or staff is None:
        return problem
    department, handler = _solving_department(office_id, users)
    holder = handler or staff
    if department is None:
        return problem

    def solve(start):
        return services.triage_solve(
            actor=staff,
            problem=problem,
            proposed_solution="协调相关部门研究解决，明确责任人和办理时限。",
            department=department,
            today=start,
        )

    if scenario == "in_progress":
        return solve(today - timedelta(days=3))
    if scenario == "overdue":
        return solve(today - timedelta(days=45))
    if scenario == "due_soon":
        return solve(today - timedelta(days=19))
    if scenario == "waiting":
        problem = solve(today - timedelta(days=10))
        return services.pause_for_enterprise(
            actor=holder, problem=problem, reason="请企业补充提供近三年财务报表。", today=today - timedelta(days=2)
        )
    if scenario in ("solved", "closed_satisfied", "reopened"):
        problem = solve(today - timedelta(days=20))
        problem = services.complete(actor=holder, problem=problem, result="已协调办理完毕，相关手续已办结。")
        if scenario == "closed_satisfied":
            return _feedback(problem, "satisfied", "办理及时，感谢。")
        if scenario == "reopened":
            return _feedback(problem, "not_satisfied", "问题只解决了一部分。")
        return problem
    if scenario in ("explained", "explained_closed"):
        problem = services.explain(
            actor=staff,
            problem=problem,
            explanation="经核查，该事项暂不符合现行政策条件，已当面向企业说明政策依据。",
            given_on=today,
            given_how=ExplanationChannel.IN_PERSON,
            today=today,
        )
        if scenario == "explained_closed":
            return _feedback(problem, "basically")
        return problem
    if scenario in ("referred", "returned"):
        above = problem.office_region.parent_id
        targets = _departments(above) if above else []
        if not targets:
            return problem
        problem = services.refer(
            actor=staff,
            problem=problem,
            department=targets[0],
            note="涉及市级事权，请研究办理。",
            today=today - timedelta(days=6),
        )
        if scenario == "returned":
            city_staff = users.get(OFFICE_STAFF.get(above, ""))
            if city_staff is not None:
                problem = services.return_referral(
                    actor=city_staff, problem=problem, reason="属区级事权，请区里办理。", basis="《济南市行政权力清单》相关规定"
                )
        return problem
    if scenario == "escalated":
        return services.escalate(actor=staff, problem=problem, justification="涉及多个地市，需省级层面统筹协调。")
    raise ValueError(scenario)


@transaction.atomic
def seed_problems(*, today):
    users = _users()
    categories = Category.objects.in_bulk(field_name="key")
    visits = list(
        Visit.objects.filter(status=VisitStatus.SUBMITTED)
        .exclude(problems_raised="")
        .select_related("enterprise", "cadre")
        .order_by("visited_on", "pk")
    )
    raised = set(Problem.objects.filter(visit__in=visits).values_list("visit_id", flat=True))
    played = {}  # per office: how many visit problems it has, whether seeded now or before
    for visit in visits:
        cadre = visit.cadre
        office_id = cadre.region_id or visit.enterprise.region_id
        index = played.get(office_id, 0)
        limit = PER_OFFICE if office_id in OFFICE_STAFF else OTHER_COUNTY_PROBLEMS
        if index >= limit or not cadre.is_active:
            continue
        played[office_id] = index + 1
        if visit.pk in raised:
            continue
        text = visit.problems_raised.strip().splitlines()[0].strip()
        problem = services.raise_problem(
            actor=cadre,
            enterprise=visit.enterprise,
            category=categories[CATEGORY_OF.get(text, "other")],
            description=text,
            urgency=Urgency.URGENT if index % 5 == 4 else Urgency.NORMAL,
            source=Source.VISIT,
            visit=visit,
            raised_on=visit.visited_on,
        )
        _play(problem, SCENARIOS[index % len(SCENARIOS)], today=today, users=users)
    _seed_forum_financing(today=today, users=users, category=categories["financing"])


def _seed_forum_financing(*, today, users, category):
    """Financing problems raised by several 历下区 enterprises at a forum: a common problem."""
    staff = users.get("lx_staff")
    if staff is None:
        return
    enterprises = list(Enterprise.objects.filter(region_id="370102").order_by("credit_code")[: len(FINANCING_PROBLEMS)])
    for number, (enterprise, description) in enumerate(zip(enterprises, FINANCING_PROBLEMS, strict=False)):
        if Problem.objects.filter(enterprise=enterprise, description=description).exists():
            continue
        problem = services.raise_problem(
            actor=staff,
            enterprise=enterprise,
            category=category,
            description=description,
            source=Source.FORUM,
            source_note=FORUM_NOTE,
            raised_on=today - timedelta(days=12 - number),
        )
        if number == 0:
            # One of them is being worked on; the others wait for triage.
            _play(problem, "in_progress", today=today, users=users)
