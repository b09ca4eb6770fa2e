from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Officials and regions")

    def ready(self):
        from . import sessions, signals  # noqa: F401  (connect the sign-in's and the security log's receivers)
        from .roles import sync_role_groups

        # Once per migrate run: after the last app, so every app's permissions exist.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
