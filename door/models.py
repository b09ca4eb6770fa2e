"""The enterprise's door: access without an account, and the record of every use of it.

An `EnterpriseAccess` lets one contact of one enterprise into that enterprise's pages (door/sessions.py).
Staff issue it as a link (door/links.py makes and reads the link's token); a contact whose mobile number is
registered may instead sign in with a one-time code sent by SMS (`SignInCode`), which opens an access of its
own. Only a digest of the token is stored: the token itself exists in the response that issued it and in
the contact's hands. An access ends when it expires, when staff revoke it, when a new one is issued to the
same contact, or when it is suspended for being used from too many addresses at once; a session opened
through it ends with it, on its next request.

`DoorEvent` records every attempt at the door, good or bad: what staff read to see who used a link and
from where, and what the throttle counts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import RegionScopedQuerySet
from accounts.models import Region, mobile_validator
from enterprises.models import Enterprise


class Channel(models.TextChoices):
    LINK = "link", _("Access link")
    CODE = "code", _("SMS code")


class Ending(models.TextChoices):
    REVOKED = "revoked", _("Revoked")
    REISSUED = "reissued", _("Replaced by a new link")
    SUSPENDED = "suspended", _("Suspended: used from too many places")


class AccessQuerySet(RegionScopedQuerySet):
    def live(self, *, now=None):
        """Accesses that still open the door: neither ended nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def unrevoked(self):
        """Accesses nobody ended (expired ones included): at most one per contact of an enterprise."""
        return self.filter(revoked_at__isnull=True)


class EnterpriseAccess(models.Model):
    """One contact's way into one enterprise's pages. The region column is the enterprise's, copied at
    issue (as a liaison's is), so the fence reads a local column."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="door_accesses"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("issued as"), max_length=10, choices=Channel.choices, default=Channel.LINK)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, blank=True, validators=[mobile_validator])
    # sha256 of the token (door/links.py): the token is 256 random bits, so the digest cannot be reversed.
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for an access opened by an SMS code."),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ended by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_how = models.CharField(_("how it ended"), max_length=10, choices=Ending.choices, blank=True)
    revoke_reason = models.CharField(_("reason"), max_length=200, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    use_count = models.PositiveIntegerField(_("uses"), default=0)

    objects = AccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise access")
        verbose_name_plural = _("enterprise accesses")
        permissions = [("issue_access", _("Can issue and revoke the access links of enterprises in their region"))]
        constraints = [
            # Issuing to the same contact again ends the previous access first (door.services.issue_access).
            models.UniqueConstraint(
                fields=["enterprise", "contact_name"], condition=Q(revoked_at__isnull=True), name="door_one_access_per_contact"
            ),
        ]
        indexes = [
            # The list of live links of a region: the fence is `region_id LIKE 'prefix%'` (varchar_pattern_ops,
            # the C collation does not serve LIKE otherwise), newest first.
            models.Index(
                fields=["region", "issued_at"],
                name="door_access_region_issued",
                condition=Q(revoked_at__isnull=True),
                opclasses=["varchar_pattern_ops", ""],
            ),
            models.Index(fields=["contact_mobile"], name="door_access_mobile", condition=~Q(contact_mobile="")),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.contact_name}"

    def is_live(self, *, now=None):
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    def has_expired(self, *, now=None):
        return self.revoked_at is None and self.expires_at <= (now or timezone.now())


class EventKind(models.TextChoices):
    OPENED = "opened", _("Link opened")
    FAILED = "failed", _("Link not valid")
    EXPIRED = "expired", _("Expired link used")
    REVOKED = "revoked", _("Ended link used")
    SUSPENDED = "suspended", _("Suspended: used from too many places")
    THROTTLED = "throttled", _("Too many failures: refused")
    CODE_SENT = "code_sent", _("Sign-in code requested")
    CODE_FAILED = "code_failed", _("Wrong or expired sign-in code")
    SIGNED_IN = "signed_in", _("Signed in with a code")
    SIGNED_OUT = "signed_out", _("Signed out")


class DoorEvent(models.Model):
    """One attempt at the door. `access` and `enterprise` are empty when the attempt named none (a token
    nobody issued, a number nobody registered); `mobile` keeps a masked number (138****5678) for the
    attempts of a code."""

    access = models.ForeignKey(
        EnterpriseAccess, verbose_name=_("access"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("event"), max_length=12, choices=EventKind.choices)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    mobile = models.CharField(_("mobile (masked)"), max_length=11, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("door event")
        verbose_name_plural = _("door events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["access", "kind", "at"], name="door_event_access_kind_at")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"


class SignInCodeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class SignInCode(models.Model):
    """A one-time code sent by SMS to a registered number: stored as a keyed digest (door/codes.py), good
    for DOOR_CODE_MINUTES and DOOR_CODE_ATTEMPTS tries; one open code per number."""

    mobile = models.CharField(_("mobile"), max_length=11)
    code_digest = models.CharField(_("code digest"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Set when the code is used, exhausted or replaced by a newer one.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = SignInCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        constraints = [
            models.UniqueConstraint(fields=["mobile"], condition=Q(closed_at__isnull=True), name="door_one_open_code_per_mobile"),
        ]

    def __str__(self):
        return f"{self.mobile[:3]}****{self.mobile[-4:]} · {self.created_at:%Y-%m-%d %H:%M}"
