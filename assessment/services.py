"""Writes of the assessment: schemes, and the level-by-level approval that freezes a period.

Every function is keyword-only, takes `actor` first, runs in one transaction and returns what it saved.
A move locks its row (core.lifecycle.lock) before reading its state, asks the table of
assessment.lifecycle whether the state allows it and whether the actor may take it, then makes the checks
the table cannot (each refusal a ValidationError with a code and a whole sentence), changes the record and
records the step as an `ApprovalEvent`. A refused call changes nothing.

Closing a period refreshes its figures one last time (assessment.figures.refresh_period) and then marks
it closed: from then on the stored `IndicatorValue` and `RegionScore` rows are the frozen assessment,
which the nightly refresh leaves alone.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from accounts.access import PROVINCE_CODE
from accounts.models import Region, RegionLevel
from accounts.services import staff_of
from core.lifecycle import NOT_ALLOWED, lock, required_text
from notifications.services import notify
from notifications.texts import Text

from . import access, figures
from .indicators import BY_CODE
from .lifecycle import APPROVAL, PERIOD, SCHEME, Action, scheme_refusal
from .models import ApprovalEvent, ApprovalEventKind, ApprovalStatus, RegionApproval, Rule, Scheme, SchemeItem

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
NAMES_SHOWN = 5


# ---------------------------------------------------------------------------------------------------
# Schemes


def _check_period_open_for_schemes(period):
    if period.is_closed:
        raise ValidationError(
            _(
                "The period %(period)s is closed: its schemes can no longer be changed. "
                "Copy a scheme to an open period to change it."
            )
            % {"period": period.label},
            code="period_closed",
        )


def _check_level(owner, assessed_level):
    if assessed_level not in (RegionLevel.CITY, RegionLevel.COUNTY):
        raise ValidationError({"assessed_level": _("Choose whether the scheme assesses cities or counties.")}, code="invalid")
    if owner.level == RegionLevel.CITY and assessed_level != RegionLevel.COUNTY:
        raise ValidationError(
            {"assessed_level": _("A city sets the scheme of its own counties only; the province sets the cities' scheme.")},
            code="invalid",
        )


def _duplicate_message(owner, assessed_level, period):
    level = _("cities") if assessed_level == RegionLevel.CITY else _("counties")
    return _("%(owner)s already has a scheme for %(level)s in %(period)s: open it rather than creating another.") % {
        "owner": owner.name,
        "level": level,
        "period": period.label,
    }


@transaction.atomic
def create_scheme(*, actor, period, owner, assessed_level, name):
    """Start an (empty) scheme of `owner` (the province, or a city for its counties) in an open period."""
    if not access.may_set_schemes_of(actor, owner):
        raise ValidationError(scheme_refusal(actor, owner), code=NOT_ALLOWED)
    period = lock(period)
    _check_period_open_for_schemes(period)
    _check_level(owner, assessed_level)
    name = required_text(name, _("Name the scheme."), field="name")
    if Scheme.objects.filter(period=period, owner=owner, assessed_level=assessed_level).exists():
        raise ValidationError(_duplicate_message(owner, assessed_level, period), code="duplicate")
    return Scheme.objects.create(period=period, owner=owner, assessed_level=assessed_level, name=name, created_by=actor)


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def clean_items(items):
    """The scheme's items as unsaved SchemeItems, or a ValidationError listing every mistake: an unknown
    indicator, one listed twice, a weight or target of zero or below, an unknown rule, weights that do
    not add up to 100."""
    errors, cleaned, seen = [], [], set()
    for item in items:
        code = (item.get("indicator") or "").strip()
        indicator = BY_CODE.get(code)
        if indicator is None:
            errors.append(ValidationError(_("“%(code)s” is not an indicator of the catalogue.") % {"code": code}, code="unknown"))
            continue
        name = str(indicator.name)
        if code in seen:
            message = _("%(name)s is listed twice: list each indicator once.") % {"name": name}
            errors.append(ValidationError(message, code="twice"))
            continue
        seen.add(code)
        weight, target = _decimal(item.get("weight")), _decimal(item.get("target"))
        if weight is None or weight <= 0 or weight > HUNDRED:
            errors.append(ValidationError(_("Give %(name)s a weight above 0 and at most 100.") % {"name": name}, code="weight"))
        if target is None or target <= 0:
            errors.append(ValidationError(_("Give %(name)s a target above zero.") % {"name": name}, code="target"))
        elif target >= Decimal("1e12"):
            errors.append(ValidationError(_("The target of %(name)s is too large.") % {"name": name}, code="target"))
        rule = item.get("rule") or Rule.LINEAR
        if rule not in Rule.values:
            errors.append(ValidationError(_("Choose a scoring rule for %(name)s.") % {"name": name}, code="rule"))
        if weight is not None and target is not None:
            cleaned.append(SchemeItem(indicator=code, weight=weight.quantize(CENT), target=target.quantize(CENT), rule=rule))
    if not errors and not cleaned:
        errors.append(ValidationError(_("List at least one indicator."), code="empty"))
    if not errors:
        total = sum((item.weight for item in cleaned), Decimal(0))
        if total != HUNDRED:
            message = _("The weights add up to %(total)s; they must add up to 100.") % {"total": f"{total.normalize():f}"}
            errors.append(ValidationError(message, code="weights"))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def set_scheme_items(*, actor, scheme, items, name=None):
    """Replace the scheme's indicators by `items` (mappings of indicator, weight, target and rule), and
    rename it when `name` is given. Only while its period is open, by whoever sets its owner's schemes."""
    scheme = lock(scheme, "owner", "period")
    SCHEME.check(scheme, Action.EDIT, actor)
    cleaned = clean_items(items)
    if name is not None:
        scheme.name = required_text(name, _("Name the scheme."), field="name")
        scheme.save(update_fields=["name"])
    scheme.items.all().delete()
    for item in cleaned:
        item.scheme = scheme
    bulk_create_with_history(cleaned, SchemeItem, default_user=actor)
    return scheme


def _copy_owner(actor, scheme):
    """Whose scheme the copy becomes: the source's owner when the actor sets its schemes, else the actor's
    own region (a city starting its counties' scheme from the province's)."""
    if access.may_set_schemes_of(actor, scheme.owner):
        return scheme.owner
    own = Region.objects.filter(code=actor.region_id).first() if actor.region_id else None
    if own is not None and access.may_set_schemes_of(actor, own):
        return own
    raise ValidationError(scheme_refusal(actor, own or scheme.owner), code=NOT_ALLOWED)


@transaction.atomic
def copy_scheme(*, actor, scheme, period, name=""):
    """Copy `scheme` into an open `period` (another one, or its own as the new version of a scheme there).

    The copy is the actor's: the source's owner when the actor sets its schemes, else the actor's own
    region. When that owner already has a scheme for the same level in `period`, that scheme's items are
    replaced by the copy's (its new version); otherwise a new scheme is created. The weights, targets and
    rules are copied as they are.
    """
    owner = _copy_owner(actor, scheme)
    period = lock(period)
    _check_period_open_for_schemes(period)
    _check_level(owner, scheme.assessed_level)
    name = (name or "").strip() or scheme.name
    target = Scheme.objects.filter(period=period, owner=owner, assessed_level=scheme.assessed_level).first()
    if target is not None and target.pk == scheme.pk:
        raise ValidationError(
            _("A scheme cannot be copied onto itself: choose another period, or edit the scheme."), code="same_scheme"
        )
    items = [
        {"indicator": item.indicator, "weight": item.weight, "target": item.target, "rule": item.rule}
        for item in scheme.items.all()
    ]
    if target is None:
        target = Scheme.objects.create(
            period=period, owner=owner, assessed_level=scheme.assessed_level, name=name, created_by=actor, copied_from=scheme
        )
    else:
        target = lock(target, "owner", "period")
        target.copied_from = scheme
        target.save(update_fields=["copied_from"])
    if items:
        set_scheme_items(actor=actor, scheme=target, items=items, name=name)
    return Scheme.objects.select_related("owner", "period").get(pk=target.pk)


# ---------------------------------------------------------------------------------------------------
# A region's figures: confirm, accept, reopen


def approval_of(period, region):
    """The region's approval of `period`: the stored one, or a new open one (not saved)."""
    found = RegionApproval.objects.filter(period=period, region=region).select_related("region", "period").first()
    return found or RegionApproval(period=period, region=region)


def _locked_approval(period, region):
    approval, _created = RegionApproval.objects.get_or_create(period=period, region=region)
    approval = lock(approval, "region", "period")
    approval.period = period  # the period locked by the caller
    return approval


def _check_period_open(period):
    if period.is_closed:
        raise ValidationError(
            _("The period %(period)s is closed: its figures can no longer be confirmed, accepted or reopened.")
            % {"period": period.label},
            code="period_closed",
        )


def _check_period_over(period, today):
    if period.end >= today:
        raise ValidationError(
            _("The period %(period)s runs until %(end)s: its figures are confirmed once it has ended.")
            % {"period": period.label, "end": period.end.isoformat()},
            code="period_under_way",
        )


def _check_not_the_province(region):
    if region.level == RegionLevel.PROVINCE:
        raise ValidationError(
            _("The province's figures are not confirmed or accepted: the province closes the period."), code="invalid_move"
        )


def _names(regions):
    names = [region.name for region in regions[:NAMES_SHOWN]]
    if len(regions) > NAMES_SHOWN:
        names.append(_("and %(count)d more") % {"count": len(regions) - NAMES_SHOWN})
    return _("、").join(names)


def _statuses(period, regions):
    found = dict(RegionApproval.objects.filter(period=period, region__in=regions).values_list("region_id", "status"))
    return {region.code: found.get(region.code, ApprovalStatus.OPEN) for region in regions}


def _record(period, region, kind, actor, note=""):
    return ApprovalEvent.objects.create(period=period, region=region, kind=kind, actor=actor, note=note)


@transaction.atomic
def confirm_figures(*, actor, period, region, explanation="", today=None):
    """The region's staff confirm its figures of an ended period, with an optional explanation of
    anomalies. A city confirms once it has accepted the figures of every one of its counties."""
    today = today or timezone.localdate()
    period = lock(period)
    _check_period_open(period)
    _check_not_the_province(region)
    approval = _locked_approval(period, region)
    status = APPROVAL.check(approval, Action.CONFIRM, actor)
    _check_period_over(period, today)
    if region.level == RegionLevel.CITY:
        counties = list(Region.objects.filter(parent=region).order_by("code"))
        statuses = _statuses(period, counties)
        pending = [county for county in counties if statuses[county.code] != ApprovalStatus.ACCEPTED]
        if pending:
            raise ValidationError(
                _("Accept the figures of every county of %(region)s before confirming its own; not yet accepted: %(names)s.")
                % {"region": region.name, "names": _names(pending)},
                code="regions_pending",
            )
    approval.status = status
    approval.explanation = (explanation or "").strip()
    approval.confirmed_by, approval.confirmed_at = actor, timezone.now()
    approval.accepted_by, approval.accepted_at = None, None
    approval.save()
    _record(period, region, ApprovalEventKind.CONFIRMED, actor, approval.explanation)
    if region.parent_id:
        _tell(
            staff_of([region.parent_id]),
            period,
            region.parent_id,
            key=f"assessment-confirmed:{period.pk}:{region.code}:{approval.confirmed_at.isoformat()}",
            title=Text(gettext_lazy("%(region)s confirmed its figures of %(period)s"), region=region.name, period=period.label),
            body=Text(gettext_lazy("Check them, then accept them or reopen them with a reason.")),
        )
    return approval


@transaction.atomic
def accept_figures(*, actor, period, region):
    """The region directly above accepts the confirmed figures of `region`."""
    period = lock(period)
    _check_period_open(period)
    _check_not_the_province(region)
    approval = _locked_approval(period, region)
    approval.status = APPROVAL.check(approval, Action.ACCEPT, actor)
    approval.accepted_by, approval.accepted_at = actor, timezone.now()
    approval.save()
    _record(period, region, ApprovalEventKind.ACCEPTED, actor)
    return approval


@transaction.atomic
def reopen_figures(*, actor, period, region, reason):
    """Send the region's confirmed (or accepted) figures back to open, with a reason. A county's are not
    reopened while its city's own confirmation, which includes them, stands."""
    period = lock(period)
    _check_period_open(period)
    _check_not_the_province(region)
    approval = _locked_approval(period, region)
    status = APPROVAL.check(approval, Action.REOPEN, actor)
    reason = required_text(reason, _("Give the reason for reopening the figures."), field="reason")
    parent = region.parent
    if parent is not None and parent.level == RegionLevel.CITY:
        if _statuses(period, [parent])[parent.code] != ApprovalStatus.OPEN:
            raise ValidationError(
                _(
                    "%(above)s has confirmed its figures, which include those of %(region)s: "
                    "reopen the figures of %(above)s first."
                )
                % {"above": parent.name, "region": region.name},
                code="above_confirmed",
            )
    approval.status = status
    approval.confirmed_by = approval.confirmed_at = approval.accepted_by = approval.accepted_at = None
    approval.save()
    event = _record(period, region, ApprovalEventKind.REOPENED, actor, reason)
    _tell(
        staff_of([region.code]),
        period,
        region.code,
        key=f"assessment-reopened:{period.pk}:{region.code}:{event.pk}",
        title=Text(gettext_lazy("Your figures of %(period)s were reopened"), period=period.label),
        body=reason,
    )
    return approval


def pending_regions(period):
    """The regions that keep `period` from closing: cities that have not confirmed their own figures and
    counties whose figures are not accepted, as [(region, status)] in code order."""
    regions = list(Region.objects.filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY]).order_by("code"))
    statuses = _statuses(period, regions)
    pending = []
    for region in regions:
        status = statuses[region.code]
        if region.level == RegionLevel.CITY and status == ApprovalStatus.OPEN:
            pending.append((region, status))
        elif region.level == RegionLevel.COUNTY and status != ApprovalStatus.ACCEPTED:
            pending.append((region, status))
    return pending


@transaction.atomic
def close_period(*, actor, period, force=False, reason="", today=None):
    """Close an ended period: its figures are refreshed one last time and then frozen.

    Refused before the period ends, when it is closed already, and while a city has not confirmed its
    own figures or a county's are not accepted, unless `force`d with a reason (kept as the close note).
    """
    today = today or timezone.localdate()
    period = lock(period)
    status = PERIOD.check(period, Action.CLOSE, actor)
    if period.end >= today:
        raise ValidationError(
            _("The period %(period)s runs until %(end)s: it can be closed once it has ended.")
            % {"period": period.label, "end": period.end.isoformat()},
            code="period_under_way",
        )
    reason = (reason or "").strip()
    pending = pending_regions(period)
    if pending and not force:
        raise ValidationError(
            _(
                "%(count)d regions have not finished their approval (%(names)s): a city must confirm its own figures and "
                "every county's must be accepted. To close the period anyway, force it and give the reason."
            )
            % {"count": len(pending), "names": _names([region for region, _status in pending])},
            code="regions_pending",
        )
    if pending and not reason:
        raise ValidationError(
            {"reason": _("Give the reason for closing before every region has finished its approval.")}, code="required"
        )
    figures.refresh_period(period, today=today)
    period.refresh_from_db(fields=["refreshed_at"])
    period.status = status
    period.closed_at, period.closed_by, period.close_note = timezone.now(), actor, reason
    period.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
    _record(period, Region.objects.get(code=PROVINCE_CODE), ApprovalEventKind.CLOSED, actor, reason)
    return period


@transaction.atomic
def reopen_period(*, actor, period, reason):
    """Reopen a closed period, with a reason: its figures are computed again by the next refresh."""
    period = lock(period)
    status = PERIOD.check(period, Action.REOPEN_PERIOD, actor)
    reason = required_text(reason, _("Give the reason for reopening the period."), field="reason")
    period.status = status
    period.closed_at, period.closed_by, period.close_note = None, None, ""
    period.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
    _record(period, Region.objects.get(code=PROVINCE_CODE), ApprovalEventKind.PERIOD_REOPENED, actor, reason)
    return period


def _tell(recipients, period, region_code, *, key, title, body):
    if not recipients:
        return
    # The words are stored as messages, put into each reader's language when read (notifications.texts).
    notify(
        recipients=recipients,
        key=key,
        title=title,
        body=body,
        link=reverse("assessment:approval_detail", kwargs={"period": period.label, "region": region_code}),
    )
