from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "problems"
    verbose_name = _("Problem list")

    def ready(self):
        from enterprises.history import TIMELINE_SOURCES

        from .timeline import problem_events

        if problem_events not in TIMELINE_SOURCES:
            TIMELINE_SOURCES.append(problem_events)
