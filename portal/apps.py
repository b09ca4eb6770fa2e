from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: pages that gather every domain (the home page) and the demo that seeds them all."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # django-axes names its app in the admin "Axes", untranslatable; its section holds the login attempts.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = _("Login attempts")
