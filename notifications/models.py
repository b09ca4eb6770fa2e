from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .texts import render


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """A user's own notifications: nobody reads another's, whatever their region or role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self, now=None):
        return self.unread().update(read_at=now or timezone.now())


class Notification(models.Model):
    """One message to one official, shown in the in-app notification centre and sent on by channels.

    `key` names the reminder (for example "forum-due:370102:2026Q4:30d"). It is unique per recipient,
    so a periodic task that runs twice, or two workers that race, never deliver the same one twice.

    Its words are stored as messages (`message`: the title's and the body's msgids and parameters,
    notifications.texts) and put into the reader's language when shown (`display_title`,
    `display_body`). `title` and `body` hold the same words in the portal's language as they were
    when sent: what the admin searches, and what a notification written before messages were stored shows.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(pgettext_lazy("notification", "title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    message = models.JSONField(_("message"), default=dict, blank=True, help_text=_("Title and text, untranslated."))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_key_unique_per_recipient")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        """The title in the active language (the reader's, or the recipient's for an e-mail)."""
        return self._rendered("title", self.title)

    @property
    def display_body(self):
        return self._rendered("body", self.body)

    def _rendered(self, part, fallback):
        stored = (self.message or {}).get(part)
        return fallback if stored is None else render(stored)

    @property
    def is_read(self):
        return self.read_at is not None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """The sending of one notification through one channel (e-mail, SMS, a webhook).

    A worker claims a delivery by moving it from pending to sending in one conditional UPDATE, so
    only one worker ever sends it.
    """

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=30)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]

    def __str__(self):
        return f"{self.notification_id}/{self.channel}: {self.status}"
