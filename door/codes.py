"""Signing in with a one-time code sent by SMS, where an SMS channel is configured.

A contact gives a mobile number registered for an enterprise (the enterprise's contact mobile, or the
mobile of one of its live access links) and receives a six-digit code by SMS (the channel named "sms" in
NOTIFICATION_CHANNELS, notifications.channels.SmsChannel). The code is good DOOR_CODE_MINUTES for
DOOR_CODE_ATTEMPTS tries; one code is open per number, a new one replacing it, and a new one may be asked
for DOOR_CODE_RESEND_SECONDS after the last request for the number.

Nothing says whether a number is registered: `request_code` answers "sent" for any well-formed number,
after the same lookups, and the code is made and sent by a worker (door.tasks.send_sign_in_code), so the
answer takes no longer for a registered number than for another. The code never travels through the
broker: the worker makes it. It is stored as an HMAC keyed by SECRET_KEY (a six-digit code's plain hash
would be reversed by trying a million codes).

    answer = request_code(mobile=..., address=..., user_agent=...)      # "sent", "wait" or "throttled"
    checked = verify_code(mobile=..., code=..., address=..., user_agent=...)   # checked.enterprises or .refusal
    access = sign_in_with_code(enterprise=..., mobile=..., address=..., user_agent=...)
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy

from enterprises.models import Enterprise, Status
from notifications.channels import channel_named, fit_sms

from . import throttle
from .models import Channel, EnterpriseAccess, EventKind, SignInCode
from .services import mask_mobile, new_access, record

CODE_LENGTH = 6
SMS_CHANNEL = "sms"
# The SMS: the code and how long it is good; with the gateway's signature it fits one SMS (70 characters).
SMS_TEMPLATE = gettext_lazy("Sign-in code %(code)s, good for %(minutes)d minutes.")

REFUSALS = {
    "wrong": gettext_lazy("The code is wrong or has expired. Check it, or ask for a new one."),
    "throttled": gettext_lazy("Too many attempts from your connection. Please wait a while and try again."),
    "wait": gettext_lazy("A code was asked for this number less than a minute ago. Please wait before asking again."),
}


def sms_channel():
    """The configured SMS channel, or None: without one, the door opens by link only."""
    return channel_named(SMS_CHANNEL)


def code_digest(mobile, code):
    return salted_hmac("door.sign_in_code", f"{mobile}:{code}", algorithm="sha256").hexdigest()


def registered_enterprises(mobile):
    """The operating enterprises `mobile` is registered for: as their contact mobile, or as the mobile of one of
    their live access links."""
    live_links = EnterpriseAccess.objects.live().filter(contact_mobile=mobile).values("enterprise_id")
    return (
        Enterprise.objects.filter(Q(contact_mobile=mobile) | Q(pk__in=live_links))
        .exclude(status=Status.DEREGISTERED)
        .order_by("name", "pk")
    )


def _resend_key(mobile):
    return f"door:code-asked:{code_digest(mobile, '')[:32]}"


def request_code(*, mobile, address, user_agent=""):
    """Ask for a code for `mobile`. "sent" whatever the number (a code goes out only to a registered one),
    "wait" within DOOR_CODE_RESEND_SECONDS of the last request for the number, "throttled" after too many
    failures from the address or for the number."""
    from .tasks import send_sign_in_code

    seen = {"address": address, "user_agent": user_agent, "mobile": mobile}
    if throttle.is_throttled(address=address, mobile=mobile):
        record(EventKind.THROTTLED, **seen)
        return "throttled"
    # For every number alike, registered or not, so that "wait" tells nothing either.
    if not caches[settings.DOOR_CACHE].add(_resend_key(mobile), 1, timeout=settings.DOOR_CODE_RESEND_SECONDS):
        return "wait"
    # Counted against the address like a failure: one address does not send codes to many numbers.
    throttle.note_failure(address=address)
    enterprise = registered_enterprises(mobile).first()
    record(EventKind.CODE_SENT, enterprise=enterprise, **seen)
    if enterprise is not None:
        transaction.on_commit(lambda: send_sign_in_code.delay(mobile))
    return "sent"


def send_code(mobile):
    """Make a new code for `mobile`, closing its open one, and send it by SMS (the worker's part of
    `request_code`). The number is checked again: it may have been unregistered in between."""
    channel = sms_channel()
    if channel is None or not registered_enterprises(mobile).exists():
        return
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    now = timezone.now()
    with transaction.atomic():
        SignInCode.objects.open().filter(mobile=mobile).update(closed_at=now)
        SignInCode.objects.create(
            mobile=mobile,
            code_digest=code_digest(mobile, code),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.DOOR_CODE_MINUTES),
        )
    with translation.override(settings.LANGUAGE_CODE):
        template = str(SMS_TEMPLATE) % {"code": "%(title)s", "minutes": settings.DOOR_CODE_MINUTES}
        text = fit_sms(template, title=code, signature=channel.signature)
    if code not in text:  # a template too long for the code: a mistake of the code, never a cut code
        raise ValueError(f"the sign-in SMS leaves no room for the code: {template!r}")
    channel.deliver(mobile, text, signature=channel.signature)


@dataclass(frozen=True)
class Checked:
    """A code checked: the enterprises its number may enter, or why not (a `REFUSALS` key)."""

    enterprises: list = field(default_factory=list)
    refusal: str = ""


def verify_code(*, mobile, code, address, user_agent=""):
    """Check `code` against the number's open code: right, the code is closed and the number's enterprises
    are returned; wrong, expired or none, one refusal for all, the attempt counted (the code closes after
    DOOR_CODE_ATTEMPTS) and recorded."""
    seen = {"address": address, "user_agent": user_agent, "mobile": mobile}
    if throttle.is_throttled(address=address, mobile=mobile):
        record(EventKind.THROTTLED, **seen)
        return Checked(refusal="throttled")
    now = timezone.now()
    with transaction.atomic():
        sign_in_code = SignInCode.objects.select_for_update().open().filter(mobile=mobile).first()
        right = (
            sign_in_code is not None
            and sign_in_code.expires_at > now
            and sign_in_code.attempts < settings.DOOR_CODE_ATTEMPTS
            and constant_time_compare(code_digest(mobile, (code or "").strip()), sign_in_code.code_digest)
        )
        if sign_in_code is not None:
            sign_in_code.attempts += 0 if right else 1
            if right or sign_in_code.attempts >= settings.DOOR_CODE_ATTEMPTS or sign_in_code.expires_at <= now:
                sign_in_code.closed_at = now
            sign_in_code.save(update_fields=["attempts", "closed_at"])
        if not right:
            record(EventKind.CODE_FAILED, **seen)
    if not right:
        throttle.note_failure(address=address, mobile=mobile)
        return Checked(refusal="wrong")
    return Checked(enterprises=list(registered_enterprises(mobile)))


@transaction.atomic
def sign_in_with_code(*, enterprise, mobile, address, user_agent=""):
    """The access a number that proved itself opens for `enterprise`: its contact's live one (by the number,
    or by the enterprise's contact's name for the enterprise's own contact mobile), else a new access of the
    number, issued by nobody and listed with the enterprise's links. Its use is counted and recorded."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    live = EnterpriseAccess.objects.select_for_update().live().filter(enterprise=enterprise).order_by("-issued_at")
    own_contact = enterprise.contact_mobile == mobile and enterprise.contact_name
    access = live.filter(contact_mobile=mobile).first() or (
        live.filter(contact_name=enterprise.contact_name).first() if own_contact else None
    )
    if access is None:
        contact_name = enterprise.contact_name if own_contact else mask_mobile(mobile)
        access, _token = new_access(enterprise=enterprise, contact_name=contact_name, contact_mobile=mobile, channel=Channel.CODE)
    access.use_count += 1
    access.last_used_at = timezone.now()
    access.save(update_fields=["use_count", "last_used_at"])
    record(EventKind.SIGNED_IN, access=access, address=address, user_agent=user_agent, mobile=mobile)
    return access
