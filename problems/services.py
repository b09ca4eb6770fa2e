"""The problem list's moves: every change of a problem's status happens here.

Each function is one row (or several) of the table in problems.lifecycle. Every function:

- is keyword-only, takes `actor` first and runs in one transaction, with the problem's row locked;
- refuses a move the table does not allow, or an actor it does not name, with a ValidationError
  whose message says why (translated; English source), coded `invalid_move` or `not_allowed`;
- writes one event (two when a verdict reopens the problem) to the problem's timeline, with the
  uploaded `attachments` checked before anything is written;
- returns the problem as saved: use the returned object, not the one passed in.
"""

import contextvars

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import PROVINCE_CODE
from core.attachments import MAX_FILES, checked_uploads
from core.lifecycle import INVALID_MOVE, lock, record, required_text
from enterprises.models import Enterprise
from visits import lifecycle as visit_lifecycle

from . import access
from .deadlines import default_deadline, extended_deadline
from .lifecycle import (  # noqa: F401 (views offer what the lifecycle allows)
    LIFECYCLE,
    Action,
    available_actions,
    escalation_refusal,
    is_held_by_the_province,
)
from .models import (
    ACCEPTING_VERDICTS,
    Disposition,
    EventKind,
    ExplanationChannel,
    Outcome,
    Problem,
    ProblemEventAttachment,
    ProblemStatus,
    Source,
    Urgency,
    Verdict,
    VerdictChannel,
    VerdictChoice,
)
from .workdays import WorkingCalendar


def _check_move(problem, action, actor):
    """The move's new state; a ValidationError when the table does not allow it or the actor may not."""
    return LIFECYCLE.check(problem, action, actor)


def _check_attachments(attachments):
    attachments = list(attachments or ())
    if len(attachments) > MAX_FILES:
        raise ValidationError(_("At most %(count)d files can be attached.") % {"count": MAX_FILES})
    return checked_uploads(attachments)


def _lock(problem):
    return lock(problem, "handling_region", "office_region", "handling_department")


def _record(problem, kind, actor, *, checked=(), **fields):
    event = record(problem, kind, actor, **fields)
    for uploaded, content_type in checked:
        ProblemEventAttachment.objects.create(
            event=event,
            file=uploaded,
            original_name=uploaded.name[:200],
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=actor,
        )
    return event


def _after_commit(notice, *args):
    """Send a notice of problems.notices once the move is committed; a failing notice is logged, it
    never undoes nor fails the move."""

    def send():
        from . import notices

        getattr(notices, notice)(*args)

    # Run in the context of now: the request's address for the notice's links (notifications.channels.serving)
    # holds even when the commit comes later, at the end of an outer transaction.
    context = contextvars.copy_context()
    transaction.on_commit(lambda: context.run(send), robust=True)


def _check_deadline_not_past(deadline, today):
    if deadline < today:
        raise ValidationError(_("The deadline cannot be in the past."), code="deadline_past")


def _start_clock(problem, *, deadline, today, may_extend=False):
    """Start the clock at the first dispatch; afterwards keep it running.

    A referral bouncing back and forth must not buy time, so once the clock runs a new deadline may
    only bring it forward, unless `may_extend` (the province's decision on an escalation).
    """
    if deadline is not None:
        _check_deadline_not_past(deadline, today)
    if problem.dispatched_at is None:
        problem.dispatched_at = timezone.now()
        problem.deadline = deadline or default_deadline(category=problem.category_id, urgency=problem.urgency, start=today)
        return
    if deadline is None or deadline == problem.deadline:
        return
    if deadline > problem.deadline and not may_extend:
        raise ValidationError(
            _("The clock has run since %(date)s: the deadline can be brought forward but not put back beyond %(deadline)s.")
            % {"date": timezone.localtime(problem.dispatched_at).date().isoformat(), "deadline": problem.deadline.isoformat()},
            code="deadline_extended",
        )
    problem.deadline = deadline


def _check_department(department):
    if department is None:
        raise ValidationError(_("Choose a department."), code="required")
    if not department.is_active:
        raise ValidationError(_("%(department)s is no longer active.") % {"department": department.name}, code="inactive")


# ---------------------------------------------------------------------------------------------------
# Raising and editing


@transaction.atomic
def raise_problem(
    *,
    actor,
    enterprise,
    category,
    description,
    urgency=Urgency.NORMAL,
    source=Source.OTHER,
    visit=None,
    source_note="",
    raised_on=None,
    attachments=(),
):
    """Put a problem on the list: it waits for the liaison office of the raiser's region to triage it.

    A problem raised on a visit names the visit (submitted, to the same enterprise); one raised at a
    forum, by the enterprise itself or otherwise may say where in `source_note`.
    """
    today = timezone.localdate()
    if not actor.has_perm("problems.add_problem"):
        raise ValidationError(_("You cannot raise problems."), code="not_allowed")
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise ValidationError({"enterprise": _("You can raise problems only for enterprises of your region.")})
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    description = required_text(description, {"description": _("Describe the problem.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose how urgent the problem is.")})
    if source not in Source.values:
        raise ValidationError({"source": _("Choose where the problem was raised.")})
    if source == Source.VISIT:
        if visit is None:
            raise ValidationError({"visit": _("Choose the visit the problem was raised on.")})
        if visit.enterprise_id != enterprise.pk:
            raise ValidationError({"visit": _("That visit was to another enterprise.")})
        if not visit_lifecycle.LIFECYCLE.move(visit, visit_lifecycle.Action.RAISE_PROBLEM):
            # The visits' own table says from which state a visit's problems may be raised.
            raise ValidationError(
                {"visit": visit_lifecycle.LIFECYCLE.refusal_for_state(visit, visit_lifecycle.Action.RAISE_PROBLEM)}
            )
    elif visit is not None:
        raise ValidationError({"visit": _("Only a problem raised on a visit names a visit.")})
    raised_on = raised_on or today
    if raised_on > today:
        raise ValidationError({"raised_on": _("A problem cannot be raised in the future.")})
    checked = _check_attachments(attachments)
    office_region_id = actor.region_id or enterprise.region_id
    problem = Problem.objects.create(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        office_region_id=office_region_id,
        handling_region_id=office_region_id,
        source=source,
        visit=visit,
        source_note=source_note.strip(),
        category=category,
        description=description,
        urgency=urgency,
        raised_by=actor,
        raised_on=raised_on,
        status=ProblemStatus.NEW,
    )
    _record(problem, EventKind.RAISED, actor, checked=checked, to_region_id=office_region_id)
    return problem


# ---------------------------------------------------------------------------------------------------
# Demands (诉求) the enterprise raises itself, through its door (door/views_demands.py)

# A demand says something: at least this many letters once punctuation and spaces are taken out.
DEMAND_MIN_LENGTH = 10
DEMAND_MAX_FILES = 3
# Two demands of one enterprise and category this alike (bigram overlap of the normalised texts,
# problems.clusters.grouping) are one demand raised twice.
REPEAT_SIMILARITY = 0.6
# Open problems of one enterprise and category compared with a new demand: a bound, never reached in use.
REPEAT_EXAMINED = 50


class RepeatedDemand(ValidationError):
    """A demand that repeats an open problem of the same enterprise: `problem` is the open one."""

    def __init__(self, problem):
        super().__init__(_("You have already raised this demand; it is still being dealt with."), code="repeated")
        self.problem = problem


def open_repeat_of(*, enterprise, category, description):
    """The open problem of `enterprise` in `category` whose description is the same as `description`
    or alike (REPEAT_SIMILARITY), most recent first; None when there is none."""
    from .clusters.grouping import bigram_similarity, bigrams, normalise

    wanted, pairs = normalise(description), bigrams(description)
    candidates = (
        Problem.objects.open()
        .filter(enterprise=enterprise, category=category)
        .order_by("-raised_on", "-id")
        .only("pk", "description")[:REPEAT_EXAMINED]
    )
    for candidate in candidates:
        if (
            normalise(candidate.description) == wanted
            or bigram_similarity(pairs, bigrams(candidate.description)) >= REPEAT_SIMILARITY
        ):
            return candidate
    return None


@transaction.atomic
def raise_from_enterprise(*, enterprise, category, description, files=(), contact=""):
    """Put the enterprise's own demand on the problem list: a problem of its region, source
    "enterprise", raised by no official (`raised_by` and the event's actor are empty: the enterprise
    acted), waiting for its region's liaison office to triage it like any other. The office's staff
    and the enterprise's liaison cadres are told once it is committed.

    A demand repeating an open problem of the same enterprise and category raises `RepeatedDemand`
    naming it; nothing is written then, nor when the text or a file is refused."""
    if category is None or not category.is_active:
        raise ValidationError({"category": _("Choose what the demand is about.")})
    description = required_text(description, {"description": _("Describe your demand.")})
    from .clusters.grouping import normalise

    if len(normalise(description)) < DEMAND_MIN_LENGTH:
        raise ValidationError(
            {
                "description": _("Describe your demand in at least %(count)d characters, so that it can be dealt with.")
                % {"count": DEMAND_MIN_LENGTH}
            },
            code="too_short",
        )
    files = list(files or ())
    if len(files) > DEMAND_MAX_FILES:
        raise ValidationError({"files": _("At most %(count)d files can be attached.") % {"count": DEMAND_MAX_FILES}})
    try:
        checked = checked_uploads(files)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from error
    # Two demands sent at once by the same enterprise: the second waits for the first, then finds it.
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    repeated = open_repeat_of(enterprise=enterprise, category=category, description=description)
    if repeated is not None:
        raise RepeatedDemand(repeated)
    contact = (contact or "").strip()
    problem = Problem.objects.create(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        office_region_id=enterprise.region_id,
        handling_region_id=enterprise.region_id,
        source=Source.ENTERPRISE,
        source_note=(_("Raised through the enterprise's door by %(contact)s") % {"contact": contact} if contact else "")[:200],
        category=category,
        description=description,
        urgency=Urgency.NORMAL,
        raised_by=None,
        raised_on=timezone.localdate(),
        status=ProblemStatus.NEW,
    )
    event = _record(problem, EventKind.RAISED, None, checked=checked, to_region_id=problem.office_region_id)
    _after_commit("notify_enterprise_demand", problem, event.pk)
    return problem


@transaction.atomic
def answer_from_enterprise(*, problem, answer, files=(), today=None):
    """The enterprise answers the request for more information (the problem waits on it): its answer
    and documents go on the timeline and the clock starts again, the deadline moved by the working days
    it waited, as when the holder resumes. The holder is told."""
    today = today or timezone.localdate()
    problem = _lock(problem)
    new_status = _check_move(problem, Action.ANSWER, None)
    answer = required_text(answer, {"answer": _("Write the information asked for.")})
    files = list(files or ())
    if len(files) > DEMAND_MAX_FILES:
        raise ValidationError({"files": _("At most %(count)d files can be attached.") % {"count": DEMAND_MAX_FILES}})
    try:
        checked = checked_uploads(files)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from error
    problem.deadline, waited = extended_deadline(
        deadline=problem.deadline,
        paused_on=problem.paused_on,
        resumed_on=max(today, problem.paused_on),
        calendar=WorkingCalendar.load(),
    )
    problem.paused_working_days += waited
    problem.paused_on = None
    problem.status = new_status
    problem.save()
    event = _record(problem, EventKind.RESUMED, None, checked=checked, note=answer, deadline=problem.deadline)
    _after_commit("notify_enterprise_answered", problem, event.pk)
    return problem


@transaction.atomic
def record_door_verdict(*, problem, verdict, comment=""):
    """The enterprise's verdict given on its demand's page behind its door, on the current round: as
    through the feedback link, "not satisfied" reopens the problem."""
    problem = _lock(problem)
    action = Action.ACCEPT if verdict in ACCEPTING_VERDICTS else Action.REJECT
    _check_move(problem, action, None)
    return _apply_verdict(problem, verdict=verdict, comment=comment, channel=VerdictChannel.DOOR, recorded_by=None)


@transaction.atomic
def update_problem(*, actor, problem, category=None, urgency=None, description=None):
    """Correct the category, urgency or description while the problem waits for triage."""
    problem = _lock(problem)
    _check_move(problem, Action.EDIT, actor)
    changes = []
    if category is not None and category.pk != problem.category_id:
        if not category.is_active:
            raise ValidationError({"category": _("This category is no longer in use.")})
        changes.append(f"{problem.category} → {category}")
        problem.category = category
    if urgency is not None and urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose how urgent the problem is.")})
    if urgency is not None and urgency != problem.urgency:
        changes.append(f"{problem.get_urgency_display()} → {Urgency(urgency).label}")
        problem.urgency = urgency
    if description is not None and description.strip() != problem.description:
        problem.description = required_text(description, {"description": _("Describe the problem.")})
        changes.append(str(_("description")))
    if not changes:
        return problem
    problem.save()
    _record(problem, EventKind.EDITED, actor, note="; ".join(changes))
    return problem


# ---------------------------------------------------------------------------------------------------
# The four dispositions


@transaction.atomic
def triage_solve(*, actor, problem, proposed_solution, department, deadline=None, today=None, attachments=()):
    """Solve (具备解决条件的): a proposed solution, a department of the office's region to carry it out
    and a deadline (by default the time limit of the problem's category and urgency)."""
    today = today or timezone.localdate()
    problem = _lock(problem)
    new_status = _check_move(problem, Action.SOLVE, actor)
    proposed_solution = required_text(proposed_solution, {"proposed_solution": _("Propose a solution.")})
    _check_department(department)
    if department.region_id != problem.handling_region_id:
        raise ValidationError(
            {
                "department": _("Assign the problem to a department of %(region)s; to reach another region, refer it.")
                % {"region": problem.handling_region.full_name}
            }
        )
    checked = _check_attachments(attachments)
    _start_clock(problem, deadline=deadline, today=today)
    problem.proposed_solution = proposed_solution
    problem.handling_department = department
    problem.disposition = Disposition.SOLVE
    problem.status = new_status
    problem.save()
    _record(
        problem,
        EventKind.ASSIGNED,
        actor,
        checked=checked,
        note=proposed_solution,
        to_region_id=department.region_id,
        to_department=department,
        deadline=problem.deadline,
    )
    return problem


@transaction.atomic
def refer(*, actor, problem, department, note="", deadline=None, today=None, attachments=()):
    """Refer (涉及其他部门或上级事权的) to another department of the holder's region or of a region above
    it, which must sign for it or return it. The clock starts now if it has not already."""
    today = today or timezone.localdate()
    problem = _lock(problem)
    new_status = _check_move(problem, Action.REFER, actor)
    _check_department(department)
    if department.pk == problem.handling_department_id or (actor.department_id and department.pk == actor.department_id):
        raise ValidationError(
            {"department": _("A problem cannot be referred to the department that holds it.")}, code="own_department"
        )
    if not problem.handling_region_id.startswith(department.region.code_prefix):
        raise ValidationError(
            {"department": _("A problem can be referred to another department of the same region or to a region above it.")},
            code="wrong_region",
        )
    checked = _check_attachments(attachments)
    _start_clock(problem, deadline=deadline, today=today)
    from_region_id, from_department_id = problem.handling_region_id, problem.handling_department_id
    problem.referred_from_region_id = from_region_id
    problem.referred_from_department_id = from_department_id
    problem.handling_region_id = department.region_id
    problem.handling_department = department
    problem.disposition = Disposition.REFER
    problem.status = new_status
    problem.save()
    event = _record(
        problem,
        EventKind.REFERRED,
        actor,
        checked=checked,
        note=note.strip(),
        from_region_id=from_region_id,
        from_department_id=from_department_id,
        to_region_id=department.region_id,
        to_department=department,
        deadline=problem.deadline,
    )
    _after_commit("notify_referred", problem, event.pk)
    return problem


@transaction.atomic
def sign_for(*, actor, problem, note="", attachments=()):
    """The department a problem was referred to accepts it (签收) and from now on handles it. The clock
    keeps running from the dispatch: signing does not restart it."""
    problem = _lock(problem)
    new_status = _check_move(problem, Action.SIGN, actor)
    checked = _check_attachments(attachments)
    from_region_id, from_department_id = problem.referred_from_region_id, problem.referred_from_department_id
    problem.referred_from_region = problem.referred_from_department = None
    problem.status = new_status
    problem.save()
    _record(
        problem,
        EventKind.SIGNED,
        actor,
        checked=checked,
        note=note.strip(),
        from_region_id=from_region_id,
        from_department_id=from_department_id,
        to_region_id=problem.handling_region_id,
        to_department_id=problem.handling_department_id,
    )
    return problem


@transaction.atomic
def return_referral(*, actor, problem, reason, basis, attachments=()):
    """The department a problem was referred to sends it back, saying why and on what basis (the rule
    or document that puts it outside its remit). It goes back to whoever referred it: an office gets it
    to triage again, a department gets it back in progress. The deadline does not move."""
    problem = _lock(problem)
    # Which row of the table applies depends on who referred it: an office or a department.
    action = Action.RETURN_TO_DEPARTMENT if problem.referred_from_department_id else Action.RETURN_TO_OFFICE
    new_status = _check_move(problem, action, actor)
    reason = required_text(reason, {"reason": _("Give the reason for returning the problem.")})
    basis = required_text(basis, {"basis": _("Give the basis for returning the problem: the rule or document it relies on.")})
    checked = _check_attachments(attachments)
    from_region_id, from_department_id = problem.handling_region_id, problem.handling_department_id
    problem.handling_region_id = problem.referred_from_region_id
    problem.handling_department_id = problem.referred_from_department_id
    problem.referred_from_region = problem.referred_from_department = None
    problem.status = new_status
    problem.save()
    event = _record(
        problem,
        EventKind.RETURNED,
        actor,
        checked=checked,
        note=reason,
        basis=basis,
        from_region_id=from_region_id,
        from_department_id=from_department_id,
        to_region_id=problem.handling_region_id,
        to_department_id=problem.handling_department_id,
    )
    _after_commit("notify_returned", problem, event.pk)
    return problem


@transaction.atomic
def escalate(*, actor, problem, justification, attachments=()):
    """Escalate (重大问题需省级层面统筹解决的): report the problem to the province for coordinated study,
    saying why. It leaves its department and waits in the province's list for a decision."""
    problem = _lock(problem)
    new_status = _check_move(problem, Action.ESCALATE, actor)
    if is_held_by_the_province(problem):
        raise ValidationError(escalation_refusal(problem), code=INVALID_MOVE)
    justification = required_text(
        justification, {"justification": _("Give the reason why the province must coordinate this problem.")}
    )
    checked = _check_attachments(attachments)
    from_region_id, from_department_id = problem.handling_region_id, problem.handling_department_id
    problem.handling_region_id = PROVINCE_CODE
    problem.handling_department = None
    problem.escalation_justification = justification
    problem.escalated_at = timezone.now()
    problem.escalation_decision = ""
    problem.escalation_decided_by = None
    problem.escalation_decided_at = None
    problem.disposition = Disposition.ESCALATE
    problem.status = new_status
    problem.save()
    event = _record(
        problem,
        EventKind.ESCALATED,
        actor,
        checked=checked,
        note=justification,
        from_region_id=from_region_id,
        from_department_id=from_department_id,
        to_region_id=PROVINCE_CODE,
    )
    _after_commit("notify_escalated", problem, event.pk)
    return problem


@transaction.atomic
def decide_escalation(*, actor, problem, decision, department, deadline=None, today=None, attachments=()):
    """The province records its decision on an escalated problem and names the department, of any
    region, that carries it out. The decision may set a new deadline, later than the running one."""
    today = today or timezone.localdate()
    problem = _lock(problem)
    new_status = _check_move(problem, Action.DECIDE, actor)
    decision = required_text(decision, {"decision": _("Record the province's decision.")})
    _check_department(department)
    checked = _check_attachments(attachments)
    _start_clock(problem, deadline=deadline, today=today, may_extend=True)
    problem.escalation_decision = decision
    problem.escalation_decided_by = actor
    problem.escalation_decided_at = timezone.now()
    problem.handling_region_id = department.region_id
    problem.handling_department = department
    problem.status = new_status
    problem.save()
    _record(
        problem,
        EventKind.DECIDED,
        actor,
        checked=checked,
        note=decision,
        from_region_id=PROVINCE_CODE,
        to_region_id=department.region_id,
        to_department=department,
        deadline=problem.deadline,
    )
    return problem


@transaction.atomic
def explain(*, actor, problem, explanation, given_on, given_how, today=None, attachments=()):
    """Explain (不符合政策要求的): record the explanation given to the enterprise, when and how. The
    enterprise is then asked for its verdict, like on a solution."""
    today = today or timezone.localdate()
    problem = _lock(problem)
    new_status = _check_move(problem, Action.EXPLAIN, actor)
    explanation = required_text(explanation, {"explanation": _("Record the explanation given to the enterprise.")})
    if given_on is None:
        raise ValidationError({"given_on": _("Say when the explanation was given.")})
    if given_on > today:
        raise ValidationError({"given_on": _("The explanation cannot have been given in the future.")})
    if given_on < problem.raised_on:
        raise ValidationError({"given_on": _("The explanation cannot have been given before the problem was raised.")})
    if given_how not in ExplanationChannel.values:
        raise ValidationError({"given_how": _("Say how the explanation was given.")})
    checked = _check_attachments(attachments)
    problem.explanation = explanation
    problem.explanation_given_on = given_on
    problem.explanation_given_how = given_how
    problem.disposition = Disposition.EXPLAIN
    _reach_outcome(problem, Outcome.EXPLAINED, actor)
    problem.status = new_status
    problem.save()
    _record(problem, EventKind.EXPLAINED, actor, checked=checked, note=explanation)
    _after_commit("notify_feedback_link", problem)
    return problem


# ---------------------------------------------------------------------------------------------------
# Working on a problem


@transaction.atomic
def complete(*, actor, problem, result, attachments=()):
    """Record the result of a problem being solved. The enterprise is then asked for its verdict."""
    problem = _lock(problem)
    new_status = _check_move(problem, Action.COMPLETE, actor)
    result = required_text(result, {"result": _("A problem cannot be marked solved without its result.")})
    checked = _check_attachments(attachments)
    problem.result = result
    _reach_outcome(problem, Outcome.SOLVED, actor)
    problem.status = new_status
    problem.save()
    _record(problem, EventKind.SOLVED, actor, checked=checked, note=result)
    _after_commit("notify_feedback_link", problem)
    return problem


def _reach_outcome(problem, outcome, actor):
    problem.outcome = outcome
    problem.outcome_by = actor
    # The department whose work the verdict judges: the one holding the problem, or the office's own.
    problem.outcome_department_id = problem.handling_department_id or actor.department_id
    problem.outcome_at = timezone.now()
    problem.feedback_round += 1


@transaction.atomic
def pause_for_enterprise(*, actor, problem, reason, today=None, attachments=()):
    """Stop the clock while the problem waits on the enterprise (materials, a decision of its own)."""
    today = today or timezone.localdate()
    problem = _lock(problem)
    new_status = _check_move(problem, Action.PAUSE, actor)
    reason = required_text(reason, {"reason": _("Say what the enterprise is to provide or decide.")})
    checked = _check_attachments(attachments)
    problem.paused_on = today
    problem.status = new_status
    problem.save()
    _record(problem, EventKind.PAUSED, actor, checked=checked, note=reason, deadline=problem.deadline)
    return problem


@transaction.atomic
def resume(*, actor, problem, note="", today=None, attachments=()):
    """Start the clock again: the deadline moves by the working days the problem waited."""
    today = today or timezone.localdate()
    problem = _lock(problem)
    new_status = _check_move(problem, Action.RESUME, actor)
    if today < problem.paused_on:
        raise ValidationError(_("A problem cannot resume before it was paused."))
    checked = _check_attachments(attachments)
    problem.deadline, waited = extended_deadline(
        deadline=problem.deadline, paused_on=problem.paused_on, resumed_on=today, calendar=WorkingCalendar.load()
    )
    problem.paused_working_days += waited
    problem.paused_on = None
    problem.status = new_status
    problem.save()
    _record(problem, EventKind.RESUMED, actor, checked=checked, note=note.strip(), deadline=problem.deadline)
    return problem


@transaction.atomic
def add_note(*, actor, problem, note, attachments=()):
    """A progress note on the timeline (with documents), by whoever holds the problem."""
    problem = _lock(problem)
    _check_move(problem, Action.NOTE, actor)
    checked = _check_attachments(attachments)
    note = (note or "").strip()
    if not note and not checked:
        raise ValidationError({"note": _("Write a note or attach a file.")})
    _record(problem, EventKind.NOTE, actor, checked=checked, note=note)
    return problem


# ---------------------------------------------------------------------------------------------------
# Closing the loop with the enterprise


@transaction.atomic
def record_phone_verdict(*, actor, problem, verdict, called_by, called_at, comment=""):
    """Record the enterprise's verdict taken by phone. Only staff of the liaison office in charge may,
    and neither they nor the caller may be whoever handled the problem: that work is being judged."""
    problem = _lock(problem)
    action = Action.ACCEPT if verdict in ACCEPTING_VERDICTS else Action.REJECT
    _check_move(problem, action, actor)
    if called_by is None:
        raise ValidationError({"called_by": _("Say who called the enterprise.")})
    if access.is_judged(called_by, problem):
        raise ValidationError({"called_by": _("The verdict on a problem's handling cannot be taken by whoever handled it.")})
    if called_at is None or called_at > timezone.now():
        raise ValidationError({"called_at": _("Say when the enterprise was called; not a time in the future.")})
    return _apply_verdict(
        problem,
        verdict=verdict,
        comment=comment,
        channel=VerdictChannel.PHONE,
        recorded_by=actor,
        called_by=called_by,
        called_at=called_at,
    )


@transaction.atomic
def record_link_verdict(*, problem, feedback_round, verdict, comment=""):
    """Record the verdict the enterprise gave through its feedback link. Call it through
    problems.feedback.tokens.submit_feedback, which checks the link first."""
    problem = _lock(problem)
    action = Action.ACCEPT if verdict in ACCEPTING_VERDICTS else Action.REJECT
    _check_move(problem, action, None)
    if feedback_round != problem.feedback_round:
        raise ValidationError(_("This feedback link is for an earlier round of the problem."), code="superseded")
    return _apply_verdict(problem, verdict=verdict, comment=comment, channel=VerdictChannel.LINK, recorded_by=None)


def _apply_verdict(problem, *, verdict, comment, channel, recorded_by, called_by=None, called_at=None):
    if verdict not in VerdictChoice.values:
        raise ValidationError({"verdict": _("Choose satisfied, basically satisfied or not satisfied.")})
    if Verdict.objects.filter(problem=problem, round=problem.feedback_round).exists():
        raise ValidationError(_("The enterprise has already given its verdict on this round."), code="used")
    comment = (comment or "").strip()
    Verdict.objects.create(
        problem=problem,
        round=problem.feedback_round,
        outcome=problem.outcome,
        verdict=verdict,
        comment=comment,
        channel=channel,
        recorded_by=recorded_by,
        called_by=called_by,
        called_at=called_at,
    )
    if verdict in ACCEPTING_VERDICTS:
        problem.status = ProblemStatus.CLOSED
        problem.final_verdict = verdict
        problem.closed_at = timezone.now()
        problem.save()
        _record(problem, EventKind.VERDICT, recorded_by, note=comment, verdict=verdict)
        return problem
    # Not satisfied: the verdict, then the reopening, both on the timeline.
    _reopen(problem)
    _record(problem, EventKind.VERDICT, recorded_by, note=comment, verdict=verdict)
    problem.save()
    event = _record(problem, EventKind.REOPENED, recorded_by, to_region_id=problem.office_region_id)
    _after_commit("notify_reopened", problem, event.pk)
    return problem


@transaction.atomic
def close_without_verdict(*, actor, problem, note, attachments=()):
    """Close a solved or explained problem whose enterprise gave no verdict (it did not answer, it
    closed down). Rates count such a closure apart: it is not a success."""
    problem = _lock(problem)
    new_status = _check_move(problem, Action.CLOSE, actor)
    note = required_text(note, {"note": _("Say why the problem is closed without the enterprise's verdict.")})
    checked = _check_attachments(attachments)
    problem.status = new_status
    problem.final_verdict = ""
    problem.closed_at = timezone.now()
    problem.save()
    _record(problem, EventKind.CLOSED, actor, checked=checked, note=note)
    return problem


@transaction.atomic
def reopen(*, actor, problem, reason, attachments=()):
    """Send a solved, explained or closed problem back to the liaison office in charge, to look again."""
    problem = _lock(problem)
    new_status = _check_move(problem, Action.REOPEN, actor)
    reason = required_text(reason, {"reason": _("Give the reason for reopening the problem.")})
    checked = _check_attachments(attachments)
    problem.status = new_status
    _reopen(problem)
    problem.save()
    event = _record(problem, EventKind.REOPENED, actor, checked=checked, note=reason, to_region_id=problem.office_region_id)
    _after_commit("notify_reopened", problem, event.pk)
    return problem


def _reopen(problem):
    """Back to the liaison office in charge, to triage afresh: a new round of work with a new clock. The
    previous round's result or explanation stays on the timeline."""
    problem.status = ProblemStatus.REOPENED
    problem.handling_region_id = problem.office_region_id
    problem.handling_department = None
    problem.referred_from_region = problem.referred_from_department = None
    problem.disposition = ""
    problem.proposed_solution = ""
    problem.dispatched_at = None
    problem.deadline = None
    problem.paused_on = None
    problem.paused_working_days = 0
    problem.outcome = ""
    problem.outcome_by = None
    problem.outcome_department = None
    problem.outcome_at = None
    problem.result = ""
    problem.explanation = ""
    problem.explanation_given_on = None
    problem.explanation_given_how = ""
    problem.final_verdict = ""
    problem.closed_at = None
