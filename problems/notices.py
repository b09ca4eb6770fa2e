"""Who hears about a problem, and when: notices on its moves, deadline reminders and home to-do items.

Every message goes through notifications.services.notify with a key naming the problem and the
event (or the day, for reminders), so a callback or a periodic task run twice sends nothing twice.
problems.services calls the `notify_*` functions through `transaction.on_commit`: nobody hears of
a move that was rolled back.

The enterprise's feedback link: there is no SMS gateway, so when a problem is solved or explained the
united-front staff of the liaison office in charge (`office_region`) are sent the link
(`feedback_link(problem)`, absolute, from settings.SITE_URL) and pass it on to the enterprise's
contact. The problem's detail page may show the same link with `feedback_link(problem)`.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from accounts.roles import Role
from accounts.services import staff_of
from notifications.services import notify

from .deadlines import due_soon_limit
from .feedback.tokens import make_feedback_token
from .models import CLOCK_STATES, FEEDBACK_STATES, TRIAGE_STATES, Problem, ProblemStatus
from .workdays import WorkingCalendar

HOME_ITEMS_LIMIT = 10


# ---------------------------------------------------------------------------------------------------
# Links and recipients


def problem_url(problem_or_pk):
    """The problem's detail page (a path, as notifications store their links)."""
    pk = getattr(problem_or_pk, "pk", problem_or_pk)
    try:
        return reverse("problems:detail", args=[pk])
    except NoReverseMatch:  # the list's pages are wired by problems/urls.py
        return f"/problems/{pk}/"


def feedback_path(problem):
    token = make_feedback_token(problem)
    try:
        return reverse("problems:feedback", args=[token])
    except NoReverseMatch:
        return f"/problems/feedback/{token}/"


def feedback_link(problem):
    """The absolute link the enterprise's contact opens to give its verdict on the current round.

    Only for a solved or explained problem (ValueError otherwise). Each call signs a fresh token for
    the same round: any of them works until the round is answered, superseded or the link expires.
    """
    return settings.SITE_URL.rstrip("/") + feedback_path(problem)


def _active():
    return User.objects.filter(is_active=True)


def handlers_of(department_ids):
    return list(_active().filter(department_id__in=list(department_ids), groups__name=Role.HANDLER).distinct().order_by("pk"))


def holders_of(problem):
    """Whoever acts on the problem now: its department's handlers, or the office's staff when no
    department holds it (or the department has no handler yet)."""
    if problem.handling_department_id:
        handlers = handlers_of([problem.handling_department_id])
        if handlers:
            return handlers
    return staff_of([problem.handling_region_id])


def _label(problem):
    return f"{problem.enterprise.name} · {problem.category}"


def _send(recipients, *, key, title, body="", link=""):
    # A notification's text is stored, not translated when read: write it in the portal's language.
    with override(settings.LANGUAGE_CODE):
        return notify(recipients=recipients, key=key, title=str(title), body=str(body), link=link)


def _fresh(problem):
    return Problem.objects.select_related(
        "enterprise", "category", "handling_region", "handling_department", "office_region"
    ).get(pk=problem.pk)


# ---------------------------------------------------------------------------------------------------
# Notices on the moves (called by problems.services after the commit)


def notify_referred(problem, event_id):
    """A referral: the target department's handlers (its region's staff when it has none) sign or return it."""
    problem = _fresh(problem)
    with override(settings.LANGUAGE_CODE):
        title = _("Problem referred to you, to sign for or return: %(problem)s") % {"problem": _label(problem)}
        body = _("Deadline: %(deadline)s") % {"deadline": problem.deadline.isoformat() if problem.deadline else "—"}
    return _send(
        holders_of(problem), key=f"problem-referred:{problem.pk}:{event_id}", title=title, body=body, link=problem_url(problem)
    )


def notify_returned(problem, event_id):
    """A return: whoever referred the problem has it back (the department's handlers, or the office)."""
    problem = _fresh(problem)
    with override(settings.LANGUAGE_CODE):
        title = _("Referral returned to you: %(problem)s") % {"problem": _label(problem)}
    return _send(holders_of(problem), key=f"problem-returned:{problem.pk}:{event_id}", title=title, link=problem_url(problem))


def notify_escalated(problem, event_id):
    """An escalation: the province's united-front staff decide on it."""
    problem = _fresh(problem)
    with override(settings.LANGUAGE_CODE):
        title = _("Problem escalated to the province, awaiting a decision: %(problem)s") % {"problem": _label(problem)}
    return _send(
        staff_of([problem.handling_region_id]),
        key=f"problem-escalated:{problem.pk}:{event_id}",
        title=title,
        body=problem.escalation_justification,
        link=problem_url(problem),
    )


def notify_reopened(problem, event_id):
    """A reopening: back to the liaison office in charge, to triage afresh."""
    problem = _fresh(problem)
    with override(settings.LANGUAGE_CODE):
        title = _("Problem reopened, awaiting triage: %(problem)s") % {"problem": _label(problem)}
    return _send(
        staff_of([problem.office_region_id]),
        key=f"problem-reopened:{problem.pk}:{event_id}",
        title=title,
        link=problem_url(problem),
    )


def notify_feedback_link(problem):
    """A solution or explanation: the office in charge gets the enterprise's feedback link to pass on."""
    problem = _fresh(problem)
    if problem.status not in FEEDBACK_STATES:
        return []  # already answered, closed or reopened before this ran
    enterprise = problem.enterprise
    with override(settings.LANGUAGE_CODE):
        title = _("Ask the enterprise for its verdict: %(problem)s") % {"problem": _label(problem)}
        contact = " ".join(part for part in (enterprise.contact_name, enterprise.contact_mobile) if part) or _(
            "no contact recorded"
        )
        body = _(
            "Send this link to the enterprise's contact (%(contact)s); it is good for 30 days and for this round only:\n%(link)s"
        ) % {"contact": contact, "link": feedback_link(problem)}
    return _send(
        staff_of([problem.office_region_id]),
        key=f"problem-feedback:{problem.pk}:{problem.feedback_round}",
        title=title,
        body=body,
        link=problem_url(problem),
    )


# ---------------------------------------------------------------------------------------------------
# Deadline reminders


def send_deadline_reminders(*, today):
    """Remind the holders of problems due soon (yellow), and the holders and their superiors of those
    overdue (red): the united-front staff of the handling region and of the region above it.

    Works across every region. The key names the problem and the day, so a second run on the same day
    sends nothing again. Three queries (calendar, problems, recipients) plus those of each notification.
    Returns the notifications created.
    """
    calendar = WorkingCalendar.load()
    limit = due_soon_limit(today=today, calendar=calendar)
    problems = list(
        Problem.objects.clock_running()
        .filter(deadline__lte=limit)
        .select_related("enterprise", "category", "handling_region")
        .order_by("deadline", "pk")
    )
    if not problems:
        return []
    department_ids, region_ids = set(), set()
    for problem in problems:
        if problem.handling_department_id:
            department_ids.add(problem.handling_department_id)
        region_ids.add(problem.handling_region_id)
        if problem.deadline < today and problem.handling_region.parent_id:
            region_ids.add(problem.handling_region.parent_id)
    # One query for every recipient: handlers of the departments and staff of the regions.
    users = (
        _active()
        .filter(
            Q(department_id__in=department_ids, groups__name=Role.HANDLER) | Q(region_id__in=region_ids, groups__name=Role.STAFF)
        )
        .annotate(is_handler=Case(When(groups__name=Role.HANDLER, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("pk")
    )
    handlers, staff = defaultdict(dict), defaultdict(dict)
    for user in users:
        if user.is_handler:
            handlers[user.department_id][user.pk] = user
        else:
            staff[user.region_id][user.pk] = user

    created = []
    with override(settings.LANGUAGE_CODE):
        for problem in problems:
            holders = dict(handlers[problem.handling_department_id]) if problem.handling_department_id else {}
            if not holders:
                holders = dict(staff[problem.handling_region_id])
            values = {"problem": _label(problem), "deadline": problem.deadline.isoformat()}
            if problem.deadline < today:
                recipients = {**holders, **staff[problem.handling_region_id], **staff[problem.handling_region.parent_id]}
                key = f"problem-overdue:{problem.pk}:{today.isoformat()}"
                title = _("Overdue since %(deadline)s: %(problem)s") % values
            else:
                recipients = holders
                key = f"problem-due:{problem.pk}:{today.isoformat()}"
                title = _("Due by %(deadline)s: %(problem)s") % values
            ordered = [recipients[pk] for pk in sorted(recipients)]
            created += notify(recipients=ordered, key=key, title=title, link=problem_url(problem))
    return created


# ---------------------------------------------------------------------------------------------------
# The home page


def problem_items(user, *, today):
    """The home page's to-do entries: problems waiting for the user (held by them or their office,
    referrals awaiting their signature), overdue first, at most ten."""
    if not user.is_authenticated:
        return []
    overdue = Q(status__in=CLOCK_STATES, deadline__lt=today)
    problems = (
        Problem.objects.held_by(user)
        .select_related("enterprise", "category")
        .annotate(late=Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("late", F("deadline").asc(nulls_last=True), "raised_on", "pk")[:HOME_ITEMS_LIMIT]
    )
    entries = []
    for problem in problems:
        values = {"problem": _label(problem)}
        if problem.late == 0:
            title = _("Problem overdue: %(problem)s") % values
        elif problem.status == ProblemStatus.REFERRED:
            title = _("Sign for or return: %(problem)s") % values
        elif problem.status in TRIAGE_STATES:
            title = _("Problem to triage: %(problem)s") % values
        elif problem.status == ProblemStatus.ESCALATED:
            title = _("Escalated problem to decide: %(problem)s") % values
        elif problem.status == ProblemStatus.WAITING:
            title = _("Problem waiting on the enterprise: %(problem)s") % values
        else:
            title = _("Problem to handle: %(problem)s") % values
        entries.append({"title": title, "url": problem_url(problem), "due": problem.deadline})
    return entries
