"""Who may act on a problem. What a user may *see* is `Problem.objects.visible_to(user)`; these say
what they may *do*, and problems.services asks them before every move.

Three kinds of actor, each a named predicate taking the user first:

- the office (`acts_as_office`): united-front staff (permission `problems.triage_problems`) of the
  region that holds the problem now. It triages, escalates, and acts for its region's departments.
- the holder (`holds`): the office above, or a handler (`problems.handle_problems`) of the department
  that holds the problem now.
- the overseer (`oversees`): staff of the liaison office in charge of the problem, or of a region
  above it. It closes the loop with the enterprise: verdicts by phone, closing, reopening.

The overseers who may record a verdict taken by phone are also those shown the enterprise's verdict
link to hand over (`hands_over_verdict_link`).

And one door out of the problem list: `may_nominate_as_case`, who is offered to nominate the
enterprise as a model case from a problem it solved (the cases app decides the rest).

Staff of a region above the holder *see* the problem but do not act for the holder: a problem is
worked on by whoever holds it, and moves up only by referral or escalation.
"""

from accounts.access import scope_prefix

TRIAGE_PERMISSION = "problems.triage_problems"
HANDLE_PERMISSION = "problems.handle_problems"
# The cases app's permission, named as a string: problems sit below cases and do not import them.
NOMINATE_CASE_PERMISSION = "cases.add_case"


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def acts_as_office(user, problem):
    """Staff of the liaison office of the region that holds the problem now."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return user.region_id is not None and user.region_id == problem.handling_region_id and user.has_perm(TRIAGE_PERMISSION)


def holds(user, problem):
    """The office of the handling region, or a handler of the handling department."""
    if acts_as_office(user, problem):
        return True
    if not _active(user) or problem.handling_department_id is None:
        return False
    return user.department_id == problem.handling_department_id and user.has_perm(HANDLE_PERMISSION)


def oversees(user, problem):
    """Staff of the liaison office in charge of the problem, or of a region above it."""
    if not _active(user):
        return False
    prefix = scope_prefix(user)
    if prefix is None:
        return False
    return problem.office_region_id.startswith(prefix) and user.has_perm(TRIAGE_PERMISSION)


def is_judged(user, problem):
    """True for whoever did the work the enterprise's verdict judges: the official who recorded the
    solution or explanation, and the officials of the department that produced it."""
    if user is None:
        return False
    if problem.outcome_by_id == user.pk:
        return True
    return problem.outcome_department_id is not None and user.department_id == problem.outcome_department_id


def records_verdict_by_phone(user, problem):
    """Who may record the enterprise's verdict taken by phone: an overseer who did not do the work judged."""
    return oversees(user, problem) and not is_judged(user, problem)


def hands_over_verdict_link(user, problem):
    """Who is shown the enterprise's verdict link to pass on (problems.feedback.handover): while the
    problem awaits the enterprise's verdict, an overseer who did not do the work judged, as for a verdict
    taken by phone (the notice with the link goes to the office in charge)."""
    return problem.awaits_feedback and records_verdict_by_phone(user, problem)


def may_nominate_as_case(user, problem):
    """Who is offered to nominate the problem's enterprise as a model case from this problem: an official
    who nominates cases, once the problem ended in a solution (cases.services checks it again)."""
    return problem.ended_in_solution and _active(user) and user.has_perm(NOMINATE_CASE_PERMISSION)
