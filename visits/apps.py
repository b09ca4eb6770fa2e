from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits and policies")

    def ready(self):
        from enterprises.history import TIMELINE_SOURCES

        from .timeline import visit_events

        if visit_events not in TIMELINE_SOURCES:
            TIMELINE_SOURCES.append(visit_events)
