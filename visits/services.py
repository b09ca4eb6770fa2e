"""Logging visits: drafts, submission, policies delivered and attachments, each write transactional.

The moves of a visit (edit, submit, delete a draft, void a submitted visit) are those of visits.lifecycle's
table.

Submitting a visit hands each line of its "problems raised" to the apps that keep such records, in the
same transaction: each installed app's `visit_hooks.py` → `visit_submitted(actor=, visit=, lines=)`
(found by core.registry.contributions, so this layer imports none of them; the problem list makes a
problem of each line), once per visit (`Visit.problems_registered_at`).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.attachments import checked_uploads
from core.lifecycle import lock, required_text
from core.registry import contributions
from enterprises.models import LiaisonAssignment

from .lifecycle import LIFECYCLE, Action
from .models import VisitAttachment, VisitStatus
from .plan.services import refresh_visit

# A visit lists at most this many problems, one per line: more is a paste gone wrong, or minutes that
# belong in the attachments. A line is one problem in a sentence or two.
MAX_PROBLEM_LINES = 20
MAX_PROBLEM_LINE_LENGTH = 500
# A reason for voiding a visit says what was wrong, in a few words at least ("logged twice").
MIN_VOID_REASON_LENGTH = 5
# A numbering or a bullet the cadre typed before a problem ("1.", "（2）", "三、", "-", "•"): not part of it.
_LIST_MARKER = re.compile(
    r"^(?:[(（]?\d{1,3}[)）.、．](?!\d)|[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[-*•·●▪])\s*"
)


@dataclass(frozen=True)
class Registered:
    """A record an app made of a submitted visit (a problem on the problem list): what it is, its page
    and, on the visit's page, where it stands."""

    label: str
    url: str
    note: str = ""


def problem_lines(text):
    """The problems a visit's "problems raised" lists, one per line, without a leading number or bullet.

    Blank lines are ignored. A ValidationError keyed `problems_raised` names every line that cannot be a
    problem: a number or bullet with nothing after it, a line longer than MAX_PROBLEM_LINE_LENGTH, or more
    than MAX_PROBLEM_LINES problems.
    """
    lines, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        problem = _LIST_MARKER.sub("", line, count=1).strip()
        if not problem:
            errors.append(
                _("Line %(number)d has a number or a bullet but no problem: write the problem or delete the line.")
                % {"number": number}
            )
        elif len(problem) > MAX_PROBLEM_LINE_LENGTH:
            errors.append(
                _("Line %(number)d is longer than %(max)d characters: put one problem a line, in a sentence or two.")
                % {"number": number, "max": MAX_PROBLEM_LINE_LENGTH}
            )
        else:
            lines.append(problem)
    if len(lines) > MAX_PROBLEM_LINES:
        errors.append(
            ngettext(
                "List at most %(max)d problem, one a line (this list has %(count)d): merge related ones.",
                "List at most %(max)d problems, one a line (this list has %(count)d): merge related ones.",
                MAX_PROBLEM_LINES,
            )
            % {"max": MAX_PROBLEM_LINES, "count": len(lines)}
        )
    if errors:
        raise ValidationError({"problems_raised": errors})
    return lines


def enterprises_to_visit(official, *, on=None):
    """The enterprises an official may log a visit to: those they currently liaise with."""
    from enterprises.models import Enterprise

    current = LiaisonAssignment.objects.current(on=on).filter(official=official)
    return Enterprise.objects.filter(pk__in=current.values("enterprise_id"))


def check_visit(visit, *, submitting):
    """Business rules of a visit, as a ValidationError keyed by field."""
    errors = {}
    today = timezone.localdate()
    if not enterprises_to_visit(visit.cadre).filter(pk=visit.enterprise_id).exists():
        errors["enterprise"] = _("You can log visits only to the enterprises on your liaison list.")
    if submitting and visit.visited_on and visit.visited_on > today:
        errors["visited_on"] = _("A visit cannot take place in the future; save it as a draft until it has happened.")
    if visit.follow_up_on and visit.visited_on and visit.follow_up_on < visit.visited_on:
        errors["follow_up_on"] = _("The follow-up date must come after the visit.")
    try:
        problem_lines(visit.problems_raised)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_visit(*, actor, visit, companions, policies_explained, deliveries, attachments, submit):
    """Log a visit, or change a draft, with everything recorded on it: as a draft, or submitted (`submit`).

    Either is a move of visits.lifecycle (`edit` or `submit`), checked first: a new visit is a draft of
    `actor`, its lead cadre; a saved one has its row locked, so only its lead cadre changes it, and only
    while it is a draft. `deliveries` are unsaved PolicyDelivery objects (policy, support type, amount,
    note) that replace the visit's earlier ones; `attachments` are uploaded files, checked before anything
    is written. Submitting keeps `last_visit_on` and `next_due_on` of the liaisons of everyone on the
    visit true (visits.plan.services), and makes a problem of the list of each of its problem lines
    (`visit_submitted` hooks, above), once: the returned visit's `registered` lists them (Registered).
    A refusal of any of them undoes the whole submission. Returns the visit as saved.
    """
    action = Action.SUBMIT if submit else Action.EDIT
    if visit.pk is None:
        visit.cadre = visit.created_by = actor  # a new visit is a draft of the official logging it
        status = LIFECYCLE.check(visit, action, actor)
    else:
        status = LIFECYCLE.check(lock(visit), action, actor)
    visit.region_id = visit.enterprise.region_id
    current = LiaisonAssignment.objects.current().filter(official=actor, enterprise=visit.enterprise).first()
    visit.level = current.level if current else actor.region.level
    check_visit(visit, submitting=submit)
    checked = checked_uploads(attachments)
    visit.status = status
    # The lines become problems at the first submission only (a visit is submitted once; the stamp says so).
    registering = submit and visit.problems_registered_at is None
    if submit:
        visit.submitted_at = timezone.now()
    if registering:
        visit.problems_registered_at = visit.submitted_at
    visit.full_clean(exclude=["companions", "policies_explained"])
    visit.save()
    visit.companions.set([official for official in companions if official.pk != actor.pk])
    visit.policies_explained.set(policies_explained)
    visit.deliveries.all().delete()
    for delivery in deliveries:
        delivery.pk = None  # the visit's deliveries are written afresh, in the order given
        delivery.visit = visit
        delivery.enterprise = visit.enterprise
        delivery.region_id = visit.region_id
        delivery.full_clean()
        delivery.save()
    # Before the attachments are stored: a refused line leaves no file behind.
    visit.registered = _register_problems(actor=actor, visit=visit) if registering else []
    for uploaded, content_type in checked:
        VisitAttachment.objects.create(
            visit=visit,
            file=uploaded,
            original_name=uploaded.name[:200],
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=actor,
        )
    if visit.status == VisitStatus.SUBMITTED:
        # A submitted visit moves the due date of its lead cadre and of every companion who liaises with
        # the enterprise (a draft counts for nobody, and only drafts change afterwards).
        refresh_visit(visit)
    return visit


def _register_problems(*, actor, visit):
    """Hand the submitted visit's problem lines to the apps that record them (their `visit_submitted`)."""
    lines = problem_lines(visit.problems_raised)
    if not lines:
        return []
    registered = []
    for visit_submitted in contributions("visit_hooks", "visit_submitted"):
        registered.extend(visit_submitted(actor=actor, visit=visit, lines=lines))
    return registered


def registered_from(visit):
    """What the apps recorded from the visit (its problems on the problem list), for its page."""
    return [record for records_of in contributions("visit_hooks", "registered_from") for record in records_of(visit)]


@transaction.atomic
def delete_draft(*, actor, visit):
    """Delete a draft with its attachments: the lead cadre's `delete` of visits.lifecycle."""
    visit = lock(visit)
    LIFECYCLE.check(visit, Action.DELETE, actor)
    for attachment in visit.attachments.all():
        attachment.file.delete(save=False)
    visit.delete()


def check_void_reason(reason):
    """The reason for voiding, stripped; a ValidationError keyed `reason` when it is missing or too short to
    say what was wrong."""
    reason = required_text(reason, _("Say why the visit is voided."), field="reason")
    if len(reason) < MIN_VOID_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": _("Say in at least %(count)d characters why the visit is voided (for example, “logged twice”).")
                % {"count": MIN_VOID_REASON_LENGTH}
            },
            code="too_short",
        )
    return reason


@transaction.atomic
def void_visit(*, actor, visit, reason):
    """Void a submitted visit found to be wrong: the `void` of visits.lifecycle, by staff or an administrator
    of its region, with a reason. The visit stays on the record, readable, with who voided it, when and why;
    it no longer counts anywhere a submitted visit counts, so the due dates of everyone on it are computed
    again without it (visits.plan.services). The problems raised from its lines stay on the problem list:
    they have their own history. Returns the voided visit."""
    visit = lock(visit)
    status = LIFECYCLE.check(visit, Action.VOID, actor)
    visit.void_reason = check_void_reason(reason)
    visit.status, visit.voided_at, visit.voided_by = status, timezone.now(), actor
    visit.save(update_fields=["status", "voided_at", "voided_by", "void_reason", "updated_at"])
    refresh_visit(visit)
    return visit
