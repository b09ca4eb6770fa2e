from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: pages that gather every domain (the home page) and the demo that seeds them all."""

    name = "portal"
    verbose_name = _("Portal")
