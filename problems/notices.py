"""Who hears about a problem, and when: notices on its moves, deadline reminders and home to-do items.

Every message goes through notifications.services (`notify`, or `notify_many` for the daily reminders)
with a key naming the problem and the event (or the day, for the one reminder an official gets a day),
so a callback or a periodic task run twice sends nothing twice.
problems.services calls the `notify_*` functions through `transaction.on_commit`: nobody hears of
a move that was rolled back.

The enterprise's feedback link: the portal does not write to enterprises, so when a problem is solved
or explained the united-front staff of the liaison office in charge (`office_region`) are sent the link
(`feedback_link(problem)`, absolute: SITE_URL, or the address of the request that made the move) and
pass it on to the enterprise's contact. The problem's page shows it to them too, with a QR code
(problems.feedback.handover).
"""

from collections import defaultdict

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from accounts.models import User
from accounts.roles import Role
from accounts.services import staff_of
from notifications.channels import absolute_url, site_url
from notifications.services import Message, notify, notify_many
from notifications.texts import Lines, Names, Text

from .deadlines import due_soon_limit
from .feedback.tokens import make_feedback_token
from .models import CLOCK_STATES, FEEDBACK_STATES, TRIAGE_STATES, Category, Problem, ProblemStatus
from .workdays import WorkingCalendar

HOME_ITEMS_LIMIT = 10
# Problems listed one by one in an official's daily deadline reminder; the rest are counted.
REMINDER_PROBLEMS_LIMIT = 10


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


def feedback_link(problem, request=None):
    """The absolute link the enterprise's contact opens to give its verdict on the current round
    (notifications.channels.absolute_url: SITE_URL, else the address of `request` or of the request
    being served).

    Only for a solved or explained problem (ValueError otherwise). Each call signs a fresh token for
    the same round: any of them works until the round is answered, superseded or the link expires.
    """
    return absolute_url(feedback_path(problem), request)


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


def problem_label(enterprise_name, category):
    """The problem as a notification names it, its category in the reader's language."""
    return Text("%(enterprise)s · %(category)s", enterprise=enterprise_name, category=Names(category.name, en=category.name_en))


def _problem_label(problem):
    return problem_label(problem.enterprise.name, problem.category)


def _send(recipients, *, key, title, body="", link=""):
    # The words are stored as messages: each reader sees them in their own language (notifications.texts).
    return notify(recipients=recipients, key=key, title=title, body=body, link=link)


def _fresh(problem):
    return Problem.objects.select_related(
        "enterprise", "category", "handling_region", "handling_department", "office_region"
    ).get(pk=problem.pk)


# ---------------------------------------------------------------------------------------------------
# Notices on the moves (called by problems.services after the commit)


def notify_referred(problem, event_id):
    """A referral: the target department's handlers (its region's staff when it has none) sign or return it."""
    problem = _fresh(problem)
    title = Text(gettext_lazy("Problem referred to you, to sign for or return: %(problem)s"), problem=_problem_label(problem))
    body = Text(gettext_lazy("Deadline: %(deadline)s"), deadline=problem.deadline.isoformat() if problem.deadline else "—")
    return _send(
        holders_of(problem), key=f"problem-referred:{problem.pk}:{event_id}", title=title, body=body, link=problem_url(problem)
    )


def notify_returned(problem, event_id):
    """A return: whoever referred the problem has it back (the department's handlers, or the office)."""
    problem = _fresh(problem)
    title = Text(gettext_lazy("Referral returned to you: %(problem)s"), problem=_problem_label(problem))
    return _send(holders_of(problem), key=f"problem-returned:{problem.pk}:{event_id}", title=title, link=problem_url(problem))


def notify_escalated(problem, event_id):
    """An escalation: the province's united-front staff decide on it."""
    problem = _fresh(problem)
    title = Text(
        gettext_lazy("Problem escalated to the province, awaiting a decision: %(problem)s"), problem=_problem_label(problem)
    )
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
    title = Text(gettext_lazy("Problem reopened, awaiting triage: %(problem)s"), problem=_problem_label(problem))
    return _send(
        staff_of([problem.office_region_id]),
        key=f"problem-reopened:{problem.pk}:{event_id}",
        title=title,
        link=problem_url(problem),
    )


def liaison_cadres_of(enterprise):
    """The enterprise's liaison cadres in force today, at every level (active officials)."""
    return list(_active().filter(assignments__in=enterprise.assignments.current().values("pk")).distinct().order_by("pk"))


def notify_enterprise_demand(problem, event_id):
    """A demand the enterprise raised through its door: the staff who triage problems in the liaison
    office in charge, and the enterprise's liaison cadres, hear of it."""
    problem = _fresh(problem)
    recipients = {official.pk: official for official in staff_of([problem.office_region_id])}
    recipients.update((official.pk, official) for official in liaison_cadres_of(problem.enterprise))
    title = Text(gettext_lazy("The enterprise raised a demand, awaiting triage: %(problem)s"), problem=_problem_label(problem))
    return _send(
        [recipients[pk] for pk in sorted(recipients)],
        key=f"problem-demand:{problem.pk}:{event_id}",
        title=title,
        body=problem.description[:500],
        link=problem_url(problem),
    )


def notify_enterprise_answered(problem, event_id):
    """The enterprise answered the request for more information: whoever holds the problem goes on."""
    problem = _fresh(problem)
    title = Text(
        gettext_lazy("The enterprise sent the information asked for; the clock runs again: %(problem)s"),
        problem=_problem_label(problem),
    )
    return _send(holders_of(problem), key=f"problem-answered:{problem.pk}:{event_id}", title=title, link=problem_url(problem))


def notify_feedback_link(problem):
    """A solution or explanation: the office in charge gets the enterprise's feedback link to pass on."""
    problem = _fresh(problem)
    if problem.status not in FEEDBACK_STATES:
        return []  # already answered, closed or reopened before this ran
    enterprise = problem.enterprise
    title = Text(gettext_lazy("Ask the enterprise for its verdict: %(problem)s"), problem=_problem_label(problem))
    contact = " ".join(part for part in (enterprise.contact_name, enterprise.contact_mobile) if part) or gettext_lazy(
        "no contact recorded"
    )
    body = Text(
        gettext_lazy(
            "Send this link to the enterprise's contact (%(contact)s); it is good for 30 days and for this round only:\n%(link)s"
        ),
        contact=contact,
        link=feedback_link(problem),
    )
    return _send(
        staff_of([problem.office_region_id]),
        key=f"problem-feedback:{problem.pk}:{problem.feedback_round}",
        title=title,
        body=body,
        link=problem_url(problem),
    )


# ---------------------------------------------------------------------------------------------------
# Deadline reminders


def deadline_key(*, today):
    """The key of the day's deadline reminder: one per recipient and day, whatever the number of problems."""
    return f"problem-deadlines:{today.isoformat()}"


def deadline_text(items):
    """The title and body of one official's deadline reminder: `items` are (deadline, is_overdue, pk,
    label), overdue first; the first few are listed with their links, then how many more."""
    overdue = sum(1 for _deadline, is_overdue, _pk, _label in items if is_overdue)
    title = Text(
        gettext_lazy("Problem deadlines: %(overdue)d overdue, %(due_soon)d due soon"),
        overdue=overdue,
        due_soon=len(items) - overdue,
    )
    site = site_url()
    lines = []
    for deadline, is_overdue, pk, label in items[:REMINDER_PROBLEMS_LIMIT]:
        line = (
            gettext_lazy("Overdue since %(deadline)s: %(problem)s")
            if is_overdue
            else gettext_lazy("Due by %(deadline)s: %(problem)s")
        )
        lines.append(
            Text(
                "%(line)s %(link)s",
                line=Text(line, problem=label, deadline=deadline.isoformat()),
                link=f"{site}{problem_url(pk)}",
            )
        )
    more = len(items) - REMINDER_PROBLEMS_LIMIT
    if more > 0:
        lines.append(Text(ngettext_lazy("and %(count)d more problem", "and %(count)d more problems", "count"), count=more))
    return title, Lines(*lines)


def send_deadline_reminders(*, today):
    """Remind the holders of problems due soon (yellow), and the holders and their superiors of those
    overdue (red): the united-front staff of the handling region and of the region above it.

    Each official gets at most one reminder a day, listing their problems, overdue first (the first
    REMINDER_PROBLEMS_LIMIT with their links, then how many more); its key names the day, so a second
    run on the same day, or two at once, sends nothing again. Works across every region in a fixed
    number of queries (calendar, problems, categories, recipients, and the notification layer's bulk
    writes), whatever the number of problems or regions. Returns the notifications created.
    """
    calendar = WorkingCalendar.load()
    limit = due_soon_limit(today=today, calendar=calendar)
    problems = list(
        Problem.objects.clock_running()
        .filter(deadline__lte=limit)
        .order_by()  # each official's list is sorted below: no sort of every problem in the database
        .values_list(
            "pk",
            "deadline",
            "handling_department_id",
            "handling_region_id",
            "handling_region__parent_id",
            "enterprise__name",
            "category_id",
        )
    )
    if not problems:
        return []
    department_ids, region_ids = set(), set()
    for _pk, deadline, department_id, region_id, parent_id, _name, _category in problems:
        if department_id:
            department_ids.add(department_id)
        region_ids.add(region_id)
        if deadline < today and parent_id:
            region_ids.add(parent_id)
    # One query for every recipient: handlers of the departments and staff of the regions.
    users = (
        _active()
        .filter(
            Q(department_id__in=department_ids, groups__name=Role.HANDLER) | Q(region_id__in=region_ids, groups__name=Role.STAFF)
        )
        .annotate(is_handler=Case(When(groups__name=Role.HANDLER, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("pk")
    )
    handlers, staff, officials = defaultdict(list), defaultdict(list), {}
    for user in users:
        officials[user.pk] = user
        if user.is_handler:
            handlers[user.department_id].append(user.pk)
        else:
            staff[user.region_id].append(user.pk)

    items = defaultdict(dict)  # official's pk -> {problem pk: item}; an official who holds and supervises hears once
    categories = Category.objects.in_bulk()
    for pk, deadline, department_id, region_id, parent_id, enterprise_name, category_id in problems:
        recipients = (handlers[department_id] if department_id else []) or staff[region_id]
        is_overdue = deadline < today
        if is_overdue:
            recipients = [*recipients, *staff[region_id], *(staff[parent_id] if parent_id else [])]
        item = (deadline, is_overdue, pk, problem_label(enterprise_name, categories[category_id]))
        for official in recipients:
            items[official][pk] = item
    key = deadline_key(today=today)
    messages = []
    for official_pk in sorted(items):
        listed = sorted(items[official_pk].values(), key=lambda item: (not item[1], item[0], item[2]))
        title, body = deadline_text(listed)
        messages.append(Message(officials[official_pk], key, title, body, problems_link(listed)))
    return notify_many(messages)


def problems_link(items):
    """The problem list where the reminder's reader finds them: the overdue ones, or those they hold."""
    try:
        url = reverse("problems:list")
    except NoReverseMatch:  # the list's pages are wired by problems/urls.py
        url = "/problems/"
    return f"{url}?{'overdue=yes' if any(is_overdue for _deadline, is_overdue, _pk, _label in items) else 'mine=1'}"


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
