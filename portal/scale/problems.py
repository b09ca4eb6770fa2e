"""Problems and their timelines, written as problems.services would leave them.

Each problem is played through a path of the lifecycle's moves (raise, assign or refer or escalate or
explain, sign, pause, solve, the enterprise's verdict, closing, reopening); `Player.play` applies each
move to the row as the service does and writes the move's event with the status it leaves, so the last
event's status is the problem's. Deadlines are the category's time limit in working days from the first
dispatch (`WorkingCalendar`, memoised), verdicts have their `Verdict` rows. Older problems are mostly
closed, recent ones still open; the open ones whose deadline has passed are the overdue list.
"""

from datetime import timedelta
from functools import lru_cache

from accounts.access import PROVINCE_CODE
from problems.deadlines import DEFAULT_WORKING_DAYS
from problems.models import (
    Category,
    Disposition,
    EventKind,
    ExplanationChannel,
    Outcome,
    Problem,
    ProblemEvent,
    ProblemEventAttachment,
    ProblemStatus,
    Source,
    TimeLimit,
    Urgency,
    Verdict,
    VerdictChannel,
    VerdictChoice,
)
from problems.workdays import WorkingCalendar

S = ProblemStatus
OTHER_TEXTS = [
    "企业反映水电气报装时间较长",
    "希望协调解决员工子女入学问题",
    "反映周边环境整治影响正常经营",
    "希望加快兑现产业扶持资金",
]

# Final states by age of the problem (days since raised): older problems are mostly closed.
OUTCOMES = [
    "new",
    "in_progress",
    "waiting",
    "referred",
    "returned",
    "escalated",
    "solved",
    "explained",
    "closed",
    "closed_quietly",
    "reopened",
]
WEIGHTS = {
    30: [30, 33, 5, 8, 2, 2, 10, 5, 5, 0, 0],
    180: [3, 15, 4, 4, 2, 2, 8, 4, 52, 3, 3],
    None: [0.5, 3, 1, 0.5, 0.3, 0.5, 2, 1, 84, 5, 2.2],
}


class Player:
    def __init__(self, ctx):
        self.ctx, self.loader = ctx, ctx.loader
        self.rng = ctx.rng("problems")
        self.calendar = WorkingCalendar.load()
        self.limits = {(row.category_id, row.urgency): row.working_days for row in TimeLimit.objects.all()}
        self.categories = dict(Category.objects.filter(is_active=True).values_list("key", "id"))
        self.problems = self.loader.sink(Problem)
        self.events = self.problems.child(ProblemEvent)
        self.verdicts = self.problems.child(Verdict)
        self.attachments = self.events.child(ProblemEventAttachment)
        self.count = 0
        self.deadline = lru_cache(maxsize=None)(self.calendar.add_working_days)

    def close(self):
        self.problems.close()

    # -- who acts

    def _staff(self, region):
        staff = self.ctx.staff_for(region)
        return self.rng.choice(staff) if staff else self.ctx.admin_id

    def _department(self, region):
        departments = self.ctx.handler_departments.get(region) or self.ctx.handler_departments.get(self.ctx.scope[0], [])
        return self.rng.choice(departments) if departments else None

    def _handler(self, department):
        return self.rng.choice(self.ctx.handlers[department])

    # -- a problem

    def play(self, *, enterprise, raised_by, office, raised_on, source, category, description, visit=None, note=""):
        """Write one problem raised on `raised_on` by `raised_by` for the liaison office `office`, with
        its path to a state chosen by its age. Returns the problem's id."""
        ctx, rng = self.ctx, self.rng
        age = (ctx.today - raised_on).days
        weights = WEIGHTS[30] if age < 30 else WEIGHTS[180] if age < 180 else WEIGHTS[None]
        outcome = rng.choices(OUTCOMES, weights=weights)[0]
        path = self._path(outcome, office)
        pk = self.loader.new_id(Problem)
        county = ctx.enterprise_region[enterprise]
        urgency = rng.choices([Urgency.URGENT, Urgency.NORMAL, Urgency.LOW], weights=[1, 6, 2])[0]
        category_id = self.categories.get(category) or self.categories["other"]
        problem = {
            "id": pk,
            "enterprise_id": ctx.enterprise_ids[enterprise],
            "region_id": county,
            "office_region_id": office,
            "handling_region_id": office,
            "handling_department_id": None,
            "source": source,
            "visit_id": visit,
            "source_note": note,
            "category_id": category_id,
            "description": description,
            "urgency": urgency,
            "raised_by_id": raised_by,
            "raised_on": raised_on,
            "status": S.NEW,
            "disposition": "",
            "proposed_solution": "",
            "dispatched_at": None,
            "deadline": None,
            "paused_on": None,
            "paused_working_days": 0,
            "referred_from_region_id": None,
            "referred_from_department_id": None,
            "escalation_justification": "",
            "escalated_at": None,
            "escalation_decision": "",
            "escalation_decided_by_id": None,
            "escalation_decided_at": None,
            "outcome": "",
            "outcome_by_id": None,
            "outcome_department_id": None,
            "outcome_at": None,
            "result": "",
            "explanation": "",
            "explanation_given_on": None,
            "explanation_given_how": "",
            "feedback_round": 0,
            "final_verdict": "",
            "closed_at": None,
            "created_at": ctx.at(raised_on, 10, rng.randint(0, 59)),
        }
        # The moves' times: spread from the raising towards today, never after now.
        start = problem["created_at"]
        room = max((ctx.now - start).total_seconds(), 60.0)
        typical = 86400.0 * rng.uniform(2, 12)
        gaps = [typical * rng.uniform(0.3, 1.7) for _ in path]
        squeeze = min(1.0, room * 0.9 / (sum(gaps) or 1))
        moment, times = start, []
        for gap in gaps:
            moment = moment + timedelta(seconds=max(gap * squeeze, 1))
            times.append(moment)
        self._event(problem, EventKind.RAISED, raised_by, start, to_region_id=office)
        for move, at in zip(path, times, strict=True):
            move(problem, at)
        problem["updated_at"] = times[-1] if times else start
        self.problems.add(problem)
        self.count += 1
        return pk

    def _event(self, problem, kind, actor, at, **fields):
        pk = self.loader.new_id(ProblemEvent)
        self.events.add(
            {"id": pk, "problem_id": problem["id"], "kind": kind, "actor_id": actor, "at": at, "status": problem["status"]}
            | fields
        )
        return pk

    def _start_clock(self, problem, at):
        if problem["dispatched_at"] is None:
            problem["dispatched_at"] = at
            days = self.limits.get(
                (problem["category_id"], problem["urgency"]), DEFAULT_WORKING_DAYS[Urgency(problem["urgency"])]
            )
            problem["deadline"] = self.deadline(at.astimezone(self.ctx.tz).date(), days)

    # -- the path: a list of moves, each f(problem, at)

    def _path(self, outcome, office):
        rng = self.rng
        if outcome == "new":
            return []
        if outcome == "referred":
            return [self._refer]
        if outcome == "returned":
            return [self._refer, self._return]
        if outcome == "escalated":
            return [self._escalate]
        if outcome == "explained" or (outcome in ("closed", "closed_quietly") and rng.random() < 0.12):
            dispatch = [self._explain]
        else:
            dispatch = rng.choices(
                [[self._assign], [self._refer, self._sign], [self._escalate, self._decide]],
                weights=[80, 15, 5] if office != PROVINCE_CODE else [80, 20, 0],
            )[0]
            if rng.random() < 0.2:
                dispatch = [*dispatch, self._note]
        if outcome == "in_progress":
            return dispatch
        if outcome == "waiting":
            return [*dispatch, self._pause]
        work = dispatch if dispatch[0] == self._explain else [*dispatch, self._solve]
        if outcome in ("solved", "explained"):
            return work
        if outcome == "closed":
            return [*work, self._accept]
        if outcome == "closed_quietly":
            return [*work, self._close]
        return [*work, self._reject]  # reopened

    def _assign(self, problem, at):
        department = self._department(problem["handling_region_id"])
        self._start_clock(problem, at)
        problem.update(
            handling_department_id=department,
            proposed_solution="协调相关部门研究解决，明确责任人和办理时限。",
            disposition=Disposition.SOLVE,
            status=S.IN_PROGRESS,
        )
        self._event(
            problem,
            EventKind.ASSIGNED,
            self._staff(problem["handling_region_id"]),
            at,
            note=problem["proposed_solution"],
            to_region_id=problem["handling_region_id"],
            to_department_id=department,
            deadline=problem["deadline"],
        )

    def _refer(self, problem, at):
        here = problem["handling_region_id"]
        above = self.ctx.regions[here].parent_id or here
        department = self._department(above)
        actor = self._staff(here)
        self._start_clock(problem, at)
        from_region, from_department = here, problem["handling_department_id"]
        problem.update(
            referred_from_region_id=from_region,
            referred_from_department_id=from_department,
            handling_region_id=above,
            handling_department_id=department,
            disposition=Disposition.REFER,
            status=S.REFERRED,
        )
        self._event(
            problem,
            EventKind.REFERRED,
            actor,
            at,
            note="涉及上级事权，请研究办理。",
            from_region_id=from_region,
            from_department_id=from_department,
            to_region_id=above,
            to_department_id=department,
            deadline=problem["deadline"],
        )

    def _sign(self, problem, at):
        from_region, from_department = problem["referred_from_region_id"], problem["referred_from_department_id"]
        problem.update(referred_from_region_id=None, referred_from_department_id=None, status=S.IN_PROGRESS)
        self._event(
            problem,
            EventKind.SIGNED,
            self._handler(problem["handling_department_id"]),
            at,
            from_region_id=from_region,
            from_department_id=from_department,
            to_region_id=problem["handling_region_id"],
            to_department_id=problem["handling_department_id"],
        )

    def _return(self, problem, at):
        actor = self._handler(problem["handling_department_id"])
        from_region, from_department = problem["handling_region_id"], problem["handling_department_id"]
        problem.update(
            handling_region_id=problem["referred_from_region_id"],
            handling_department_id=problem["referred_from_department_id"],
            referred_from_region_id=None,
            referred_from_department_id=None,
            status=S.RETURNED,
        )
        self._event(
            problem,
            EventKind.RETURNED,
            actor,
            at,
            note="属本级事权，请研究办理。",
            basis="《行政权力清单》相关规定",
            from_region_id=from_region,
            from_department_id=from_department,
            to_region_id=problem["handling_region_id"],
            to_department_id=problem["handling_department_id"],
        )

    def _escalate(self, problem, at):
        actor = self._staff(problem["handling_region_id"])
        from_region, from_department = problem["handling_region_id"], problem["handling_department_id"]
        problem.update(
            handling_region_id=PROVINCE_CODE,
            handling_department_id=None,
            escalation_justification="涉及多个地市，需省级层面统筹协调。",
            escalated_at=at,
            disposition=Disposition.ESCALATE,
            status=S.ESCALATED,
        )
        self._event(
            problem,
            EventKind.ESCALATED,
            actor,
            at,
            note=problem["escalation_justification"],
            from_region_id=from_region,
            from_department_id=from_department,
            to_region_id=PROVINCE_CODE,
        )

    def _decide(self, problem, at):
        actor = self._staff(PROVINCE_CODE)
        department = self._department(problem["office_region_id"])
        region = self.ctx.official_region.get(self.ctx.handlers[department][0]) if department else PROVINCE_CODE
        self._start_clock(problem, at)
        problem.update(
            escalation_decision="由属地牵头，省有关部门配合办理。",
            escalation_decided_by_id=actor,
            escalation_decided_at=at,
            handling_region_id=region,
            handling_department_id=department,
            status=S.IN_PROGRESS,
        )
        self._event(
            problem,
            EventKind.DECIDED,
            actor,
            at,
            note=problem["escalation_decision"],
            from_region_id=PROVINCE_CODE,
            to_region_id=region,
            to_department_id=department,
            deadline=problem["deadline"],
        )

    def _holder(self, problem):
        if problem["handling_department_id"]:
            return self._handler(problem["handling_department_id"])
        return self._staff(problem["handling_region_id"])

    def _note(self, problem, at):
        self._event(problem, EventKind.NOTE, self._holder(problem), at, note="已与企业对接，正在协调办理。")

    def _pause(self, problem, at):
        problem.update(paused_on=at.astimezone(self.ctx.tz).date(), status=S.WAITING)
        self._event(
            problem, EventKind.PAUSED, self._holder(problem), at, note="请企业补充提供相关材料。", deadline=problem["deadline"]
        )

    def _outcome(self, problem, outcome, actor, at):
        problem.update(
            outcome=outcome,
            outcome_by_id=actor,
            outcome_department_id=problem["handling_department_id"]
            or self.ctx.departments.get((problem["handling_region_id"], "united-front")),
            outcome_at=at,
            feedback_round=problem["feedback_round"] + 1,
        )

    def _solve(self, problem, at):
        actor = self._holder(problem)
        problem["result"] = "已协调办理完毕，相关手续已办结。"
        self._outcome(problem, Outcome.SOLVED, actor, at)
        problem["status"] = S.SOLVED
        event = self._event(problem, EventKind.SOLVED, actor, at, note=problem["result"])
        if self.rng.random() < 0.05:
            self.attachments.add(
                {
                    "id": self.loader.new_id(ProblemEventAttachment),
                    "event_id": event,
                    "file": f"problems/scale/{event}.pdf",
                    "original_name": "办理情况说明.pdf",
                    "content_type": "application/pdf",
                    "size": 90_000,
                    "uploaded_by_id": actor,
                    "uploaded_at": at,
                }
            )

    def _explain(self, problem, at):
        actor = self._staff(problem["handling_region_id"])
        problem.update(
            explanation="经核查，该事项暂不符合现行政策条件，已向企业说明政策依据。",
            explanation_given_on=max(problem["raised_on"], at.astimezone(self.ctx.tz).date()),
            explanation_given_how=self.rng.choice(list(ExplanationChannel)),
            disposition=Disposition.EXPLAIN,
        )
        self._outcome(problem, Outcome.EXPLAINED, actor, at)
        problem["status"] = S.EXPLAINED
        self._event(problem, EventKind.EXPLAINED, actor, at, note=problem["explanation"])

    def _verdict(self, problem, verdict, at):
        by_phone = self.rng.random() < 0.15
        staff = self._staff(problem["office_region_id"]) if by_phone else None
        self.verdicts.add(
            {
                "id": self.loader.new_id(Verdict),
                "problem_id": problem["id"],
                "round": problem["feedback_round"],
                "outcome": problem["outcome"],
                "verdict": verdict,
                "comment": "",
                "channel": VerdictChannel.PHONE if by_phone else VerdictChannel.LINK,
                "recorded_by_id": staff,
                "called_by_id": staff,
                "called_at": at if by_phone else None,
                "at": at,
            }
        )
        return staff

    def _accept(self, problem, at):
        verdict = self.rng.choices([VerdictChoice.SATISFIED, VerdictChoice.BASICALLY], weights=[8, 2])[0]
        actor = self._verdict(problem, verdict, at)
        problem.update(status=S.CLOSED, final_verdict=verdict, closed_at=at)
        self._event(problem, EventKind.VERDICT, actor, at, verdict=verdict)

    def _reject(self, problem, at):
        actor = self._verdict(problem, VerdictChoice.NOT_SATISFIED, at)
        problem.update(
            status=S.REOPENED,
            handling_region_id=problem["office_region_id"],
            handling_department_id=None,
            referred_from_region_id=None,
            referred_from_department_id=None,
            disposition="",
            proposed_solution="",
            dispatched_at=None,
            deadline=None,
            paused_on=None,
            paused_working_days=0,
            outcome="",
            outcome_by_id=None,
            outcome_department_id=None,
            outcome_at=None,
            result="",
            explanation="",
            explanation_given_on=None,
            explanation_given_how="",
            final_verdict="",
            closed_at=None,
        )
        self._event(problem, EventKind.VERDICT, actor, at, note="问题只解决了一部分。", verdict=VerdictChoice.NOT_SATISFIED)
        self._event(problem, EventKind.REOPENED, actor, at + timedelta(seconds=1), to_region_id=problem["office_region_id"])

    def _close(self, problem, at):
        problem.update(status=S.CLOSED, final_verdict="", closed_at=at)
        self._event(problem, EventKind.CLOSED, self._staff(problem["office_region_id"]), at, note="企业未在期限内反馈评价。")


def generate_problems(ctx, player):
    """The problems raised on visits (chosen by `visits`), and those the enterprises raised themselves."""
    rng = ctx.rng("problem-sources")
    for visit, position, cadre, day, text, category in ctx.visit_problems:
        office = ctx.official_region.get(cadre) or ctx.enterprise_region[position]
        player.play(
            enterprise=position,
            raised_by=cadre,
            office=office,
            raised_on=day,
            source=Source.VISIT,
            category=category,
            description=text,
            visit=visit,
        )
    others = max(ctx.sizes.problems - player.count, 0)
    positions = len(ctx.enterprise_ids)
    for _number in range(others if positions else 0):
        position = rng.randrange(positions)
        county = ctx.enterprise_region[position]
        staff = ctx.staff_for(county)
        if not staff:
            continue
        player.play(
            enterprise=position,
            raised_by=rng.choice(staff),
            office=ctx.official_region[staff[0]],
            raised_on=ctx.days(max(ctx.start, ctx.enterprise_created[position]), ctx.today, rng),
            source=rng.choice([Source.ENTERPRISE, Source.OTHER]),
            category=rng.choice(["financing", "land", "approvals-permits", "other"]),
            description=rng.choice(OTHER_TEXTS),
            note="企业来电反映",
        )
    player.close()
