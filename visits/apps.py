from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits and policies")

    def ready(self):
        # The weekly digest's task lives in visits/plan/, where Celery's autodiscovery (`<app>.tasks`) does not look.
        from .plan import tasks  # noqa: F401
