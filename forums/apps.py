from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from enterprises.history import TIMELINE_SOURCES

        from .timeline import forum_events

        if forum_events not in TIMELINE_SOURCES:
            TIMELINE_SOURCES.append(forum_events)
