"""The moves of the enterprise's door: issuing and ending access links, and opening one.

    access, token = issue_access(actor=staff, enterprise=..., contact_name=..., contact_mobile=...)
    revoke_access(actor=staff, access=access, reason="...")
    opening = open_link(token=signed_value, address=..., user_agent=...)   # opening.access or opening.refusal

The token is returned once, by `issue_access`, and never stored (door/links.py). Issuing to a contact who
already has an unended access of the enterprise ends it first (`Ending.REISSUED`): its link is refused from
then on. `open_link` records every attempt as a `DoorEvent` and counts the failures for the throttle
(door/throttle.py); a link opened from more than DOOR_MAX_ADDRESSES addresses within an hour is suspended
and its issuer told.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import mobile_validator
from core.security_log import security_event
from enterprises.models import Enterprise
from notifications.services import notify
from notifications.texts import Text

from . import links, throttle
from .access import may_issue_access
from .models import Channel, DoorEvent, Ending, EnterpriseAccess, EventKind

USER_AGENT_LENGTH = 200
REASON_LENGTH = 200
# Within this time, the distinct addresses a link was opened from are counted against DOOR_MAX_ADDRESSES.
ADDRESS_WINDOW = timedelta(hours=1)


def record(kind, *, access=None, enterprise=None, address=None, user_agent="", mobile=""):
    """One line of the door's record, and of the security log (`door_<kind>`, the request being answered)."""
    event = DoorEvent.objects.create(
        kind=kind,
        access=access,
        enterprise=enterprise or (access.enterprise if access is not None else None),
        address=address,
        user_agent=(user_agent or "")[:USER_AGENT_LENGTH],
        mobile=mask_mobile(mobile),
    )
    security_event(None, f"door_{kind}", access_id=event.access_id, enterprise_id=event.enterprise_id, mobile=event.mobile)
    return event


def mask_mobile(mobile):
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile and len(mobile) == 11 else ""


def _clean_contact(contact_name, contact_mobile):
    contact_name = " ".join((contact_name or "").split())
    contact_mobile = (contact_mobile or "").strip()
    errors = {}
    if not contact_name:
        errors["contact_name"] = _("Enter the name of the person the link is for.")
    elif len(contact_name) > EnterpriseAccess._meta.get_field("contact_name").max_length:
        errors["contact_name"] = _("The name is too long.")
    if contact_mobile:
        try:
            mobile_validator(contact_mobile)
        except ValidationError as error:
            errors["contact_mobile"] = error.messages
    if errors:
        raise ValidationError(errors)
    return contact_name, contact_mobile


def new_access(
    *,
    enterprise,
    contact_name,
    contact_mobile="",
    issued_by=None,
    channel=Channel.LINK,
    now=None,
    token=None,
):
    """A new access of `enterprise` for a contact, ending the contact's unended one first. Inside the
    caller's transaction, with the enterprise's row locked. Returns (access, token). `token` is for the demo
    only (door/demo.py), whose links are the same at every run; anything else gets a random one."""
    now = now or timezone.now()
    for previous in (
        EnterpriseAccess.objects.select_for_update().unrevoked().filter(enterprise=enterprise, contact_name=contact_name)
    ):
        _end(previous, how=Ending.REISSUED, by=issued_by, reason="", now=now)
    token = token or links.new_token()
    access = EnterpriseAccess.objects.create(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        channel=channel,
        contact_name=contact_name,
        contact_mobile=contact_mobile,
        token_digest=links.digest(token),
        issued_by=issued_by,
        issued_at=now,
        expires_at=now + timedelta(days=settings.DOOR_LINK_DAYS),
    )
    return access, token


@transaction.atomic
def issue_access(*, actor, enterprise, contact_name, contact_mobile=""):
    """A link for one contact of the enterprise, good for DOOR_LINK_DAYS days. Returns (access, token): the
    token is what the link carries, returned here only."""
    if not may_issue_access(actor, enterprise):
        raise PermissionDenied
    contact_name, contact_mobile = _clean_contact(contact_name, contact_mobile)
    # Two officials issuing for the same contact at once: the second waits, then ends the first's link.
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    return new_access(enterprise=enterprise, contact_name=contact_name, contact_mobile=contact_mobile, issued_by=actor)


def _end(access, *, how, by, reason, now):
    access.revoked_at = now
    access.revoked_by = by
    access.ended_how = how
    access.revoke_reason = reason
    access.save(update_fields=["revoked_at", "revoked_by", "ended_how", "revoke_reason"])


@transaction.atomic
def revoke_access(*, actor, access, reason):
    """End a link now, with the reason: its sessions are shut out at their next request."""
    access = EnterpriseAccess.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=access.pk)
    if not may_issue_access(actor, access.enterprise):
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if access.revoked_at is not None:
        raise ValidationError(_("This link has already ended."), code="ended")
    if not reason:
        raise ValidationError({"reason": _("Say why the link is revoked.")})
    if len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": _("The reason is too long.")})
    _end(access, how=Ending.REVOKED, by=actor, reason=reason, now=timezone.now())
    return access


@dataclass(frozen=True)
class Opening:
    """What opening a link came to: the access, or why not (a `REFUSALS` key)."""

    access: EnterpriseAccess | None = None
    refusal: str = ""


REFUSALS = {
    "invalid": gettext_lazy("This link is not valid. Check that it was copied whole, or ask your liaison cadre for a new one."),
    "expired": gettext_lazy("This link has expired. Ask your liaison cadre for a new one."),
    "revoked": gettext_lazy(
        "This link is no longer valid: it was withdrawn or replaced by a newer one. Ask your liaison cadre for a new one."
    ),
    "suspended": gettext_lazy(
        "This link has been suspended because it was used from too many places at once. Ask your liaison cadre for a new link."
    ),
    "throttled": gettext_lazy("Too many attempts from your connection. Please wait a while and try again."),
}


def open_link(*, token, address, user_agent=""):
    """Check a link's signed token and open its access: its use counted and recorded. Any refusal is
    recorded too, and counted against the address unless it is the throttle's own."""
    seen = {"address": address, "user_agent": user_agent}
    if throttle.is_throttled(address=address):
        record(EventKind.THROTTLED, **seen)
        return Opening(refusal="throttled")
    plain = links.token_of(token)
    access = None
    if plain is not None:
        access = (
            EnterpriseAccess.objects.select_related("enterprise", "issued_by").filter(token_digest=links.digest(plain)).first()
        )
    if access is None:
        throttle.note_failure(address=address)
        record(EventKind.FAILED, **seen)
        return Opening(refusal="invalid")
    with transaction.atomic():
        access = (
            EnterpriseAccess.objects.select_for_update(of=("self",)).select_related("enterprise", "issued_by").get(pk=access.pk)
        )
        refusal = _refusal(access, address=address, user_agent=user_agent)
        if not refusal:
            now = timezone.now()
            access.use_count += 1
            access.last_used_at = now
            access.save(update_fields=["use_count", "last_used_at"])
            record(EventKind.OPENED, access=access, **seen)
            return Opening(access=access)
    throttle.note_failure(address=address)
    return Opening(refusal=refusal)


def _refusal(access, *, address, user_agent):
    """Why this access may not be opened now from `address` (recorded), or "" when it may."""
    seen = {"access": access, "address": address, "user_agent": user_agent}
    now = timezone.now()
    if access.ended_how == Ending.SUSPENDED:
        record(EventKind.SUSPENDED, **seen)
        return "suspended"
    if access.revoked_at is not None:
        record(EventKind.REVOKED, **seen)
        return "revoked"
    if access.expires_at <= now:
        record(EventKind.EXPIRED, **seen)
        return "expired"
    if _too_many_addresses(access, address=address, now=now):
        _end(access, how=Ending.SUSPENDED, by=None, reason="", now=now)
        record(EventKind.SUSPENDED, **seen)
        transaction.on_commit(lambda: _tell_issuer_of_suspension(access))
        return "suspended"
    return ""


def _too_many_addresses(access, *, address, now):
    recent = set(
        DoorEvent.objects.filter(access=access, kind=EventKind.OPENED, at__gte=now - ADDRESS_WINDOW)
        .exclude(address=None)
        .values_list("address", flat=True)
        .distinct()
    )
    if address:
        recent.add(address)
    return len(recent) > settings.DOOR_MAX_ADDRESSES


def _tell_issuer_of_suspension(access):
    if access.issued_by is None or not access.issued_by.is_active:
        return
    notify(
        recipients=[access.issued_by],
        key=f"door-suspended-{access.pk}",
        title=Text(gettext_lazy("Access link suspended: %(enterprise)s"), enterprise=access.enterprise.name),
        body=Text(
            gettext_lazy(
                "The link you issued to %(contact)s was opened from more than %(count)d places within an hour and "
                "has been suspended. Issue a new link to the contact if they still need one."
            ),
            contact=access.contact_name,
            count=settings.DOOR_MAX_ADDRESSES,
        ),
        link=reverse("door:enterprise_links", kwargs={"pk": access.enterprise_id}),
    )
