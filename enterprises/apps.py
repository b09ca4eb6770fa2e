from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises and liaison lists")

    def ready(self):
        # The import task lives in enterprises/io/, where Celery's autodiscovery (`<app>.tasks`) does not look.
        from .io import tasks  # noqa: F401
