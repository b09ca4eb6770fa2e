"""Logging visits: drafts, submission, policies delivered and attachments, each write transactional.

The moves of a visit (edit, submit, delete a draft) are those of visits.lifecycle's table."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.attachments import checked_uploads
from core.lifecycle import lock
from enterprises.models import LiaisonAssignment

from .lifecycle import LIFECYCLE, Action
from .models import VisitAttachment, VisitStatus
from .plan.services import refresh_visit


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
    visit true (visits.plan.services). Returns the visit as saved.
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
    if submit:
        visit.submitted_at = timezone.now()
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


@transaction.atomic
def delete_draft(*, actor, visit):
    """Delete a draft with its attachments: the lead cadre's `delete` of visits.lifecycle."""
    visit = lock(visit)
    LIFECYCLE.check(visit, Action.DELETE, actor)
    for attachment in visit.attachments.all():
        attachment.file.delete(save=False)
    visit.delete()
