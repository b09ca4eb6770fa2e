"""Logging visits: drafts, submission, policies delivered and attachments, each write transactional."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.attachments import check_attachment
from enterprises.models import LiaisonAssignment

from .models import VisitAttachment, VisitStatus


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
def save_visit(*, visit, cadre, companions, policies_explained, deliveries, attachments, submit):
    """Save a visit with everything recorded on it, as a draft or submitted.

    `deliveries` are unsaved PolicyDelivery objects (policy, support type, amount, note) that replace
    the visit's earlier ones; `attachments` are uploaded files, checked before anything is written.
    """
    if visit.pk and not visit.is_draft:
        raise ValidationError(_("A submitted visit can no longer be changed."))
    visit.cadre = cadre
    visit.region_id = visit.enterprise.region_id
    current = LiaisonAssignment.objects.current().filter(official=cadre, enterprise=visit.enterprise).first()
    visit.level = current.level if current else cadre.region.level
    check_visit(visit, submitting=submit)
    checked = [(uploaded, check_attachment(uploaded)) for uploaded in attachments]
    if submit:
        visit.status = VisitStatus.SUBMITTED
        visit.submitted_at = timezone.now()
    if not visit.pk:
        visit.created_by = cadre
    visit.full_clean(exclude=["companions", "policies_explained"])
    visit.save()
    visit.companions.set([official for official in companions if official.pk != cadre.pk])
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
            uploaded_by=cadre,
        )
    return visit


@transaction.atomic
def delete_draft(*, visit, actor):
    if not visit.is_draft:
        raise ValidationError(_("Only drafts can be deleted; a submitted visit stays on the record."))
    if visit.cadre_id != actor.pk:
        raise ValidationError(_("Only the cadre who logged the visit can delete the draft."))
    for attachment in visit.attachments.all():
        attachment.file.delete(save=False)
    visit.delete()
