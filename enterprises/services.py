"""Writes to the enterprise register and the liaison lists: transactional, keyword-only, returning objects."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region
from accounts.roles import Role
from core.registry import contributions

from .models import LiaisonAssignment


def check_liaison_candidate(*, official, enterprise):
    """Why `official` cannot liaise with `enterprise`, as a ValidationError; nothing when they can."""
    if not official.is_active:
        raise ValidationError(_("%(name)s's account is deactivated.") % {"name": official.display_name})
    if not official.has_role(Role.CADRE):
        raise ValidationError(_("%(name)s is not a liaison cadre.") % {"name": official.display_name})
    if official.region_id is None or not Region(code=official.region_id).contains(enterprise.region_id):
        raise ValidationError(
            _("%(name)s's region does not include %(enterprise)s.")
            % {"name": official.display_name, "enterprise": enterprise.name}
        )


@transaction.atomic
def assign_liaison(*, enterprise, official, actor, started_on=None, reason=""):
    """Make `official` the liaison of `enterprise` at the official's own level.

    A current liaison of another official at that level is ended on the same day with the reason
    "replaced"; assigning the current liaison again changes nothing and returns their assignment.
    """
    check_liaison_candidate(official=official, enterprise=enterprise)
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError(_("A liaison cannot start in the future."))
    level = official.region.level
    # Lock the enterprise's current liaison at this level so two staff cannot both replace it.
    current = (
        LiaisonAssignment.objects.select_for_update().filter(enterprise=enterprise, level=level, ended_on__isnull=True).first()
    )
    if current is not None:
        if current.official_id == official.pk:
            return current
        if started_on < current.started_on:
            raise ValidationError(
                _("The current liaison started on %(date)s; the new one cannot start earlier.")
                % {"date": current.started_on.isoformat()}
            )
        end_liaison(
            assignment=current,
            actor=actor,
            ended_on=started_on,
            reason=_("Replaced by %(name)s") % {"name": official.display_name},
        )
    assignment = LiaisonAssignment(
        enterprise=enterprise,
        official=official,
        level=level,
        region_id=enterprise.region_id,
        department=official.department,
        started_on=started_on,
        reason=reason,
        assigned_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    liaison_saved(assignment)
    return assignment


def liaison_saved(assignment):
    """After a liaison was started or changed (here, or in the admin): the apps that keep dates on it set them
    (visits: the cadre's last visit and the next one due). Asked by name (`<app>/liaisons.py`, found by
    core.registry.contributions) because those apps sit above this one.
    """
    for saved in contributions("liaisons", "liaison_saved"):
        saved(assignment)


@transaction.atomic
def end_liaison(*, assignment, actor, reason, ended_on=None):
    """End a liaison; the row stays, with its end date and reason, in the list of past dates."""
    ended_on = ended_on or timezone.localdate()
    if assignment.ended_on is not None:
        raise ValidationError(_("This liaison has already ended."))
    if ended_on > timezone.localdate():
        raise ValidationError(_("A liaison cannot end in the future."))
    if ended_on < assignment.started_on:
        raise ValidationError(_("A liaison cannot end before it started."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for ending the liaison."))
    assignment.ended_on = ended_on
    assignment.end_reason = reason
    assignment.ended_by = actor
    assignment.next_due_on = None  # an ended liaison owes no visit; its last visit stays on record
    assignment.save(update_fields=["ended_on", "end_reason", "ended_by", "next_due_on"])
    return assignment


@transaction.atomic
def replace_liaison(*, actor, assignment, official, reason, on=None):
    """Hand `assignment`'s liaison over to `official` in one step: the liaison ends and the new one starts on
    the same day (`on`, today by default), at the same level, for the one `reason`, which both records keep.
    Both or neither: any refusal, including one of the new assignment, leaves the current liaison as it was.
    """
    on = on or timezone.localdate()
    # Lock the liaison being replaced so two staff cannot hand it over at once.
    assignment = LiaisonAssignment.objects.select_for_update().select_related("enterprise", "official").get(pk=assignment.pk)
    if assignment.ended_on is not None:
        raise ValidationError(_("This liaison has already ended."))
    if official.pk == assignment.official_id:
        raise ValidationError(
            {"official": _("%(name)s is already this liaison; choose another cadre.") % {"name": official.display_name}}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    try:
        check_liaison_candidate(official=official, enterprise=assignment.enterprise)
    except ValidationError as error:
        raise ValidationError({"official": error.messages}) from error
    if official.region.level != assignment.level:
        raise ValidationError(
            {
                "official": _("This is a %(level)s liaison; choose a cadre of that level.")
                % {"level": assignment.get_level_display()}
            }
        )
    try:
        end_liaison(assignment=assignment, actor=actor, ended_on=on, reason=reason)
    except ValidationError as error:  # what is left to refuse is the day: in the future, or before the start
        raise ValidationError({"on": error.messages}) from error
    return assign_liaison(enterprise=assignment.enterprise, official=official, actor=actor, started_on=on, reason=reason)


@transaction.atomic
def bulk_assign(*, enterprises, official, actor, started_on=None, reason=""):
    """Assign one cadre to many enterprises, all or none. Returns (assigned now, already theirs)."""
    assigned, unchanged = [], []
    for enterprise in enterprises:
        already = LiaisonAssignment.objects.filter(enterprise=enterprise, official=official, ended_on__isnull=True)
        if already.exists():
            unchanged.append(enterprise)
            continue
        try:
            assign_liaison(enterprise=enterprise, official=official, actor=actor, started_on=started_on, reason=reason)
        except ValidationError as error:
            # Name the enterprise: the whole batch is refused, and the reader must know which one failed.
            raise ValidationError(f"{enterprise.name}: {' '.join(error.messages)}") from error
        assigned.append(enterprise)
    return assigned, unchanged


@transaction.atomic
def save_enterprise(*, enterprise, tags=None):
    enterprise.full_clean()
    enterprise.save()
    if tags is not None:
        enterprise.tags.set(tags)
    return enterprise


def delete_enterprise(*, enterprise):
    """Delete an enterprise entered by mistake. One with any record attached (a liaison, a visit, a
    problem) is refused: set its status to deregistered instead."""
    try:
        with transaction.atomic():
            enterprise.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("%(name)s has records attached and cannot be deleted; mark it as deregistered instead.") % {"name": enterprise.name}
        ) from error
