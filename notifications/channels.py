"""Ways a notification leaves the portal, besides the in-app notification centre.

A channel is a small class with a `name`, `wants(notification)` and `send(notification)`. Settings list
the enabled ones (`NOTIFICATION_CHANNELS`), so SMS or a government messaging webhook is added by writing
one class and naming it there; callers of `notify()` never change.
"""

from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class Channel:
    name = ""

    def wants(self, notification):
        """Whether this notification should go out through this channel at all."""
        return True

    def send(self, notification):
        """Send it, or raise: the delivery is then retried by the periodic sweep."""
        raise NotImplementedError


class EmailChannel(Channel):
    name = "email"

    def wants(self, notification):
        return bool(notification.recipient.email)

    def send(self, notification):
        with translation.override(settings.LANGUAGE_CODE):
            link = f"\n\n{settings.SITE_URL.rstrip('/')}{notification.link}" if notification.link else ""
            send_mail(
                subject=_("[Liaison] %(title)s") % {"title": notification.title},
                message=f"{notification.body}{link}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )


@cache
def enabled_channels():
    return tuple(import_string(path)() for path in settings.NOTIFICATION_CHANNELS)


@receiver(setting_changed)
def forget_channels(*, setting, **kwargs):
    if setting == "NOTIFICATION_CHANNELS":
        enabled_channels.cache_clear()


def channel_named(name):
    return next((channel for channel in enabled_channels() if channel.name == name), None)
