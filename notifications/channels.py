"""Ways a notification leaves the portal, besides the in-app notification centre.

A channel is a small class with a `name`, `wants(notification)` and `send(notification)`. Settings list
the enabled ones (`NOTIFICATION_CHANNELS`), so SMS or a government messaging webhook is added by writing
one class and naming it there; callers of `notify()` never change. An SMS gateway subclasses
`SmsChannel` (one SMS of at most 70 characters a notification); `ConsoleSmsChannel` logs the SMS instead.

Links that leave the portal are absolute (`site_url`, `absolute_url`): SITE_URL when it is set, else the
address the request came to (a notice sent after a move's commit takes it from `serving(request)`), else
the development server's.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# Without SITE_URL and outside a request (a worker's e-mail), links point at the development server.
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"
_serving = ContextVar("serving_site_url", default="")


def site_url(request=None):
    """The portal's address, without a trailing slash, for links read outside it: SITE_URL when set,
    else the scheme and host of `request` or of the request being served (`serving`), else the
    development server's. The host is one ALLOWED_HOSTS accepts (request.get_host checks it)."""
    configured = settings.SITE_URL.rstrip("/")
    if configured:
        return configured
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return _serving.get() or DEVELOPMENT_SITE_URL


def absolute_url(path, request=None):
    """`path` (from reverse) as an absolute link: see site_url."""
    return site_url(request) + path


@contextmanager
def serving(request):
    """Within it, links built without the request (a notice sent once a move commits) take the request's
    address when SITE_URL is not set."""
    token = _serving.set(site_url(request))
    try:
        yield
    finally:
        _serving.reset(token)


def language_of(recipient):
    """The language a message to `recipient` is written in. Officials keep no language of their own (their
    pages follow their browser's), so messages that leave the portal are in the portal's language; a
    recipient object that carries a `language` (an enterprise contact's, say) is written to in it."""
    return getattr(recipient, "language", "") or settings.LANGUAGE_CODE


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
        with translation.override(language_of(notification.recipient)):
            link = f"\n\n{absolute_url(notification.link)}" if notification.link else ""
            send_mail(
                subject=_("[Liaison] %(title)s") % {"title": notification.display_title},
                message=f"{notification.display_body}{link}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )


# One SMS: 70 characters in Chinese (UCS-2). A longer text is split and billed as several, and may
# arrive out of order on older phones.
SMS_LENGTH = 70


def fit_sms(template, *, title, signature="", limit=SMS_LENGTH):
    """`template % {"title": title}` after the gateway's signature (【signature】), in at most `limit`
    characters: the title is shortened, with "…", to fit. A template that leaves the title no room is
    a mistake of the code (ValueError), not of the message."""
    template = str(template)
    room = limit - len(f"【{signature}】" if signature else "") - len(template % {"title": ""})
    if room < 2:
        raise ValueError(f"the SMS template leaves no room for the title: {template!r}")
    title = " ".join(str(title).split())
    if len(title) > room:
        title = title[: room - 1] + "…"
    return template % {"title": title}


class SmsChannel(Channel):
    """A notification as one SMS to the recipient's mobile: its title in the template below, shortened
    to fit one SMS with the signature. The details (a link to pass on, a list) stay in the portal.

    A gateway subclasses it: set `signature` (the 短信签名 registered with the gateway, counted in the
    70 characters) and implement `deliver(mobile, text, *, signature)`, raising on failure so the
    delivery is retried; then name the class in NOTIFICATION_CHANNELS.
    """

    name = "sms"
    signature = "统战联络"
    # Short, so that the title keeps its room: 【signature】, the template and the title make one SMS.
    template = gettext_lazy("%(title)s. See the portal.")

    def wants(self, notification):
        return bool(getattr(notification.recipient, "mobile", ""))

    def text(self, notification):
        """The SMS without the signature (which gateways add themselves), sized so that both fit one SMS."""
        with translation.override(language_of(notification.recipient)):
            return fit_sms(self.template, title=notification.display_title, signature=self.signature)

    def send(self, notification):
        self.deliver(notification.recipient.mobile, self.text(notification), signature=self.signature)

    def deliver(self, mobile, text, *, signature):
        raise NotImplementedError("an SMS gateway's channel sends the text here")


class ConsoleSmsChannel(SmsChannel):
    """For development: the SMS is written to the log (the console) instead of being sent."""

    def deliver(self, mobile, text, *, signature):
        logger.info("SMS to %s: 【%s】%s", mobile, signature, text)


@cache
def enabled_channels():
    return tuple(import_string(path)() for path in settings.NOTIFICATION_CHANNELS)


@receiver(setting_changed)
def forget_channels(*, setting, **kwargs):
    if setting == "NOTIFICATION_CHANNELS":
        enabled_channels.cache_clear()


def channel_named(name):
    return next((channel for channel in enabled_channels() if channel.name == name), None)
